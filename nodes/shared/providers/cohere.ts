import { bearerHeaders, classifyCommon, errorText } from './classify';
import type { ProviderSpec } from './types';

/**
 * Cohere: Bearer; `POST /v1/check-api-key` is the purpose-made free check (`{valid, organization_id}`).
 * 401 `{id, message}` for a bad key; 429 for trial limits per minute, and for the monthly trial limit
 * (exhausted) on billed calls. No public key admin API.
 */
export const cohere: ProviderSpec = {
	id: 'cohere',
	displayName: 'Cohere',
	envName: 'COHERE_API_KEY',
	liteLlmProvider: 'cohere',
	defaultBaseUrl: 'https://api.cohere.com',
	needsKey: true,
	keyFormat: /^[A-Za-z0-9]{30,}$/,
	keyFormatHint: 'Cohere keys are 40 letters and digits',
	authHeaders: bearerHeaders,
	zeroTokenCheck: { method: 'POST', path: '/v1/check-api-key' },
	billedProbe: {
		method: 'POST',
		path: '/v2/chat',
		body: { model: 'command-r', max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] },
	},
	// check-api-key lists no models.
	countModels: () => undefined,
	classify: (answer) => {
		const body = answer.json as { valid?: unknown } | undefined;
		if (answer.status === 200 && body && body.valid === false) return 'invalid';
		if (answer.status === 429 && /month|monthly/i.test(errorText(answer.json)))
			return 'quota_exhausted';
		return classifyCommon(answer);
	},
};
