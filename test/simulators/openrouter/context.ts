/** What OpenRouter route files share: catalogue, keys, injected failures, records and options. */
import type { CatalogueModel } from './catalogue';
import type { FailureControl } from './failures';
import type { KeyStore } from './keys';

export interface OpenRouterOptions {
	/** Models served (default: DEFAULT_CATALOGUE). */
	catalogue?: CatalogueModel[];
	/** How injected model failures are answered by default (see ModelFailure.mode). Default 'status'. */
	failMode?: 'status' | '200-error';
	/**
	 * Status when no endpoint meets the routing (`max_price`, `only`, `ignore`): 503 by default, as OpenRouter's
	 * error table lists it ("503 no provider meets routing"); real OpenRouter answers some of these
	 * "No endpoints found ..." cases with 404, so tests of a client can switch.
	 */
	noProviderStatus?: 404 | 503;
	/** Pause between SSE chunks (default 0). */
	streamChunkDelayMs?: number;
	clock?: () => number;
}

/** One completion's attribution headers, as received. */
export interface Attribution {
	at: number;
	referer?: string;
	title?: string;
	categories?: string;
}

/** What a later `GET /api/v1/generation?id=` answers from. */
export interface Generation {
	id: string;
	model: string;
	provider_name: string;
	total_cost: number;
	tokens_prompt: number;
	tokens_completion: number;
	finish_reason: string;
	streamed: boolean;
	created_at: string;
	key_hash: string;
}

export interface OpenRouterContext {
	models: Map<string, CatalogueModel>;
	keys: KeyStore;
	failures: FailureControl;
	attributions: Attribution[];
	generations: Generation[];
	options: {
		failMode: 'status' | '200-error';
		noProviderStatus: 404 | 503;
		streamChunkDelayMs: number;
		clock: () => number;
	};
}
