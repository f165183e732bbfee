import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	ISupplyDataFunctions,
} from 'n8n-workflow';

import { CancelledError, ConnectionError, TimeoutError, type Upstream } from '../errors/classes';
import { redactText } from '../redact';

/** Every n8n context that can send authenticated requests. */
export type HttpContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| ISupplyDataFunctions
	| IPollFunctions;

export interface HttpCall {
	method: IHttpRequestMethods;
	url: string;
	body?: IDataObject | IDataObject[];
	qs?: IDataObject;
	headers?: Record<string, string>;
	/** Per-try timeout in ms; the abort signal of the execution is added by n8n. */
	timeoutMs?: number;
}

export interface RawResponse {
	status: number;
	/** Header names in lower case. */
	headers: Record<string, string>;
	/** The body as text, untouched. */
	text: string;
	/** The body parsed as JSON, or undefined when it is empty or not JSON. */
	json: unknown;
	latencyMs: number;
}

/** Larger answers are refused rather than parsed: no chat or admin answer is legitimately this big. */
const MAX_BODY_CHARS = 32 * 1024 * 1024;

const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'CERT_HAS_EXPIRED',
	'EPROTO',
]);

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * One authenticated request through n8n's helpers (proxy settings, SSRF rules and credential redaction
 * apply). Every HTTP status comes back as a RawResponse for the caller to judge; only transport failures
 * throw, as ConnectionError or TimeoutError, with the key redacted from any message.
 */
export async function sendRequest(
	ctx: HttpContext,
	credentialType: string,
	upstream: Upstream,
	call: HttpCall,
	secrets: Array<string | undefined>,
	credentialOptions?: IAdditionalCredentialOptions,
): Promise<RawResponse> {
	const options: IHttpRequestOptions = {
		method: call.method,
		url: call.url,
		qs: call.qs,
		body: call.body,
		headers: { Accept: 'application/json', ...(call.headers ?? {}) },
		json: call.body !== undefined,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: call.timeoutMs,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	const { raw, started } = await helperRequest(
		ctx,
		credentialType,
		upstream,
		options,
		secrets,
		credentialOptions,
	);
	return toRawResponse(raw.statusCode, raw.headers, raw.body, started);
}

/** What n8n's helper answers with `returnFullResponse`. */
export interface HelperResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

/**
 * The one call of n8n's authenticated request helper: a transport failure becomes ConnectionError or
 * TimeoutError with the key redacted; `started` is when the request left, for the latency.
 */
export async function helperRequest(
	ctx: HttpContext,
	credentialType: string,
	upstream: Upstream,
	options: IHttpRequestOptions,
	secrets: Array<string | undefined>,
	credentialOptions?: IAdditionalCredentialOptions,
): Promise<{ raw: HelperResponse; started: number }> {
	const started = Date.now();
	try {
		const raw = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType,
			options,
			credentialOptions,
		)) as HelperResponse;
		return { raw, started };
	} catch (error) {
		throw transportError(error, upstream, options.timeout, secrets);
	}
}

/** What n8n's helpers returned (`returnFullResponse`, text body), as a RawResponse. */
export function toRawResponse(
	status: number,
	rawHeaders: Record<string, unknown> | undefined,
	body: unknown,
	started: number,
): RawResponse {
	const text =
		typeof body === 'string'
			? body
			: body === undefined || body === null
				? ''
				: JSON.stringify(body);
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(rawHeaders ?? {})) {
		if (value !== undefined)
			headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return {
		status,
		headers,
		text,
		json: text.length <= MAX_BODY_CHARS ? parseJson(text) : undefined,
		latencyMs: Date.now() - started,
	};
}

function parseJson(text: string): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * The low-level error code (ECONNREFUSED…) n8n and axios wrapped, several causes deep, and the innermost
 * message. axios reports its own timeout only in the message; that becomes ETIMEDOUT.
 */
export function lowLevelCause(error: unknown): { code?: string; message: string } {
	let current: unknown = error;
	let message = error instanceof Error ? error.message : String(error);
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const record = current as { code?: unknown; cause?: unknown; message?: unknown };
		if (typeof record.code === 'string' && /^[A-Z_]+$/.test(record.code)) {
			return {
				code: record.code,
				message: typeof record.message === 'string' ? record.message : message,
			};
		}
		if (typeof record.message === 'string') message = record.message;
		current = record.cause;
	}
	return { code: /timeout of \d+ms exceeded/i.test(message) ? 'ETIMEDOUT' : undefined, message };
}

/** A request that got no HTTP answer, as a typed error; the message is redacted. */
export function transportError(
	error: unknown,
	upstream: Upstream,
	timeoutMs: number | undefined,
	secrets: Array<string | undefined>,
): Error {
	const { code, message } = lowLevelCause(error);
	const safe = redactText(message, secrets).slice(0, 300);
	if (code && TIMEOUT_CODES.has(code)) {
		return new TimeoutError({
			upstream,
			message: `no answer within ${timeoutMs ?? '?'} ms`,
			causeCode: code,
		});
	}
	// Never the original: n8n's wrapped axios error carries the request config, Authorization header included.
	if (code === 'ERR_CANCELED')
		return new CancelledError({ upstream, message: 'the execution was stopped', causeCode: code });
	if (
		(code && CONNECTION_CODES.has(code)) ||
		/socket hang up|ECONNRESET|ECONNREFUSED/i.test(message)
	) {
		return new ConnectionError({ upstream, message: safe, causeCode: code ?? 'ECONNRESET' });
	}
	return new ConnectionError({ upstream, message: safe, causeCode: code ?? 'UNKNOWN' });
}
