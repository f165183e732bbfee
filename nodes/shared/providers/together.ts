import { bearerHeaders, classifyCommon, countListed, openAiBilledProbe } from './classify';
import type { ProviderSpec } from './types';

/**
 * Together AI: Bearer, `GET /models` free and answered as a **bare array** (countListed handles it). 401
 * `invalid_api_key`; 429 rate limit; 402 credit limit. No public key admin API.
 */
export const together: ProviderSpec = {
	id: 'together',
	displayName: 'Together AI',
	envName: 'TOGETHERAI_API_KEY',
	liteLlmProvider: 'together_ai',
	defaultBaseUrl: 'https://api.together.xyz/v1',
	needsKey: true,
	keyFormat: /^(tgp_v1_)?[A-Za-z0-9_-]{30,}$/,
	keyFormatHint: 'Together keys are 64 hex characters or start with "tgp_v1_"',
	authHeaders: bearerHeaders,
	zeroTokenCheck: { method: 'GET', path: '/models' },
	billedProbe: openAiBilledProbe('meta-llama/Llama-3.3-70B-Instruct-Turbo'),
	countModels: countListed,
	classify: (answer) => classifyCommon(answer),
};
