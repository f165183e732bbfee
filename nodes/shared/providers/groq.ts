import {
	bearerHeaders,
	classifyCommon,
	countListed,
	errorText,
	openAiBilledProbe,
} from './classify';
import type { ProviderSpec } from './types';

/**
 * Groq: Bearer, `GET /models` free (base `…/openai/v1`). 401 `invalid_api_key`; 429 `rate_limit_exceeded`
 * for per-minute limits and for the per-day token limit, which we count as exhausted until the day turns.
 * 498/499 are capacity answers, not key states. No public key admin API.
 */
export const groq: ProviderSpec = {
	id: 'groq',
	displayName: 'Groq',
	envName: 'GROQ_API_KEY',
	liteLlmProvider: 'groq',
	defaultBaseUrl: 'https://api.groq.com/openai/v1',
	needsKey: true,
	keyFormat: /^gsk_[A-Za-z0-9]{20,}$/,
	keyFormatHint: 'Groq keys start with "gsk_"',
	authHeaders: bearerHeaders,
	zeroTokenCheck: { method: 'GET', path: '/models' },
	billedProbe: openAiBilledProbe('llama-3.1-8b-instant'),
	countModels: countListed,
	classify: (answer) => {
		if (answer.status === 429 && /per day|\(TPD\)|\(RPD\)/i.test(errorText(answer.json)))
			return 'quota_exhausted';
		return classifyCommon(answer);
	},
};
