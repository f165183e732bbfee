import type { KeyStatus, ProviderAnswer } from './types';

/** The error text of the usual envelopes: `{error:{message,type,code,status}}`, `{message}`, `{detail}`. */
export function errorText(json: unknown): string {
	if (!json || typeof json !== 'object') return '';
	const record = json as Record<string, unknown>;
	const inner =
		record.error && typeof record.error === 'object'
			? (record.error as Record<string, unknown>)
			: {};
	const parts = [
		inner.message,
		inner.type,
		inner.code,
		inner.status,
		record.message,
		record.detail,
		record.type,
	];
	if (typeof record.error === 'string') parts.push(record.error);
	const details = Array.isArray(inner.details) ? inner.details.map((d) => JSON.stringify(d)) : [];
	return [...parts.filter((p) => p !== undefined && p !== null).map(String), ...details].join(' ');
}

const QUOTA = /insufficient_quota|quota|billing|credit|balance|exceeded your current|payment/i;

/**
 * The classification most providers share: 2xx valid; 401/403 invalid; 402 quota; 429 rate limited unless
 * the body speaks of quota or credit (OpenAI's `insufficient_quota` is a 429 that retrying cannot fix);
 * anything else unknown. Providers with quirks (Gemini's 400, Perplexity's probe) wrap this.
 */
export function classifyCommon(answer: ProviderAnswer): KeyStatus {
	const { status } = answer;
	if (status >= 200 && status < 300) return 'valid';
	if (status === 401 || status === 403) return 'invalid';
	if (status === 402) return 'quota_exhausted';
	if (status === 429)
		return QUOTA.test(errorText(answer.json)) ? 'quota_exhausted' : 'rate_limited';
	return 'unknown';
}

/** `{data:[…]}` (OpenAI style), `{models:[…]}` (Gemini, Ollama, Cohere), or a bare array (Together). */
export function countListed(json: unknown): number | undefined {
	if (Array.isArray(json)) return json.length;
	if (!json || typeof json !== 'object') return undefined;
	const record = json as { data?: unknown; models?: unknown };
	if (Array.isArray(record.data)) return record.data.length;
	if (Array.isArray(record.models)) return record.models.length;
	return undefined;
}

export const bearerHeaders = (key: string): Record<string, string> => ({
	Authorization: `Bearer ${key}`,
});

/** A one-token chat completion in the OpenAI shape: the cheapest call that spends (shows empty quotas). */
export const openAiBilledProbe = (model: string) => ({
	method: 'POST' as const,
	path: '/chat/completions',
	body: { model, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] },
});
