/**
 * One loopback server hosting every provider under a path prefix that stands in for its host:
 * `https://api.openai.com/v1/models` → `${url}/openai/v1/models`, Gemini's `…/v1beta/models` →
 * `${url}/gemini/v1beta/models`, Groq's `…/openai/v1/models` → `${url}/groq/openai/v1/models`, Ollama's
 * `/api/tags` → `${url}/ollama/api/tags`, OpenRouter's management API → `${url}/openrouter/api/v1/keys`.
 * Why one server: one port to start and stop, one ledger across providers (a rotation test can assert
 * "validated at OpenAI, then wrote to Infisical" order with timestamps), and a provider is one more prefix.
 * `origin(p)` replaces the provider's scheme+host; `baseUrl(p)` adds its documented base path.
 *
 * Per request: latency (if set) → provider precheck → missing key → unknown/revoked key → rate limited →
 * route handler (body validation) → quota exhausted on billed routes → answer. See types.ts for why quota
 * does not show on the zero-token checks.
 */
import { SimServer, type LedgerEntry, type SimRequest, type SimResponse } from '../http/server';
import { anthropic } from './anthropic';
import { cohere } from './cohere';
import { gemini } from './gemini';
import { groq } from './groq';
import { mistral } from './mistral';
import { ollama } from './ollama';
import { openai } from './openai';
import { openAiCompatible } from './openai-compatible';
import { registerOpenRouterKeysApi, type OpenRouterKeysApi } from './openrouter-keys';
import { perplexity } from './perplexity';
import { together } from './together';
import type { KeyState, ProviderContext, ProviderDefinition, ProviderRoute } from './types';

export const BUILT_IN_PROVIDERS: ProviderDefinition[] = [
	openai,
	anthropic,
	gemini,
	cohere,
	mistral,
	perplexity,
	groq,
	together,
	ollama,
	openAiCompatible(),
];

export type ProviderName =
	| 'openai'
	| 'anthropic'
	| 'gemini'
	| 'cohere'
	| 'mistral'
	| 'perplexity'
	| 'groq'
	| 'together'
	| 'ollama'
	| 'compat';

interface ProviderState {
	def: ProviderDefinition;
	keys: Map<string, KeyState>;
	revoked: string[];
	minted: Array<{ key: string; name?: string }>;
	latencyMs: number;
}

export class ProviderSimulator {
	readonly server = new SimServer('providers');

	/** OpenRouter management keys API at `/openrouter/api/v1/keys`. */
	readonly openrouterKeys: OpenRouterKeysApi;

	private readonly providers = new Map<string, ProviderState>();

	private readonly managementKeys = new Set<string>();

	constructor(definitions: ProviderDefinition[] = BUILT_IN_PROVIDERS) {
		for (const def of definitions) this.addProvider(def);
		this.openrouterKeys = registerOpenRouterKeysApi(this.server, {
			prefix: '/openrouter/api/v1',
			isManagementKey: (key) => this.managementKeys.has(key),
		});
	}

	/** Adds a provider (e.g. `openAiCompatible('anyscale')`) before or after start. */
	addProvider(def: ProviderDefinition): void {
		const state: ProviderState = { def, keys: new Map(), revoked: [], minted: [], latencyMs: 0 };
		this.providers.set(def.id, state);
		for (const route of def.routes) {
			this.server.route(route.method, `/${def.id}${route.path}`, (req) =>
				this.handle(state, route, req),
			);
		}
	}

	start(port = 0): Promise<string> {
		return this.server.start(port);
	}

	stop(): Promise<void> {
		return this.server.stop();
	}

	get url(): string {
		return this.server.url;
	}

	get ledger(): LedgerEntry[] {
		return this.server.ledger;
	}

	/** Stand-in for the provider's scheme+host, e.g. `http://127.0.0.1:PORT/openai`. */
	origin(provider: string): string {
		this.state(provider);
		return `${this.url}/${provider}`;
	}

	/** Origin plus the documented base path, e.g. `…/openai/v1`, `…/gemini/v1beta`, `…/groq/openai/v1`. */
	baseUrl(provider: string): string {
		return `${this.origin(provider)}${this.state(provider).def.basePath}`;
	}

	/** OpenRouter API base for the management-key routes: `…/openrouter/api/v1` (then `/keys`). */
	openRouterBaseUrl(): string {
		return `${this.url}/openrouter/api/v1`;
	}

	definition(provider: string): ProviderDefinition {
		return this.state(provider).def;
	}

	/** Replaces the provider's keys (all `valid`) and forgets earlier revocations and mints. */
	setKeys(provider: string, keys: string[]): void {
		const state = this.state(provider);
		state.keys = new Map(keys.map((k) => [k, 'valid']));
		state.revoked = [];
		state.minted = [];
	}

	addKey(provider: string, key: string, keyState: KeyState = 'valid'): void {
		this.state(provider).keys.set(key, keyState);
	}

	setState(provider: string, key: string, keyState: KeyState): void {
		const state = this.state(provider);
		if (!state.keys.has(key)) throw new Error(`${provider} has no active key ${key.slice(0, 6)}…`);
		state.keys.set(key, keyState);
	}

	/** Active keys and their states. */
	keys(provider: string): Array<{ key: string; state: KeyState }> {
		return [...this.state(provider).keys].map(([key, state]) => ({ key, state }));
	}

	/** Removes a key as the provider would on revocation (it then answers "invalid key"). */
	revoke(provider: string, key: string): boolean {
		const state = this.state(provider);
		if (!state.keys.delete(key)) return false;
		state.revoked.push(key);
		return true;
	}

	/** Keys revoked so far (through the admin API or `revoke`), oldest first. */
	revoked(provider: string): string[] {
		return [...this.state(provider).revoked];
	}

	/** Keys minted through an admin API (Perplexity's generate_auth_token). */
	minted(provider: string): Array<{ key: string; name?: string }> {
		return [...this.state(provider).minted];
	}

	/** Delay before every answer of this provider (e.g. 50 ms for benchmarks). */
	setLatency(provider: string, ms: number): void {
		this.state(provider).latencyMs = ms;
	}

	setOpenRouterManagementKeys(keys: string[]): void {
		this.managementKeys.clear();
		for (const key of keys) this.managementKeys.add(key);
	}

	/** Next `times` requests under the provider's prefix (optionally a sub-path) answer `status` + `body`. */
	failNext(
		provider: string,
		status: number,
		body: unknown,
		options: {
			method?: string;
			path?: string;
			headers?: Record<string, string>;
			times?: number;
		} = {},
	): void {
		this.state(provider);
		this.server.faults.add(
			{ kind: 'status', status, body, headers: options.headers },
			{
				method: options.method,
				path: `/${provider}${options.path ?? ''}`,
				times: options.times ?? 1,
			},
		);
	}

	/** Ledger lines of one provider. */
	calls(provider: string): LedgerEntry[] {
		return this.server.ledger.filter(
			(e) => e.path === `/${provider}` || e.path.startsWith(`/${provider}/`),
		);
	}

	private state(provider: string): ProviderState {
		const state = this.providers.get(provider);
		if (!state) throw new Error(`unknown provider ${provider}`);
		return state;
	}

	private async handle(
		state: ProviderState,
		route: ProviderRoute,
		req: SimRequest,
	): Promise<SimResponse> {
		if (state.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
		const { def } = state;
		const ctx: ProviderContext = {
			mintKey: (key, name) => {
				state.keys.set(key, 'valid');
				state.minted.push({ key, name });
			},
			revokeKey: (key) => this.revoke(def.id, key),
		};
		if (def.noAuth || route.kind === 'open') return route.handler(req, '', ctx);
		const pre = def.precheck?.(req);
		if (pre) return pre;
		const key = def.extractKey(req);
		if (!key) return def.missingKey();
		const keyState = state.keys.get(key);
		if (!keyState) return def.invalidKey(key);
		if (keyState === 'rate_limited') return def.rateLimited();
		const answer = route.handler(req, key, ctx);
		if (route.kind === 'billed' && keyState === 'quota_exhausted' && answer.status < 300)
			return def.quotaExhausted();
		return answer;
	}
}
