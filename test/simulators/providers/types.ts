/**
 * The shape every provider file fills in. The ProviderSimulator runs the same gate for each provider:
 * precheck (e.g. Anthropic's anthropic-version) → missing key → unknown/revoked key → rate limited →
 * route handler (which validates the body) → quota exhausted (billed routes only) → success.
 *
 * Why quota exhaustion only shows on billed routes: listing models costs nothing, and providers answer it
 * for keys with no credit (e.g. WrenAI PR #1043 checks credit with a "hello" completion because the key
 * otherwise looks fine). A key checker that must detect an empty balance has to make a billed (or probe)
 * call; the simulator makes that visible instead of hiding it.
 */
import type { SimRequest, SimResponse } from '../http/server';

export type KeyState = 'valid' | 'rate_limited' | 'quota_exhausted';

/** `check`: zero-token key check; `billed`: spends tokens; `admin`: key administration; `open`: no auth. */
export type RouteKind = 'check' | 'billed' | 'admin' | 'open';

export interface ProviderContext {
	/** Registers a key minted by an admin API (valid from now on). */
	mintKey(key: string, name?: string): void;
	/** Revokes a key; false when it was not active. */
	revokeKey(key: string): boolean;
}

export interface ProviderRoute {
	method: string;
	/** Path below the provider's origin, e.g. `/v1/models` (`:params` allowed). */
	path: string;
	kind: RouteKind;
	/**
	 * Returns the success answer, or a provider-shaped 4xx for a bad body. On a billed route a 2xx answer
	 * for a quota-exhausted key is replaced by the provider's quota answer (body validated first).
	 */
	handler: (req: SimRequest, key: string, ctx: ProviderContext) => SimResponse;
}

export interface ProviderDefinition {
	/** Path prefix on the shared server, also the name used in the test API: 'openai', 'anthropic', … */
	id: string;
	/** The documented base path under the provider's origin: '/v1', '/v1beta', '/openai/v1', ''. */
	basePath: string;
	/** Human-readable auth form, for reports. */
	authForm: string;
	/** The key from the request, '' when none was sent. Ollama (no auth) always returns ''. */
	extractKey(req: SimRequest): string;
	precheck?(req: SimRequest): SimResponse | undefined;
	missingKey(): SimResponse;
	invalidKey(key: string): SimResponse;
	rateLimited(): SimResponse;
	quotaExhausted(): SimResponse;
	routes: ProviderRoute[];
	/** True when the provider has no auth at all (Ollama). */
	noAuth?: boolean;
}

export function bearer(req: SimRequest): string {
	const header = req.headers.authorization ?? '';
	return header.replace(/^Bearer\s+/i, '').trim();
}

export function requestId(prefix = 'req_'): string {
	return `${prefix}${Math.random().toString(36).slice(2, 14)}${Math.random().toString(36).slice(2, 14)}`;
}

/** OpenAI-style masking seen in "Incorrect API key provided: sk-abc***…wxyz". */
export function maskLikeOpenAi(key: string): string {
	if (key.length <= 8) return '*'.repeat(key.length);
	return `${key.slice(0, 3)}${'*'.repeat(Math.max(4, key.length - 7))}${key.slice(-4)}`;
}
