/**
 * Groq (`https://api.groq.com/openai/v1`, `Authorization: Bearer`). Check: `GET /openai/v1/models`.
 * - wrong/missing key: 401 `{error:{message:"Invalid API Key", type:"invalid_request_error", code:"invalid_api_key"}}`;
 * - rate limit: 429 code `rate_limit_exceeded` (per-minute) + `retry-after` and `x-ratelimit-*`;
 * - quota: Groq has no balance on the free tier; exhaustion is the per-day limit (TPD), same envelope and
 *   code, message naming "tokens per day" (choice). Groq's 498/499 are faults, not key states.
 */
import type { SimResponse } from '../http/server';
import { modelList, openAiChatRoute } from './openai-compatible';
import { bearer, type ProviderDefinition, requestId } from './types';

const chatRoute = openAiChatRoute('/openai/v1/chat/completions');

const groqError = (
	status: number,
	message: string,
	type: string,
	code: string,
	headers?: Record<string, string>,
): SimResponse => ({
	status,
	headers,
	body: { error: { message, type, code } },
});

const limitHeaders = (retryAfter: string): Record<string, string> => ({
	'retry-after': retryAfter,
	'x-ratelimit-limit-requests': '14400',
	'x-ratelimit-remaining-requests': '0',
	'x-ratelimit-reset-requests': `${retryAfter}s`,
	'x-ratelimit-limit-tokens': '6000',
	'x-ratelimit-remaining-tokens': '0',
	'x-ratelimit-reset-tokens': `${retryAfter}s`,
});

export const groq: ProviderDefinition = {
	id: 'groq',
	basePath: '/openai/v1',
	authForm: 'Authorization: Bearer <key>',
	extractKey: bearer,
	missingKey: () => groqError(401, 'Invalid API Key', 'invalid_request_error', 'invalid_api_key'),
	invalidKey: () => groqError(401, 'Invalid API Key', 'invalid_request_error', 'invalid_api_key'),
	rateLimited: () =>
		groqError(
			429,
			'Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_sim` service tier `on_demand` on requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 2s.',
			'requests',
			'rate_limit_exceeded',
			limitHeaders('2'),
		),
	quotaExhausted: () =>
		groqError(
			429,
			'Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_sim` service tier `on_demand` on tokens per day (TPD): Limit 100000, Used 100000, Requested 12. Please try again in 7m12s.',
			'tokens',
			'rate_limit_exceeded',
			limitHeaders('432'),
		),
	routes: [
		{
			method: 'GET',
			path: '/openai/v1/models',
			kind: 'check',
			handler: () => ({
				status: 200,
				body: modelList(['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], 'Meta'),
			}),
		},
		{
			...chatRoute,
			// Groq's answer carries `service_tier` and `x_groq`; LiteLLM's Groq client (1.83.7) reads service_tier
			// and fails with "'ModelResponse' object has no attribute 'service_tier'" when it is missing.
			handler: (req, key, ctx) => {
				const answer = chatRoute.handler(req, key, ctx);
				if (answer.status !== 200 || typeof answer.body !== 'object' || answer.body === null)
					return answer;
				return {
					...answer,
					body: {
						...answer.body,
						system_fingerprint: 'fp_sim0groq',
						x_groq: { id: requestId('req_') },
						service_tier: 'on_demand',
					},
				};
			},
		},
	],
};
