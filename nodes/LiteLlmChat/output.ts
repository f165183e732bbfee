import type { IDataObject } from 'n8n-workflow';

import type { ChatMessage } from '../shared/chat/types';
import { parseCost, parseIntHeader } from '../shared/cost';
import type { GatewayError } from '../shared/errors/classes';
import type { RoutedAnswer } from '../shared/failover/route';

/** The message as n8n users want it: `tool_calls` only when there are some, content never undefined. */
function cleanMessage(message: ChatMessage | undefined): IDataObject {
	const out: IDataObject = {
		role: message?.role ?? 'assistant',
		content: message?.content ?? null,
	};
	if (Array.isArray(message?.tool_calls) && message.tool_calls.length) {
		out.tool_calls = message.tool_calls as unknown as IDataObject[];
	}
	return out;
}

/** Failures where the request may have reached the proxy: it may have answered (and billed) unseen. */
const NEVER_SENT = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

function mayHaveBeenServed(error: GatewayError): boolean {
	if (error.kind === 'timeout') return true;
	return (
		error.kind === 'connection' &&
		!NEVER_SENT.has(error.causeCode ?? '') &&
		!/CERT|TLS|EPROTO/.test(error.causeCode ?? '')
	);
}

/** One output item per answer: text, message, usage, cost, route and why, timing. */
export function answerToJson(
	answer: RoutedAnswer,
	requestedModel: string,
	latencyMs: number,
	includeRaw: boolean,
): IDataObject {
	const { completion, response } = answer;
	const choice = completion.choices?.[0];
	const usage = completion.usage ?? {};
	const fromLiteLlm = answer.route === 'litellm';
	const headers = response.headers;
	const content = choice?.message?.content;
	const json: IDataObject = {
		text: typeof content === 'string' ? content : '',
		message: cleanMessage(choice?.message),
		finishReason: choice?.finish_reason ?? null,
		usage: {
			promptTokens: usage.prompt_tokens ?? 0,
			completionTokens: usage.completion_tokens ?? 0,
			totalTokens:
				usage.total_tokens ?? (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0),
		},
		// LiteLLM reports the cost in a header (absent when unknown; in a stream's last usage chunk instead,
		// with include_cost_in_streaming_usage); OpenRouter in usage.cost.
		costUsd:
			(fromLiteLlm
				? (parseCost(headers['x-litellm-response-cost']) ?? parseCost(usage.cost))
				: parseCost(usage.cost)) ?? null,
		model:
			(fromLiteLlm ? headers['x-litellm-model-group'] : undefined) ??
			completion.model ??
			requestedModel,
		requestedModel,
		route: answer.route,
		routeReason: answer.reason,
		attemptedRetries: fromLiteLlm
			? (parseIntHeader(headers['x-litellm-attempted-retries']) ?? 0)
			: 0,
		attemptedFallbacks: fromLiteLlm
			? (parseIntHeader(headers['x-litellm-attempted-fallbacks']) ?? 0)
			: 0,
		// LiteLLM's call id (logs, callbacks) and the response id, which spend logs keep as `request_id`.
		callId: (fromLiteLlm ? headers['x-litellm-call-id'] : undefined) ?? null,
		requestId: completion.id ?? null,
		latencyMs,
	};
	if (!fromLiteLlm && completion.provider) json.provider = completion.provider;
	if (answer.liteLlmError) {
		json.liteLlmError = {
			kind: answer.liteLlmError.kind,
			status: answer.liteLlmError.status ?? null,
			causeCode: answer.liteLlmError.causeCode ?? null,
			message: answer.liteLlmError.message,
		};
		if (answer.liteLlmCallSent && mayHaveBeenServed(answer.liteLlmError)) {
			json.billingNote =
				'LiteLLM may have served and billed the first try as well: the request was sent before it timed out or the connection dropped';
		}
	}
	if (includeRaw) json.raw = completion as unknown as IDataObject;
	return json;
}
