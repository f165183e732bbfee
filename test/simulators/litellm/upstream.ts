/**
 * One simulated upstream (provider) call for one deployment: the part a real LiteLLM delegates to OpenAI,
 * Anthropic, Gemini... Tests make deployments fail or slow down here (`failDeployment`, `slowDeployment`), so
 * retries, fallbacks and cooldowns happen in the router the way they do in LiteLLM.
 *
 * - `mock_response` (body or litellm_params) makes no upstream call, as in LiteLLM: injected failures and
 *   latency do not apply, usage is 10/20/30. The strings `litellm.RateLimitError`,
 *   `litellm.InternalServerError` and `litellm.ContextWindowExceededError` raise those errors instead.
 * - Context window: prompt tokens above the deployment's `model_info.max_input_tokens` (else the price map's)
 *   raise ContextWindowExceededError (400), the provider's own check, since pre-call checks are off by default.
 * - `timeout` (seconds) shorter than the deployment's latency raises Timeout (408) after `timeout`.
 */
import {
	buildAnswer,
	type ChatAnswer,
	type ChatMessage,
	type ToolDefinition,
} from '../http/chat-answer';
import type { Deployment } from './config';
import { defaultProviderText, UpstreamError } from './errors';
import { lookupPrice } from './pricing';

export interface DeploymentFailure {
	/** Provider HTTP status to fail with (429, 500, 503, 401 ...). */
	status: number;
	/** Provider error text; a typical one for the status when absent. */
	message?: string;
	/** How many upstream calls fail (default: until cleared). */
	times?: number;
	/** Streaming only: fail after this many content chunks were sent (a mid-stream error event). */
	afterChunks?: number;
}

interface ArmedFailure {
	target: string;
	failure: DeploymentFailure;
	remaining: number;
}

export interface UpstreamRequest {
	messages: ChatMessage[];
	tools?: ToolDefinition[];
	toolChoice?: unknown;
	mockResponse?: unknown;
	/** Seconds. */
	timeout?: number;
	stream: boolean;
}

export interface UpstreamAnswer extends ChatAnswer {
	/** Set when the stream must break after N chunks. */
	midStreamFailure?: { afterChunks: number; error: UpstreamError };
}

export class UpstreamControl {
	private armed: ArmedFailure[] = [];

	private readonly latencies = new Map<string, number>();

	/** `target` is a deployment's `model_info.id` or a model group name (all its deployments). */
	fail(target: string, failure: DeploymentFailure): void {
		this.armed.push({ target, failure, remaining: failure.times ?? Infinity });
	}

	/** Every upstream call to `target` (id or group) takes `ms` first; 0 removes it. */
	slow(target: string, ms: number): void {
		if (ms > 0) this.latencies.set(target, ms);
		else this.latencies.delete(target);
	}

	clear(): void {
		this.armed = [];
		this.latencies.clear();
	}

	private find(d: Deployment): ArmedFailure | undefined {
		return this.armed.find(
			(a) => a.remaining > 0 && (a.target === d.model_info.id || a.target === d.model_name),
		);
	}

	/** The failure the next call to `d` meets, consumed. */
	take(d: Deployment): DeploymentFailure | undefined {
		const hit = this.find(d);
		if (!hit) return undefined;
		hit.remaining -= 1;
		return hit.failure;
	}

	/** Whether `d` is failing right now, without consuming (health checks). */
	peek(d: Deployment): DeploymentFailure | undefined {
		return this.find(d)?.failure;
	}

	latencyOf(d: Deployment): number {
		return this.latencies.get(d.model_info.id) ?? this.latencies.get(d.model_name) ?? 0;
	}
}

export function maxInputTokens(d: Deployment): number {
	const fromInfo = d.model_info.max_input_tokens;
	if (typeof fromInfo === 'number') return fromInfo;
	return lookupPrice(d.litellm_params.model, d.model_info.base_model)?.max_input_tokens ?? Infinity;
}

const MOCK_ERRORS: Record<string, { status: number; className: string; text: string }> = {
	'litellm.RateLimitError': {
		status: 429,
		className: 'RateLimitError',
		text: 'This is a mock rate limit error',
	},
	'litellm.InternalServerError': {
		status: 500,
		className: 'InternalServerError',
		text: 'This is a mock internal server error',
	},
	'litellm.ContextWindowExceededError': {
		status: 400,
		className: 'ContextWindowExceededError',
		text: 'This is a mock context window exceeded error',
	},
};

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export async function callUpstream(
	d: Deployment,
	req: UpstreamRequest,
	control: UpstreamControl,
): Promise<UpstreamAnswer> {
	const mock = req.mockResponse ?? d.litellm_params.mock_response;
	if (typeof mock === 'string') {
		const mockError = MOCK_ERRORS[mock];
		if (mockError)
			throw new UpstreamError(mockError.status, d.provider, mockError.text, mockError.className);
		const answer = buildAnswer({ messages: req.messages, mock });
		return { ...answer, promptTokens: 10, completionTokens: 20 };
	}

	const latency = control.latencyOf(d);
	if (latency > 0) {
		if (req.timeout !== undefined && latency > req.timeout * 1000) {
			await sleep(req.timeout * 1000);
			throw new UpstreamError(
				408,
				d.provider,
				`Request timed out. Timeout passed=${req.timeout}`,
				'Timeout',
			);
		}
		await sleep(latency);
	}

	const failure = control.take(d);
	const streamBreak = failure?.afterChunks !== undefined && req.stream;
	if (failure && !streamBreak) {
		throw new UpstreamError(
			failure.status,
			d.provider,
			failure.message ?? defaultProviderText(failure.status),
		);
	}

	const answer = buildAnswer({
		messages: req.messages,
		tools: req.tools,
		toolChoice: req.toolChoice,
	});
	const limit = maxInputTokens(d);
	if (answer.promptTokens > limit) {
		throw new UpstreamError(
			400,
			d.provider,
			`This model's maximum context length is ${limit} tokens. However, your messages resulted in ${answer.promptTokens} tokens. Please reduce the length of the messages.`,
			'ContextWindowExceededError',
		);
	}
	if (failure && streamBreak) {
		return {
			...answer,
			midStreamFailure: {
				afterChunks: failure.afterChunks ?? 0,
				error: new UpstreamError(
					failure.status,
					d.provider,
					failure.message ?? defaultProviderText(failure.status),
				),
			},
		};
	}
	return answer;
}
