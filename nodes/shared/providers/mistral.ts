import { bearerHeaders, classifyCommon, countListed, openAiBilledProbe } from './classify';
import type { ProviderSpec } from './types';

/**
 * Mistral: Bearer, `GET /models` free. 401 `{"message":"Unauthorized"}` (or `{"detail":…}`); 429 either
 * "rate limit" or a workspace usage limit (`insufficient_quota`, monthly). No public key admin API.
 */
export const mistral: ProviderSpec = {
	id: 'mistral',
	displayName: 'Mistral',
	envName: 'MISTRAL_API_KEY',
	liteLlmProvider: 'mistral',
	defaultBaseUrl: 'https://api.mistral.ai/v1',
	needsKey: true,
	keyFormat: /^[A-Za-z0-9]{24,}$/,
	keyFormatHint: 'Mistral keys are 32 letters and digits',
	authHeaders: bearerHeaders,
	zeroTokenCheck: { method: 'GET', path: '/models' },
	billedProbe: openAiBilledProbe('mistral-small-latest'),
	countModels: countListed,
	classify: (answer) => classifyCommon(answer),
};
