/**
 * Building blocks for OpenAI-shaped providers, and a generic OpenAI-compatible provider (Bearer auth,
 * `GET /v1/models`, `POST /v1/chat/completions`) for "custom base URL" endpoints such as a dedicated
 * Anyscale deployment, vLLM or LocalAI. Its errors use the OpenAI envelope
 * `{error:{message, type, param, code}}` because that is what such servers imitate.
 */
import {
	buildAnswer,
	type ChatAnswer,
	type ChatMessage,
	streamPieces,
	type ToolDefinition,
} from '../http/chat-answer';
import type { SimRequest, SimResponse } from '../http/server';
import { bearer, type ProviderDefinition, type ProviderRoute } from './types';

export function openAiError(
	status: number,
	message: string,
	type: string,
	code: string | null,
	headers?: Record<string, string>,
): SimResponse {
	return { status, headers, body: { error: { message, type, param: null, code } } };
}

export function modelList(
	ids: string[],
	ownedBy = 'system',
): { object: 'list'; data: Array<Record<string, unknown>> } {
	return {
		object: 'list',
		data: ids.map((id) => ({ id, object: 'model', created: 1_715_367_049, owned_by: ownedBy })),
	};
}

/** The deliberately-invalid-body probe lands here: a bad body is rejected before any spend. */
export function chatBodyProblem(req: SimRequest): string | undefined {
	const body = req.body as { model?: unknown; messages?: unknown } | undefined;
	if (!body || typeof body !== 'object') return 'We could not parse the JSON body of your request.';
	if (typeof body.model !== 'string' || !body.model) return 'you must provide a model parameter';
	if (!Array.isArray(body.messages) || body.messages.length === 0)
		return "'messages' must contain at least one message";
	return undefined;
}

/**
 * A chat completion with the deterministic answer of http/chat-answer.ts (echo, tool call, tool result),
 * as JSON, or as OpenAI's SSE stream when `stream: true` (usage chunk only with
 * `stream_options.include_usage`). LiteLLM's own OpenAI client parses both (it streams from the provider
 * whenever its caller streams).
 */
export function chatCompletion(req: SimRequest, idPrefix = 'chatcmpl-'): SimResponse {
	const body = req.body as {
		model: string;
		messages: ChatMessage[];
		tools?: ToolDefinition[];
		tool_choice?: unknown;
		stream?: boolean;
		stream_options?: { include_usage?: boolean };
	};
	const answer = buildAnswer({
		messages: body.messages,
		tools: body.tools,
		toolChoice: body.tool_choice,
	});
	const id = `${idPrefix}${Math.random().toString(36).slice(2, 12)}`;
	const created = Math.floor(Date.now() / 1000);
	const usage = {
		prompt_tokens: answer.promptTokens,
		completion_tokens: answer.completionTokens,
		total_tokens: answer.promptTokens + answer.completionTokens,
	};
	if (body.stream === true)
		return sse(
			openAiChunks(
				answer,
				{ id, created, model: body.model },
				body.stream_options?.include_usage === true ? usage : undefined,
			),
		);
	const message: Record<string, unknown> = { role: 'assistant', content: answer.content };
	if (answer.toolCalls) message.tool_calls = answer.toolCalls;
	return {
		status: 200,
		body: {
			id,
			object: 'chat.completion',
			created,
			model: body.model,
			choices: [{ index: 0, message, finish_reason: answer.finishReason }],
			usage,
		},
	};
}

function openAiChunks(
	answer: ChatAnswer,
	base: { id: string; created: number; model: string },
	usage?: Record<string, number>,
): unknown[] {
	const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
		...base,
		object: 'chat.completion.chunk',
		choices: [{ index: 0, delta, finish_reason: finish }],
	});
	const chunks: unknown[] = [];
	if (answer.toolCalls) {
		answer.toolCalls.forEach((call, index) => {
			chunks.push(
				chunk({
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							index,
							id: call.id,
							type: 'function',
							function: { name: call.function.name, arguments: '' },
						},
					],
				}),
			);
			for (const piece of streamPieces(call.function.arguments))
				chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
		});
	} else {
		streamPieces(answer.content ?? '').forEach((piece, i) =>
			chunks.push(chunk(i === 0 ? { role: 'assistant', content: piece } : { content: piece })),
		);
	}
	chunks.push(chunk({}, answer.finishReason));
	if (usage) chunks.push({ ...base, object: 'chat.completion.chunk', choices: [], usage });
	return chunks;
}

/** A whole SSE stream in one body: `data: <json>` events, then `data: [DONE]`. */
export function sse(events: unknown[], done = true): SimResponse {
	const lines = events.map((e) => `data: ${JSON.stringify(e)}\n\n`);
	if (done) lines.push('data: [DONE]\n\n');
	return { status: 200, headers: { 'content-type': 'text/event-stream' }, body: lines.join('') };
}

export function openAiChatRoute(
	path: string,
	invalidBody = (m: string) => openAiError(400, m, 'invalid_request_error', null),
): ProviderRoute {
	return {
		method: 'POST',
		path,
		kind: 'billed',
		handler: (req) => {
			const problem = chatBodyProblem(req);
			return problem ? invalidBody(problem) : chatCompletion(req);
		},
	};
}

/** Generic OpenAI-compatible server; `id` becomes its path prefix on the ProviderSimulator. */
export function openAiCompatible(id = 'compat', models = ['custom-model-1']): ProviderDefinition {
	return {
		id,
		basePath: '/v1',
		authForm: 'Authorization: Bearer',
		extractKey: bearer,
		missingKey: () => openAiError(401, 'Missing API key', 'invalid_request_error', null),
		invalidKey: () =>
			openAiError(401, 'Invalid API key', 'invalid_request_error', 'invalid_api_key'),
		rateLimited: () =>
			openAiError(429, 'Rate limit exceeded', 'requests', 'rate_limit_exceeded', {
				'retry-after': '1',
			}),
		quotaExhausted: () =>
			openAiError(
				429,
				'You exceeded your current quota.',
				'insufficient_quota',
				'insufficient_quota',
			),
		routes: [
			{
				method: 'GET',
				path: '/v1/models',
				kind: 'check',
				handler: () => ({ status: 200, body: modelList(models, 'organization') }),
			},
			openAiChatRoute('/v1/chat/completions'),
		],
	};
}
