import { bearerHeaders, classifyCommon } from './classify';
import type { ProviderSpec } from './types';

/**
 * OpenRouter: Bearer. `GET /key` works with any key and costs nothing (`/models` is public, so it proves
 * nothing). 401 bad or disabled key; 402 no credits or key limit reached; 429 rate limit. Key admin API with
 * a management key (the liteLlmOpenRouterApi credential): `POST /keys` (201, plaintext shown once),
 * `DELETE /keys/{hash}`; keys are deleted by hash, so the old plaintext is never needed.
 */
export const openrouter: ProviderSpec = {
	id: 'openrouter',
	displayName: 'OpenRouter',
	envName: 'OPENROUTER_API_KEY',
	liteLlmProvider: 'openrouter',
	defaultBaseUrl: 'https://openrouter.ai/api/v1',
	needsKey: true,
	keyFormat: /^sk-or-v1-[A-Za-z0-9]{20,}$/,
	keyFormatHint: 'OpenRouter keys start with "sk-or-v1-"',
	authHeaders: bearerHeaders,
	zeroTokenCheck: { method: 'GET', path: '/key' },
	billedProbe: {
		method: 'POST',
		path: '/chat/completions',
		body: {
			model: 'openai/gpt-4o-mini',
			max_tokens: 1,
			messages: [{ role: 'user', content: 'ping' }],
		},
	},
	countModels: () => undefined,
	classify: (answer) => {
		// `/key` of a key whose limit is spent still answers 200: limit_remaining tells.
		const data = (answer.json as { data?: { limit_remaining?: unknown } } | undefined)?.data;
		if (
			answer.status === 200 &&
			typeof data?.limit_remaining === 'number' &&
			data.limit_remaining <= 0
		) {
			return 'quota_exhausted';
		}
		return classifyCommon(answer);
	},
	admin: 'openrouter-management',
};
