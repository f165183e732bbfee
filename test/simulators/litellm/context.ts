/**
 * What every LiteLLM route file receives: the parsed config, the in-memory DB, the router, the upstream
 * control and the simulator options. Later route files (keys, credentials, model management, spend) take the
 * same object.
 */
import type { ProxyConfig } from './config';
import type { Router, UpstreamCall } from './router';
import type { ProxyState } from './state';
import type { UpstreamControl } from './upstream';

export interface LiteLlmOptions {
	/** Real config.yaml text. */
	configYaml: string;
	/** Values for `os.environ/NAME` references. */
	env?: Record<string, string | undefined>;
	/** `tool_calls: null` and `function_call: null` on plain answers (default true, LiteLLM's shape in many builds). */
	nullFields?: boolean;
	/** `x-litellm-version` (default '1.81.0'). */
	version?: string;
	/** Wait between router retries (default 0). */
	retryDelayMs?: number;
	/** Pause between SSE chunks (default 0). */
	streamChunkDelayMs?: number;
	/**
	 * Refuse a body `api_key` unless `allow_client_side_credentials` or the deployment's
	 * `configurable_clientside_auth_params` allow it (a possible future LiteLLM). Default false: today's LiteLLM
	 * accepts it without any opt-in (BerriAI/litellm#36794).
	 */
	requireClientSideAuthOptIn?: boolean;
	/**
	 * False: the proxy runs without a database, as the real one does without DATABASE_URL (default true). Unknown
	 * keys get 400 no_db_connection, readiness says `db: "Not connected"`, and the management routes answer
	 * LiteLLM's "not connected" errors (no-database.ts) instead of being served.
	 */
	database?: boolean;
	/** Clock for cooldowns, key expiry and rate-limit minutes (default Date.now). */
	clock?: () => number;
}

export interface LiteLlmContext {
	config: ProxyConfig;
	state: ProxyState;
	router: Router;
	upstream: UpstreamControl;
	upstreamCalls: UpstreamCall[];
	options: Required<Omit<LiteLlmOptions, 'env' | 'configYaml'>>;
	/** Per-minute request and token counters, keyed by `key:<token>` or `dep:<model id>`. */
	usageWindow: Map<string, { minute: number; requests: number; tokens: number }>;
}

export function countUsage(
	ctx: LiteLlmContext,
	id: string,
	tokens: number,
): { requests: number; tokens: number } {
	const minute = Math.floor(ctx.options.clock() / 60_000);
	let entry = ctx.usageWindow.get(id);
	if (!entry || entry.minute !== minute) {
		entry = { minute, requests: 0, tokens: 0 };
		ctx.usageWindow.set(id, entry);
	}
	entry.requests += 1;
	entry.tokens += tokens;
	return { requests: entry.requests, tokens: entry.tokens };
}
