/**
 * A faithful OpenRouter double (docs/upstreams.md), served under `/api/v1` so a credential's base URL is
 * `${sim.url}/api/v1`.
 *
 *   const sim = new OpenRouterSimulator();
 *   await sim.start();
 *   sim.addKey({ key: 'sk-or-v1-' + 'a'.repeat(64), credits: 5 });
 *   sim.failModel('openai/gpt-4o-mini', { status: 503, times: 1 });
 *
 * Route files: chat.ts, models.ts, key.ts. Later issues add keys-management.ts (/api/v1/keys), credits.ts
 * (/api/v1/credits) and generation.ts (/api/v1/generation, over ctx.generations) the same way.
 */
import { SimServer, type LedgerEntry } from '../http/server';
import { type CatalogueModel, DEFAULT_CATALOGUE } from './catalogue';
import { registerChat } from './chat';
import type { Attribution, Generation, OpenRouterContext, OpenRouterOptions } from './context';
import { FailureControl, type ModelFailure } from './failures';
import { registerKey } from './key';
import { KeyStore, type NewOpenRouterKey, type OpenRouterKey } from './keys';
import { registerModels } from './models';

export type { OpenRouterOptions, Attribution, Generation } from './context';
export type { ModelFailure } from './failures';
export type { NewOpenRouterKey, OpenRouterKey } from './keys';
export type { CatalogueModel, Endpoint } from './catalogue';
export { DEFAULT_CATALOGUE } from './catalogue';

export class OpenRouterSimulator {
	readonly server = new SimServer('openrouter');

	readonly ctx: OpenRouterContext;

	constructor(options: OpenRouterOptions = {}) {
		this.ctx = {
			models: new Map((options.catalogue ?? DEFAULT_CATALOGUE).map((m) => [m.id, m])),
			keys: new KeyStore(),
			failures: new FailureControl(),
			attributions: [],
			generations: [],
			options: {
				failMode: options.failMode ?? 'status',
				noProviderStatus: options.noProviderStatus ?? 503,
				streamChunkDelayMs: options.streamChunkDelayMs ?? 0,
				clock: options.clock ?? Date.now,
			},
		};
		registerChat(this.server, this.ctx);
		registerModels(this.server, this.ctx);
		registerKey(this.server, this.ctx);
	}

	async start(port = 0): Promise<string> {
		return await this.server.start(port);
	}

	async stop(): Promise<void> {
		await this.server.stop();
	}

	/** `http://127.0.0.1:<port>` (the API lives under `/api/v1`). */
	get url(): string {
		return this.server.url;
	}

	/** `${url}/api/v1`, what a credential's base URL holds. */
	get baseUrl(): string {
		return `${this.server.url}/api/v1`;
	}

	get ledger(): LedgerEntry[] {
		return this.server.ledger;
	}

	get faults(): SimServer['faults'] {
		return this.server.faults;
	}

	addKey(input: NewOpenRouterKey): OpenRouterKey {
		return this.ctx.keys.add(input);
	}

	/** The live row of a key (plaintext). */
	keyRow(key: string): OpenRouterKey | undefined {
		return this.ctx.keys.find(key);
	}

	addModel(model: CatalogueModel): void {
		this.ctx.models.set(model.id, model);
	}

	/** Makes attempts on a model (or one provider endpoint of it) fail. */
	failModel(modelId: string, failure: ModelFailure): void {
		this.ctx.failures.fail(modelId, failure);
	}

	/** Default reporting of injected failures: 'status' (before generation) or '200-error' (after it started). */
	failMode(mode: 'status' | '200-error'): void {
		this.ctx.options.failMode = mode;
	}

	resetFaults(): void {
		this.ctx.failures.clear();
		this.server.faults.clear();
		this.ctx.options.failMode = 'status';
	}

	/** Attribution headers (HTTP-Referer, X-OpenRouter-Title / X-Title, X-OpenRouter-Categories) per completion. */
	get attributions(): Attribution[] {
		return this.ctx.attributions;
	}

	get generations(): Generation[] {
		return this.ctx.generations;
	}
}
