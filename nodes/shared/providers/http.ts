import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { type HttpContext, lowLevelCause, toRawResponse } from '../transport/http';
import type { ProviderAnswer } from './types';

export interface ProviderRequest {
	method: IHttpRequestMethods;
	url: string;
	headers: Record<string, string>;
	body?: IDataObject;
	qs?: IDataObject;
	timeoutMs: number;
}

export type ProviderOutcome =
	| ({ reached: true; latencyMs: number } & ProviderAnswer)
	| { reached: false; latencyMs: number; reason: string };

/** Sends one request to a provider; injected so the checker can be tested without a network. */
export type ProviderHttp = (request: ProviderRequest) => Promise<ProviderOutcome>;

/**
 * Provider keys are not n8n credentials: they live in Infisical and reach this request from the key store,
 * so the request goes through n8n's plain `httpRequest` (proxy and SSRF rules still apply) with the auth
 * header set here. No n8n credential is read in this function. Every status comes back as an answer; only a
 * request that got no HTTP answer is `reached: false`, with a reason that never carries the key.
 */
export function providerHttp(ctx: HttpContext): ProviderHttp {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: { Accept: 'application/json', ...request.headers },
			body: request.body,
			qs: request.qs,
			json: request.body !== undefined,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: request.timeoutMs,
			sendCredentialsOnCrossOriginRedirect: false,
			// Plain httpRequest does not attach the execution's cancel signal by itself: a stopped workflow
			// must not leave key checks running. Load-options and poll contexts have no such signal.
			abortSignal: 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal?.() : undefined,
		};
		const started = Date.now();
		let raw: { body: unknown; headers: Record<string, unknown>; statusCode: number };
		try {
			raw = (await ctx.helpers.httpRequest(options)) as typeof raw;
		} catch (error) {
			return { reached: false, latencyMs: Date.now() - started, reason: transportReason(error) };
		}
		return { reached: true, ...toRawResponse(raw.statusCode, raw.headers, raw.body, started) };
	};
}

/** Only the low-level code (ECONNREFUSED, ETIMEDOUT…): messages may quote request options. */
function transportReason(error: unknown): string {
	return lowLevelCause(error).code ?? 'NO_RESPONSE';
}
