/**
 * Mistral (`https://api.mistral.ai/v1`, `Authorization: Bearer`). Check: `GET /v1/models`.
 * - wrong or missing key: 401 `{"message":"Unauthorized","request_id":"…"}` (the other reported form,
 *   `{"detail":"Unauthorized"}`, is not used);
 * - rate limit: 429 `{object:"error", message:"Requests rate limit exceeded", type:"rate_limited", param:null,
 *   code:"1300"}` *(shape unverified beyond "JSON message")*;
 * - quota (choice, unverified): 429 with the same envelope, type "insufficient_quota", on billed calls.
 */
import type { SimResponse } from '../http/server';
import { modelList, openAiChatRoute } from './openai-compatible';
import { bearer, requestId, type ProviderDefinition } from './types';

const unauthorized = (): SimResponse => ({
	status: 401,
	body: { message: 'Unauthorized', request_id: requestId('') },
});
const mistralError = (
	status: number,
	message: string,
	type: string,
	code: string,
): SimResponse => ({
	status,
	body: { object: 'error', message, type, param: null, code },
});

export const mistral: ProviderDefinition = {
	id: 'mistral',
	basePath: '/v1',
	authForm: 'Authorization: Bearer <key>',
	extractKey: bearer,
	missingKey: unauthorized,
	invalidKey: unauthorized,
	rateLimited: () => mistralError(429, 'Requests rate limit exceeded', 'rate_limited', '1300'),
	quotaExhausted: () =>
		mistralError(
			429,
			'Monthly usage limit exceeded for this workspace',
			'insufficient_quota',
			'3505',
		),
	routes: [
		{
			method: 'GET',
			path: '/v1/models',
			kind: 'check',
			handler: () => ({
				status: 200,
				body: modelList(['mistral-small-latest', 'mistral-large-latest'], 'mistralai'),
			}),
		},
		openAiChatRoute('/v1/chat/completions', (m) =>
			mistralError(422, m, 'invalid_request_error', '3051'),
		),
	],
};
