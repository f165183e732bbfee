import { excerpt } from '../redact';

/** The fields every gateway error envelope boils down to. */
export interface Envelope {
	message?: string;
	type?: string;
	code?: string;
	param?: string;
	metadata?: Record<string, unknown>;
}

/**
 * Reads `{error:{message,type,param,code}}` (LiteLLM, OpenAI), `{error:{code:int,message,metadata}}`
 * (OpenRouter), `{detail}` and `{message}` bodies. Python reprs such as `"None"` become undefined.
 */
export function readEnvelope(body: unknown): Envelope {
	if (!body || typeof body !== 'object') return {};
	const record = body as Record<string, unknown>;
	const inner = record.error;
	const source = inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : record;
	const text = (v: unknown) =>
		v === null || v === undefined || v === 'None' ? undefined : String(v);
	const detail =
		typeof record.detail === 'object' && record.detail !== null
			? JSON.stringify(record.detail)
			: record.detail;
	let message = text(source.message) ?? text(detail);
	if (!message && typeof inner === 'string') message = inner;
	return {
		message,
		type: text(source.type),
		code: text(source.code),
		param: text(source.param),
		metadata:
			source.metadata && typeof source.metadata === 'object'
				? (source.metadata as Record<string, unknown>)
				: undefined,
	};
}

/** A short one-line excerpt of a body for error descriptions, secrets removed. */
export function bodyExcerpt(text: string, secrets: Array<string | undefined>): string {
	return excerpt(text, 200, secrets);
}

/** `Retry-After` in seconds or an HTTP date, as milliseconds. */
export function retryAfterMs(headers: Record<string, string | undefined>): number | undefined {
	const ms = headers['retry-after-ms'];
	if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
	const value = headers['retry-after'];
	if (!value) return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
