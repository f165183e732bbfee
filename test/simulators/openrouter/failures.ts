/** Injected upstream failures per model (optionally per provider endpoint), for `failModel`. */
export interface ModelFailure {
	/** Status of the provider failure: 429, 500, 502, 503, 408, 403 (moderation) ... */
	status: number;
	/** Provider's raw error text (goes to `error.metadata.raw`). */
	message?: string;
	/** How many attempts fail (default: until cleared). */
	times?: number;
	/** Only this provider endpoint (slug) fails; the model's other endpoints still serve. */
	provider?: string;
	/**
	 * 'status': the error is answered with its HTTP status (before generation, fallbacks tried first).
	 * '200-error': generation had started, so HTTP 200 with the error in the body (or an SSE error event);
	 * no fallback. Default: the simulator's `failMode`.
	 */
	mode?: 'status' | '200-error';
	/** Streaming only: the error event comes after this many content chunks. */
	afterChunks?: number;
}

interface Armed {
	model: string;
	failure: ModelFailure;
	remaining: number;
}

export class FailureControl {
	private armed: Armed[] = [];

	fail(model: string, failure: ModelFailure): void {
		this.armed.push({ model, failure, remaining: failure.times ?? Infinity });
	}

	clear(): void {
		this.armed = [];
	}

	/** The failure met by an attempt on `model` via `provider`, consumed. */
	take(model: string, provider: string): ModelFailure | undefined {
		const hit = this.armed.find(
			(a) =>
				a.remaining > 0 &&
				a.model === model &&
				(!a.failure.provider || a.failure.provider.toLowerCase() === provider.toLowerCase()),
		);
		if (!hit) return undefined;
		hit.remaining -= 1;
		return hit.failure;
	}
}
