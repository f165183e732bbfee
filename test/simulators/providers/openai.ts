/**
 * OpenAI (`https://api.openai.com/v1`, `Authorization: Bearer`). Check: `GET /v1/models`.
 * - no key: 401 invalid_request_error, code null ("You didn't provide an API key…");
 * - wrong key: 401 `{error:{message:"Incorrect API key provided: sk-abc***…wxyz…", type:"invalid_request_error",
 *   param:null, code:"invalid_api_key"}}` — note the message carries a partly masked key;
 * - rate limit: 429 code `rate_limit_exceeded` with `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`
 *   (choice: no `retry-after`, the reset headers carry the wait);
 * - quota: 429 `{type:"insufficient_quota", code:"insufficient_quota"}` on billed calls (do not retry);
 * - a prompt over the model's context window: 400 invalid_request_error, code `context_length_exceeded`.
 * Admin keys (`/v1/organization/...`) are not simulated: no rotation path uses them.
 */
import { type ChatMessage, countPromptTokens, type ToolDefinition } from '../http/chat-answer';
import { modelList, openAiChatRoute, openAiError } from './openai-compatible';
import { bearer, maskLikeOpenAi, type ProviderDefinition } from './types';

const MODELS = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'];
const CONTEXT_WINDOW: Record<string, number> = { 'gpt-4o-mini': 128_000, 'gpt-4o': 128_000 };
const chatRoute = openAiChatRoute('/v1/chat/completions');

export const RATE_LIMIT_HEADERS = {
	'x-ratelimit-limit-requests': '500',
	'x-ratelimit-remaining-requests': '0',
	'x-ratelimit-reset-requests': '120ms',
	'x-ratelimit-limit-tokens': '30000',
	'x-ratelimit-remaining-tokens': '29950',
	'x-ratelimit-reset-tokens': '100ms',
};

export const openai: ProviderDefinition = {
	id: 'openai',
	basePath: '/v1',
	authForm: 'Authorization: Bearer <key>',
	extractKey: bearer,
	missingKey: () =>
		openAiError(
			401,
			"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
			'invalid_request_error',
			null,
		),
	invalidKey: (key) =>
		openAiError(
			401,
			`Incorrect API key provided: ${maskLikeOpenAi(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
			'invalid_request_error',
			'invalid_api_key',
		),
	rateLimited: () =>
		openAiError(
			429,
			'Rate limit reached for gpt-4o-mini in organization org-simulated on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms. Visit https://platform.openai.com/account/rate-limits to learn more.',
			'requests',
			'rate_limit_exceeded',
			RATE_LIMIT_HEADERS,
		),
	quotaExhausted: () =>
		openAiError(
			429,
			'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
			'insufficient_quota',
			'insufficient_quota',
		),
	routes: [
		{
			method: 'GET',
			path: '/v1/models',
			kind: 'check',
			handler: () => ({ status: 200, body: modelList(MODELS) }),
		},
		{
			...chatRoute,
			// A prompt over the model's context window is refused before any spend, as OpenAI does; LiteLLM maps
			// this to ContextWindowExceededError and takes context_window_fallbacks.
			handler: (req, key, ctx) => {
				const body = req.body as
					| { model?: string; messages?: ChatMessage[]; tools?: ToolDefinition[] }
					| undefined;
				const limit = CONTEXT_WINDOW[body?.model ?? ''];
				const tokens = Array.isArray(body?.messages)
					? countPromptTokens(body.messages, body.tools)
					: 0;
				if (limit !== undefined && tokens > limit) {
					return openAiError(
						400,
						`This model's maximum context length is ${limit} tokens. However, your messages resulted in ${tokens} tokens. Please reduce the length of the messages.`,
						'invalid_request_error',
						'context_length_exceeded',
					);
				}
				return chatRoute.handler(req, key, ctx);
			},
		},
	],
};
