/**
 * Building blocks for OpenAI-shaped providers, and a generic OpenAI-compatible provider (Bearer auth,
 * `GET /v1/models`, `POST /v1/chat/completions`) for "custom base URL" endpoints such as a dedicated
 * Anyscale deployment, vLLM or LocalAI. Its errors use the OpenAI envelope
 * `{error:{message, type, param, code}}` because that is what such servers imitate.
 */
import type { SimRequest, SimResponse } from '../http/server';
import { bearer, type ProviderDefinition, type ProviderRoute } from './types';

export function openAiError(status: number, message: string, type: string, code: string | null, headers?: Record<string, string>): SimResponse {
	return { status, headers, body: { error: { message, type, param: null, code } } };
}

export function modelList(ids: string[], ownedBy = 'system'): { object: 'list'; data: Array<Record<string, unknown>> } {
	return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_715_367_049, owned_by: ownedBy })) };
}

/** The deliberately-invalid-body probe lands here: a bad body is rejected before any spend. */
export function chatBodyProblem(req: SimRequest): string | undefined {
	const body = req.body as { model?: unknown; messages?: unknown } | undefined;
	if (!body || typeof body !== 'object') return 'We could not parse the JSON body of your request.';
	if (typeof body.model !== 'string' || !body.model) return 'you must provide a model parameter';
	if (!Array.isArray(body.messages) || body.messages.length === 0) return "'messages' must contain at least one message";
	return undefined;
}

/** A minimal non-streaming chat completion with usage. */
export function chatCompletion(req: SimRequest, idPrefix = 'chatcmpl-'): SimResponse {
	const model = (req.body as { model: string }).model;
	return {
		status: 200,
		body: {
			id: `${idPrefix}${Math.random().toString(36).slice(2, 12)}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model,
			choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
			usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
		},
	};
}

export function openAiChatRoute(path: string, invalidBody = (m: string) => openAiError(400, m, 'invalid_request_error', null)): ProviderRoute {
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
		invalidKey: () => openAiError(401, 'Invalid API key', 'invalid_request_error', 'invalid_api_key'),
		rateLimited: () => openAiError(429, 'Rate limit exceeded', 'requests', 'rate_limit_exceeded', { 'retry-after': '1' }),
		quotaExhausted: () => openAiError(429, 'You exceeded your current quota.', 'insufficient_quota', 'insufficient_quota'),
		routes: [
			{ method: 'GET', path: '/v1/models', kind: 'check', handler: () => ({ status: 200, body: modelList(models, 'organization') }) },
			openAiChatRoute('/v1/chat/completions'),
		],
	};
}
