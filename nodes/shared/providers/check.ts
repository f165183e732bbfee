import { excerpt } from '../redact';
import { errorText } from './classify';
import type { ProviderHttp } from './http';
import type { KeyStatus, ProviderSpec } from './types';

export type CheckDepth = 'free' | 'billed';

export interface KeyCheckInput {
	spec: ProviderSpec;
	baseUrl: string;
	key: string;
	/** `free`: the zero-token check only; `billed`: then a one-token call that shows an exhausted quota. */
	depth?: CheckDepth;
	timeoutMs?: number;
}

export interface KeyCheckResult {
	status: KeyStatus;
	/** HTTP status of the deciding answer; undefined when unreachable. */
	httpStatus?: number;
	latencyMs: number;
	/** Models the key can see, where the check lists them. */
	models?: number;
	/** What the provider said, short and redacted; or the transport failure code. */
	detail?: string;
	/** Retry-After in seconds, when a rate limit gave one. */
	retryAfter?: string;
}

/** Checks one key: the zero-token check, then (depth `billed`, key valid) the billed probe. */
export async function checkKey(http: ProviderHttp, input: KeyCheckInput): Promise<KeyCheckResult> {
	const { spec, baseUrl, key } = input;
	const timeoutMs = input.timeoutMs ?? 15_000;
	const first = await probe(http, input, 'check', timeoutMs);
	if (first.status !== 'valid' || input.depth !== 'billed' || !spec.billedProbe) return first;
	const second = await probe(http, { spec, baseUrl, key }, 'billed', timeoutMs);
	// A billed probe that failed for another reason (model retired, 400) does not undo a valid check.
	const decisive =
		second.status === 'quota_exhausted' ||
		second.status === 'invalid' ||
		second.status === 'rate_limited';
	return decisive
		? { ...second, models: first.models, latencyMs: first.latencyMs + second.latencyMs }
		: first;
}

async function probe(
	http: ProviderHttp,
	input: KeyCheckInput,
	kind: 'check' | 'billed',
	timeoutMs: number,
): Promise<KeyCheckResult> {
	const { spec, baseUrl, key } = input;
	const call = kind === 'check' ? spec.zeroTokenCheck : spec.billedProbe!;
	const outcome = await http({
		method: call.method,
		url: `${baseUrl.replace(/\/+$/, '')}${call.path}`,
		headers: spec.authHeaders(key),
		body: call.body,
		qs: call.qs,
		timeoutMs,
	});
	if (!outcome.reached)
		return { status: 'unreachable', latencyMs: outcome.latencyMs, detail: outcome.reason };
	const status = spec.classify(outcome, kind);
	const result: KeyCheckResult = {
		status,
		httpStatus: outcome.status,
		latencyMs: outcome.latencyMs,
	};
	if (status === 'valid' && kind === 'check') result.models = spec.countModels(outcome.json);
	if (status !== 'valid') {
		const said = errorText(outcome.json) || outcome.text || '';
		result.detail = excerpt(said, 160, [key]);
		if (outcome.headers['retry-after']) result.retryAfter = outcome.headers['retry-after'];
	}
	return result;
}
