/**
 * `ProxyBaseLLMRequestProcessing.get_custom_headers`: every value a string, and headers whose
 * value would be '', None or "None" dropped.
 *
 * Choices where LiteLLM's documentation and code leave the answer open:
 * - Upstream rate-limit headers (`x-ratelimit-*`, and their `llm_provider-` copies) come from the deployment's
 *   `rpm`/`tpm` (defaults 10000 requests and 1000000 tokens a minute) minus this minute's use.
 * - `x-litellm-key-remaining-*-<group>` are sent only for keys with `rpm_limit`/`tpm_limit` (LiteLLM's rate
 *   limiter emits them only then).
 * - On a failed LLM call: call id, version, `x-litellm-response-cost: 0`, key spend and the retry counts.
 * - The master key has no DB row, so its `x-litellm-key-spend` is this call's cost alone.
 */
import type { AuthContext } from './auth';
import type { Deployment } from './config';
import { countUsage, type LiteLlmContext } from './context';
import { pyFloat } from './pyfloat';
import type { FallbackErrorEntry } from './router';

export function dropEmpty(
	headers: Record<string, string | number | undefined | null>,
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || value === null) continue;
		const text = String(value);
		if (text === '' || text === 'None') continue;
		out[name] = text;
	}
	return out;
}

/** Group name as a header suffix: `/` and `:` become `-`. */
export function headerSafeGroup(group: string): string {
	return group.replace(/[/:]/g, '-');
}

function keyLimitHeaders(auth: AuthContext): Record<string, string | number | undefined> {
	const key = auth.key;
	return {
		'x-litellm-key-max-budget':
			key?.max_budget !== null && key?.max_budget !== undefined
				? pyFloat(key.max_budget)
				: undefined,
		'x-litellm-key-tpm-limit': key?.tpm_limit ?? undefined,
		'x-litellm-key-rpm-limit': key?.rpm_limit ?? undefined,
	};
}

export interface SuccessHeaderInput {
	callId: string;
	deployment: Deployment;
	group: string;
	/** Undefined for streams: no cost header then. */
	cost?: number;
	keySpend: number;
	startedAt: number;
	timeout?: number;
	attemptedRetries: number;
	maxRetries: number;
	attemptedFallbacks: number;
	fallbackErrors: FallbackErrorEntry[];
	totalTokens: number;
}

export function successHeaders(
	ctx: LiteLlmContext,
	auth: AuthContext,
	input: SuccessHeaderInput,
): Record<string, string> {
	const d = input.deployment;
	const rpm = d.litellm_params.rpm ?? 10000;
	const tpm = d.litellm_params.tpm ?? 1_000_000;
	const depUse = countUsage(ctx, `dep:${d.model_info.id}`, input.totalTokens);
	const upstream = {
		'x-ratelimit-limit-requests': rpm,
		'x-ratelimit-limit-tokens': tpm,
		'x-ratelimit-remaining-requests': Math.max(0, rpm - depUse.requests),
		'x-ratelimit-remaining-tokens': Math.max(0, tpm - depUse.tokens),
	};
	const headers: Record<string, string | number | undefined> = {
		'x-litellm-call-id': input.callId,
		'x-litellm-model-id': d.model_info.id,
		'x-litellm-model-group': input.group,
		'x-litellm-model-api-base': d.apiBase,
		'x-litellm-version': ctx.options.version,
		'x-litellm-response-cost': input.cost === undefined ? undefined : pyFloat(input.cost),
		'x-litellm-key-spend': pyFloat(input.keySpend),
		...keyLimitHeaders(auth),
		'x-litellm-response-duration-ms': pyFloat(
			Math.max(0.001, ctx.options.clock() - input.startedAt),
		),
		'x-litellm-overhead-duration-ms': pyFloat(0.512),
		'x-litellm-timeout': input.timeout === undefined ? undefined : pyFloat(input.timeout),
		'x-litellm-attempted-retries': input.attemptedRetries,
		'x-litellm-max-retries': input.maxRetries,
		'x-litellm-attempted-fallbacks': input.attemptedFallbacks,
		...upstream,
	};
	for (const [name, value] of Object.entries(upstream)) headers[`llm_provider-${name}`] = value;
	const key = auth.key;
	if (key && (key.rpm_limit !== null || key.tpm_limit !== null)) {
		const use = countUsage(ctx, `key:${auth.token}:${input.group}`, input.totalTokens);
		const suffix = headerSafeGroup(input.group);
		if (key.rpm_limit !== null)
			headers[`x-litellm-key-remaining-requests-${suffix}`] = Math.max(
				0,
				key.rpm_limit - use.requests,
			);
		if (key.tpm_limit !== null)
			headers[`x-litellm-key-remaining-tokens-${suffix}`] = Math.max(0, key.tpm_limit - use.tokens);
	}
	return dropEmpty(headers);
}

export function errorHeaders(
	ctx: LiteLlmContext,
	auth: AuthContext,
	input: {
		callId: string;
		keySpend: number;
		attemptedRetries: number;
		maxRetries: number;
		timeout?: number;
	},
): Record<string, string> {
	return dropEmpty({
		'x-litellm-call-id': input.callId,
		'x-litellm-version': ctx.options.version,
		'x-litellm-response-cost': '0',
		'x-litellm-key-spend': pyFloat(input.keySpend),
		...keyLimitHeaders(auth),
		'x-litellm-timeout': input.timeout === undefined ? undefined : pyFloat(input.timeout),
		'x-litellm-attempted-retries': input.attemptedRetries,
		'x-litellm-max-retries': input.maxRetries,
	});
}
