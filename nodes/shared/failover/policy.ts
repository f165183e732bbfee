import { causeText } from '../errors/cause-text';
import type { GatewayError } from '../errors/classes';

/**
 * Which LiteLLM failures fail over to OpenRouter. LiteLLM already retries and falls back server-side, so
 * the node adds no retries of its own; it only decides, once, whether OpenRouter should answer instead.
 *
 * Fails over: the proxy unreachable (refused, reset, DNS, TLS), a timeout, a 502/503/504 that is not
 * LiteLLM's own JSON (a reverse proxy's HTML or empty page), and 429 "No deployments available" (every
 * deployment of the group cooling down).
 * Never: 400, 401, 403, 404, 422 (OpenRouter would fail the same way, or the caller must fix something),
 * 429 `budget_exceeded` (failing over would dodge the budget the operator set), a plain 429 rate limit
 * (the key's own limit; paying OpenRouter to dodge it is the silent fallback users complain about), and
 * LiteLLM's JSON 5xx (a provider error behind a healthy proxy, after LiteLLM's own retries and fallbacks).
 */
const FAILOVER_KINDS = new Set(['connection', 'timeout', 'service_unavailable', 'no_deployments']);

/**
 * Signs that the proxy itself is down; only these count against the breaker, which is per base URL. A
 * per-group failure ("No deployments available", a provider's 503 in LiteLLM's JSON) says nothing about
 * the other groups, so it must not send their calls to OpenRouter.
 */
const PROXY_DOWN_KINDS = new Set(['connection', 'timeout', 'service_unavailable']);

export function triggersFailover(error: GatewayError): boolean {
	return FAILOVER_KINDS.has(error.kind);
}

export function isProxyDown(error: GatewayError): boolean {
	return PROXY_DOWN_KINDS.has(error.kind);
}

/** A short reason for the output's `routeReason`, e.g. "litellm unreachable (ECONNREFUSED)". */
export function failoverReason(error: GatewayError): string {
	switch (error.kind) {
		case 'connection':
			return `litellm unreachable (${causeText(error.causeCode)})`;
		case 'timeout':
			return 'litellm timed out';
		case 'service_unavailable':
			return `litellm answered ${error.status}`;
		case 'no_deployments':
			return 'litellm has no deployment available (429)';
		default:
			return `litellm failed (${error.kind})`;
	}
}
