import { classifyCommon, countListed, errorText } from './classify';
import type { ProviderSpec } from './types';

/**
 * Anthropic: `x-api-key` plus `anthropic-version: 2023-06-01`; `GET /models` is free (Infisical checks keys
 * the same way). 401 `authentication_error`; 429 `rate_limit_error`; 529 `overloaded_error` says nothing
 * about the key (unknown). An empty balance shows only on a billed call, as 400 "credit balance is too low".
 * The Admin API can deactivate keys but cannot create or delete them: no rotation API.
 */
export const anthropic: ProviderSpec = {
	id: 'anthropic',
	displayName: 'Anthropic',
	envName: 'ANTHROPIC_API_KEY',
	liteLlmProvider: 'anthropic',
	defaultBaseUrl: 'https://api.anthropic.com/v1',
	needsKey: true,
	keyFormat: /^sk-ant-[A-Za-z0-9_-]{20,}$/,
	keyFormatHint: 'Anthropic keys start with "sk-ant-"',
	authHeaders: (key) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' }),
	zeroTokenCheck: { method: 'GET', path: '/models' },
	billedProbe: {
		method: 'POST',
		path: '/messages',
		body: {
			model: 'claude-3-5-haiku-20241022',
			max_tokens: 1,
			messages: [{ role: 'user', content: 'ping' }],
		},
	},
	countModels: countListed,
	classify: (answer) => {
		if (answer.status === 400 && /credit balance/i.test(errorText(answer.json)))
			return 'quota_exhausted';
		return classifyCommon(answer);
	},
};
