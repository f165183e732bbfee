/**
 * Cohere (`https://api.cohere.com`, `Authorization: Bearer`). Check: **`POST /v1/check-api-key`** →
 * `{valid:true, organization_id, owner_id}`; also `GET /v1/models`.
 * - wrong key: 401 `{id, message:"invalid api token"}` (Cohere's 401 page lists "invalid api token" and
 *   "no api key supplied"); key checkers treat the 401 as "invalid", so check-api-key never says valid:false
 *   here (choice: the sources we have show only the 401 path);
 * - rate limit: 429 `{id, message:"You are using a Trial key, which is limited to 20 API calls / minute…"}`;
 * - quota: 429 with the monthly trial limit message (Cohere's 429 page), on billed calls (`POST /v2/chat`,
 *   the route LiteLLM's `cohere_chat/<model>` calls by default since its v2 switch; checked with litellm 1.83.7).
 */
import { randomUUID } from 'node:crypto';

import { buildAnswer, type ChatMessage, type ToolDefinition } from '../http/chat-answer';
import type { SimResponse } from '../http/server';
import { bearer, type ProviderDefinition } from './types';

const cohereError = (status: number, message: string): SimResponse => ({
	status,
	body: { id: randomUUID(), message },
});

export const cohere: ProviderDefinition = {
	id: 'cohere',
	basePath: '',
	authForm: 'Authorization: Bearer <key>',
	extractKey: bearer,
	missingKey: () => cohereError(401, 'no api key supplied'),
	invalidKey: () => cohereError(401, 'invalid api token'),
	rateLimited: () =>
		cohereError(
			429,
			"You are using a Trial key, which is limited to 20 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' or email us at support@cohere.com with any questions",
		),
	quotaExhausted: () =>
		cohereError(
			429,
			"You are using a Trial key, which is limited to 1000 API calls / month. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' or email us at support@cohere.com with any questions",
		),
	routes: [
		{
			method: 'POST',
			path: '/v1/check-api-key',
			kind: 'check',
			handler: () => ({
				status: 200,
				body: { valid: true, organization_id: 'org-sim-cohere', owner_id: 'user-sim-cohere' },
			}),
		},
		{
			method: 'GET',
			path: '/v1/models',
			kind: 'check',
			handler: () => ({
				status: 200,
				body: {
					models: [{ name: 'command-r-plus-08-2024', endpoints: ['chat'], context_length: 128000 }],
				},
			}),
		},
		{
			method: 'POST',
			path: '/v2/chat',
			kind: 'billed',
			handler: (req) => {
				const body = req.body as
					| { model?: unknown; messages?: unknown; tools?: ToolDefinition[] }
					| undefined;
				if (typeof body?.model !== 'string' || !Array.isArray(body.messages)) {
					return cohereError(400, 'invalid request: model and messages are required');
				}
				// v2 messages are OpenAI-shaped (role/content, assistant tool_calls, tool messages with tool_call_id).
				const answer = buildAnswer({ messages: body.messages as ChatMessage[], tools: body.tools });
				const message: Record<string, unknown> = { role: 'assistant' };
				if (answer.toolCalls) message.tool_calls = answer.toolCalls;
				else message.content = [{ type: 'text', text: answer.content ?? '' }];
				const units = { input_tokens: answer.promptTokens, output_tokens: answer.completionTokens };
				return {
					status: 200,
					body: {
						id: randomUUID(),
						finish_reason: answer.toolCalls ? 'TOOL_CALL' : 'COMPLETE',
						message,
						usage: { billed_units: units, tokens: units },
					},
				};
			},
		},
	],
};
