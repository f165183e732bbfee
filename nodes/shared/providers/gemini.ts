import { classifyCommon, countListed, errorText } from './classify';
import type { ProviderSpec } from './types';

/**
 * Google Gemini: `x-goog-api-key` (never `?key=`: keys in URLs end up in traces, BerriAI/litellm#24902).
 * A bad key is **400** INVALID_ARGUMENT with reason API_KEY_INVALID, not 401. Rate limit and exhausted quota
 * are both 429 RESOURCE_EXHAUSTED: a per-day quota id means exhausted, a per-minute one (with RetryInfo)
 * means rate limited. Keys are GCP API keys, managed with GCP IAM: no rotation API here.
 */
export const gemini: ProviderSpec = {
	id: 'gemini',
	displayName: 'Google Gemini',
	envName: 'GEMINI_API_KEY',
	liteLlmProvider: 'gemini',
	defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
	needsKey: true,
	keyFormat: /^AIza[0-9A-Za-z_-]{30,}$/,
	keyFormatHint: 'Gemini API keys start with "AIza"',
	authHeaders: (key) => ({ 'x-goog-api-key': key }),
	zeroTokenCheck: { method: 'GET', path: '/models' },
	billedProbe: {
		method: 'POST',
		path: '/models/gemini-2.0-flash:generateContent',
		body: { contents: [{ parts: [{ text: 'ping' }] }], generationConfig: { maxOutputTokens: 1 } },
	},
	countModels: countListed,
	classify: (answer) => {
		const text = errorText(answer.json);
		if (answer.status === 400 && /API_KEY_INVALID|API key not valid/i.test(text)) return 'invalid';
		if (answer.status === 429)
			return /PerDay|per day/i.test(text) ? 'quota_exhausted' : 'rate_limited';
		return classifyCommon(answer);
	},
};
