import { bearerHeaders, classifyCommon, countListed, openAiBilledProbe } from './classify';
import type { ProviderSpec } from './types';

/**
 * OpenAI: `Authorization: Bearer`, `GET /models` is free. 401 `invalid_api_key` for a bad key; 429 with code
 * `rate_limit_exceeded` (retry) or `insufficient_quota` (top up: not retryable), which classifyCommon tells
 * apart by the body. Admin keys exist only for organisation admins and cannot mint user keys: no rotation API.
 */
export const openai: ProviderSpec = {
	id: 'openai',
	displayName: 'OpenAI',
	envName: 'OPENAI_API_KEY',
	liteLlmProvider: 'openai',
	defaultBaseUrl: 'https://api.openai.com/v1',
	needsKey: true,
	keyFormat: /^sk-[A-Za-z0-9_-]{20,}$/,
	keyFormatHint: 'OpenAI keys start with "sk-" (sk-proj-…, sk-svcacct-…)',
	authHeaders: bearerHeaders,
	zeroTokenCheck: { method: 'GET', path: '/models' },
	billedProbe: openAiBilledProbe('gpt-4o-mini'),
	countModels: countListed,
	classify: (answer) => classifyCommon(answer),
};
