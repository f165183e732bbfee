/**
 * Anthropic (`https://api.anthropic.com/v1`, `x-api-key` + `anthropic-version: 2023-06-01`).
 * Check: `GET /v1/models` (what Infisical's Anthropic connection uses).
 * - no `anthropic-version`: 400 invalid_request_error "anthropic-version: header is required";
 * - no key: 401 authentication_error "x-api-key header is required"; wrong key: 401
 *   `{type:"error", error:{type:"authentication_error", message:"invalid x-api-key"}, request_id}`;
 * - rate limit: 429 `rate_limit_error` + `retry-after` and `anthropic-ratelimit-requests-*` headers;
 * - quota (choice, per Anthropic's errors page: billing problems are invalid_request_error): 400
 *   "Your credit balance is too low to access the Anthropic API…" on `POST /v1/messages` only.
 * 529 overloaded_error is a fault, not a key state: `failNext('anthropic', 529, overloadedBody())`.
 */
import type { SimResponse } from '../http/server';
import { anthropicAnswer, type AnthropicRequest } from './anthropic-messages';
import { requestId, type ProviderDefinition } from './types';

function anthropicError(
	status: number,
	type: string,
	message: string,
	headers?: Record<string, string>,
): SimResponse {
	return {
		status,
		headers: { 'request-id': requestId(), ...headers },
		body: { type: 'error', error: { type, message }, request_id: requestId() },
	};
}

export const overloadedBody = (): unknown => ({
	type: 'error',
	error: { type: 'overloaded_error', message: 'Overloaded' },
	request_id: requestId(),
});

const MODELS = [
	{
		type: 'model',
		id: 'claude-sonnet-4-20250514',
		display_name: 'Claude Sonnet 4',
		created_at: '2025-05-22T00:00:00Z',
	},
	{
		type: 'model',
		id: 'claude-3-5-haiku-20241022',
		display_name: 'Claude Haiku 3.5',
		created_at: '2024-10-22T00:00:00Z',
	},
];

export const anthropic: ProviderDefinition = {
	id: 'anthropic',
	basePath: '/v1',
	authForm: 'x-api-key: <key> + anthropic-version: 2023-06-01',
	extractKey: (req) => String(req.headers['x-api-key'] ?? '').trim(),
	precheck: (req) =>
		req.headers['anthropic-version']
			? undefined
			: anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required'),
	missingKey: () => anthropicError(401, 'authentication_error', 'x-api-key header is required'),
	invalidKey: () => anthropicError(401, 'authentication_error', 'invalid x-api-key'),
	rateLimited: () =>
		anthropicError(
			429,
			'rate_limit_error',
			'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.',
			{
				'retry-after': '7',
				'anthropic-ratelimit-requests-limit': '50',
				'anthropic-ratelimit-requests-remaining': '0',
				'anthropic-ratelimit-requests-reset': new Date(Date.now() + 7000).toISOString(),
			},
		),
	quotaExhausted: () =>
		anthropicError(
			400,
			'invalid_request_error',
			'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
		),
	routes: [
		{
			method: 'GET',
			path: '/v1/models',
			kind: 'check',
			handler: () => ({
				status: 200,
				body: { data: MODELS, has_more: false, first_id: MODELS[0].id, last_id: MODELS.at(-1)!.id },
			}),
		},
		{
			method: 'POST',
			path: '/v1/messages',
			kind: 'billed',
			handler: (req) => {
				const body = req.body as
					| { model?: unknown; max_tokens?: unknown; messages?: unknown }
					| undefined;
				if (typeof body?.model !== 'string')
					return anthropicError(400, 'invalid_request_error', 'model: Field required');
				if (typeof body.max_tokens !== 'number')
					return anthropicError(400, 'invalid_request_error', 'max_tokens: Field required');
				if (!Array.isArray(body.messages))
					return anthropicError(400, 'invalid_request_error', 'messages: Field required');
				return anthropicAnswer(req.body as AnthropicRequest);
			},
		},
	],
};
