/**
 * Together AI (`https://api.together.xyz/v1`, `Authorization: Bearer`). Check: `GET /v1/models`, which
 * answers a **bare array** (not `{object:"list", data}`), so OpenAI SDKs' `models.list()` breaks.
 * - wrong/missing key: 401 `{error:{message:"Invalid API key provided…", type:"invalid_request_error",
 *   param:null, code:"invalid_api_key"}}`;
 * - a valid key asking a non-serverless model: 400 `model_not_available` (the invalid-body probe);
 * - rate limit: 429 OpenAI-style envelope, type "rate_limit" (choice; Together documents only the 429);
 * - quota (choice): 402 "Payment Required"-style credit limit on billed calls.
 */
import { chatBodyProblem, chatCompletion, openAiError } from './openai-compatible';
import { bearer, maskLikeOpenAi, type ProviderDefinition } from './types';

const SERVERLESS = [
	'meta-llama/Llama-3.3-70B-Instruct-Turbo',
	'mistralai/Mixtral-8x7B-Instruct-v0.1',
];

export const together: ProviderDefinition = {
	id: 'together',
	basePath: '/v1',
	authForm: 'Authorization: Bearer <key>',
	extractKey: bearer,
	missingKey: () =>
		openAiError(
			401,
			'Invalid API key provided. You can find your API key at https://api.together.xyz/settings/api-keys.',
			'invalid_request_error',
			'invalid_api_key',
		),
	invalidKey: (key) =>
		openAiError(
			401,
			`Invalid API key provided: ${maskLikeOpenAi(key)}. You can find your API key at https://api.together.xyz/settings/api-keys.`,
			'invalid_request_error',
			'invalid_api_key',
		),
	rateLimited: () =>
		openAiError(
			429,
			'You have exceeded the rate limit for this model. Please try again later.',
			'rate_limit',
			'rate_limit_exceeded',
			{ 'retry-after': '1' },
		),
	quotaExhausted: () =>
		openAiError(
			402,
			'Credit limit exceeded. Please add credits at https://api.together.xyz/settings/billing.',
			'credit_limit',
			'credit_limit',
		),
	routes: [
		{
			method: 'GET',
			path: '/v1/models',
			kind: 'check',
			handler: () => ({
				status: 200,
				body: SERVERLESS.map((id) => ({
					id,
					object: 'model',
					created: 1_733_000_000,
					type: 'chat',
					display_name: id.split('/')[1],
					organization: id.split('/')[0],
					context_length: 131072,
					pricing: { input: 0.88, output: 0.88 },
				})),
			}),
		},
		{
			method: 'POST',
			path: '/v1/chat/completions',
			kind: 'billed',
			handler: (req) => {
				const problem = chatBodyProblem(req);
				if (problem) return openAiError(400, problem, 'invalid_request_error', null);
				const model = (req.body as { model: string }).model;
				if (!SERVERLESS.includes(model)) {
					return openAiError(
						400,
						`Unable to access non-serverless model ${model}. Please visit https://api.together.ai/models/${model} to create and start a new dedicated endpoint for the model.`,
						'invalid_request_error',
						'model_not_available',
					);
				}
				return chatCompletion(req, '');
			},
		},
	],
};
