/**
 * A faithful LiteLLM proxy double (docs/upstreams.md), configured by a real config.yaml.
 *
 *   const sim = new LiteLlmSimulator({ configYaml: readFixture('litellm-config.yaml'), env: { LITELLM_MASTER_KEY: 'sk-master-1234' } });
 *   await sim.start();               // http://127.0.0.1:<port>
 *   sim.addVirtualKey({ key: 'sk-team-a-0001', models: ['gpt-4o-mini'], max_budget: 1 });
 *   sim.failDeployment('gpt-4o-mini', { status: 429, times: 1 });
 *   ...
 *   await sim.stop();
 *
 * Route files: chat.ts, models.ts, health.ts. Later issues add keys.ts (/key/*), credentials.ts
 * (/credentials), model-management.ts (/model/new|update|delete) and spend.ts (/spend/*) as further
 * `register<Name>(server, ctx)` files over the same LiteLlmContext (state.ts holds their data).
 */
import { SimServer, type LedgerEntry } from '../http/server';
import { registerChat } from './chat';
import { type Deployment, parseConfig, type ProxyConfig } from './config';
import type { LiteLlmContext, LiteLlmOptions } from './context';
import { registerHealth } from './health';
import { registerModels } from './models';
import { registerNoDatabase } from './no-database';
import { Router, type UpstreamCall } from './router';
import { type KeyRow, newKeyRow, type NewKeyInput, ProxyState, type SpendLogRow } from './state';
import { type DeploymentFailure, UpstreamControl } from './upstream';

export type { LiteLlmOptions } from './context';
export type { KeyRow, NewKeyInput, SpendLogRow } from './state';
export type { DeploymentFailure } from './upstream';
export type { UpstreamCall } from './router';
export { hashToken, abbreviateKey } from './state';
export { pyFloat } from './pyfloat';

export class LiteLlmSimulator {
	readonly server = new SimServer('litellm');

	readonly ctx: LiteLlmContext;

	constructor(options: LiteLlmOptions) {
		const config = parseConfig(options.configYaml, options.env ?? {});
		const state = new ProxyState(config.deployments);
		state.database = options.database ?? true;
		const clock = options.clock ?? Date.now;
		this.ctx = {
			config,
			state,
			router: new Router(config, state, options.retryDelayMs ?? 0, clock),
			upstream: new UpstreamControl(),
			upstreamCalls: [],
			usageWindow: new Map(),
			options: {
				nullFields: options.nullFields ?? true,
				version: options.version ?? '1.81.0',
				retryDelayMs: options.retryDelayMs ?? 0,
				streamChunkDelayMs: options.streamChunkDelayMs ?? 0,
				requireClientSideAuthOptIn: options.requireClientSideAuthOptIn ?? false,
				database: state.database,
				clock,
			},
		};
		registerChat(this.server, this.ctx);
		registerModels(this.server, this.ctx);
		registerHealth(this.server, this.ctx);
		if (!state.database) registerNoDatabase(this.server, this.ctx);
	}

	async start(port = 0): Promise<string> {
		return await this.server.start(port);
	}

	async stop(): Promise<void> {
		await this.server.stop();
	}

	get url(): string {
		return this.server.url;
	}

	/** Every HTTP request seen, with the status answered. */
	get ledger(): LedgerEntry[] {
		return this.server.ledger;
	}

	/** Transport faults (latency, status, reset, hang, truncated, non_json, html) on any path. */
	get faults(): SimServer['faults'] {
		return this.server.faults;
	}

	get config(): ProxyConfig {
		return this.ctx.config;
	}

	get masterKey(): string | undefined {
		return this.ctx.config.masterKey;
	}

	get deployments(): Deployment[] {
		return this.ctx.state.deployments;
	}

	/** Stores a virtual key (by its sha256 token) and returns its row; the row is live (spend grows). */
	addVirtualKey(input: NewKeyInput): KeyRow {
		if (!input.key.startsWith('sk-')) throw new Error('LiteLLM virtual keys start with sk-');
		const row = newKeyRow(input);
		this.ctx.state.keys.set(row.token, row);
		return row;
	}

	/** The row of a key, by plaintext key or by hash. */
	keyRow(keyOrHash: string): KeyRow | undefined {
		return this.ctx.state.keys.get(keyOrHash) ?? this.ctx.state.keyByPlaintext(keyOrHash);
	}

	/** Makes upstream calls of a deployment (`model_info.id`) or of a whole group fail. */
	failDeployment(modelIdOrGroup: string, failure: DeploymentFailure): void {
		this.ctx.upstream.fail(modelIdOrGroup, failure);
	}

	/** Upstream latency for a deployment or group (0 removes it); with a request `timeout` it gives 408s. */
	slowDeployment(modelIdOrGroup: string, ms: number): void {
		this.ctx.upstream.slow(modelIdOrGroup, ms);
	}

	/** Clears injected upstream failures and latency, cooldowns, and transport faults. */
	resetFaults(): void {
		this.ctx.upstream.clear();
		this.ctx.router.cooldowns.clear();
		this.server.faults.clear();
	}

	/** Deployment ids cooling down now. */
	coolingDown(): string[] {
		return this.ctx.state.deployments
			.filter((d) => this.ctx.router.isCooling(d))
			.map((d) => d.model_info.id);
	}

	/** LiteLLM_SpendLogs rows, one per LLM call (success and failure), oldest first. */
	get spendLog(): SpendLogRow[] {
		return this.ctx.state.spendLogs;
	}

	/** Every simulated upstream (provider) try, retries and fallbacks included. */
	get upstreamCalls(): UpstreamCall[] {
		return this.ctx.upstreamCalls;
	}
}
