/**
 * A circuit breaker per LiteLLM base URL. It lives in module memory, so it is per worker process (under
 * queue mode each worker has its own): an optimisation that spares calls the wait on a dead proxy, never
 * a source of truth (state that must be shared lives in Infisical or LiteLLM). Clocks are passed in (`Date.now()` by default) so tests
 * drive time; no timers are used.
 *
 * closed    → every call goes to LiteLLM; `threshold` consecutive transport failures open it.
 * open      → calls skip LiteLLM until `cooldownMs` has passed since it opened.
 * half-open → after the cooldown exactly one call (the probe) goes to LiteLLM; its success closes the
 *             breaker, its failure opens it for another cooldown. Other calls meanwhile skip LiteLLM.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
	/** Consecutive transport failures that open the breaker. */
	threshold: number;
	cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { threshold: 3, cooldownMs: 30_000 };

export type Admission = 'call' | 'probe' | 'skip';

export class CircuitBreaker {
	private failures = 0;

	private openedAt = 0;

	private state: BreakerState = 'closed';

	private probeInFlight = false;

	constructor(public settings: BreakerSettings = DEFAULT_BREAKER) {}

	/** Whether the next call may go to LiteLLM, and whether it is the half-open probe. */
	admit(now = Date.now()): Admission {
		if (this.state === 'closed') return 'call';
		if (this.state === 'open') {
			if (now - this.openedAt < this.settings.cooldownMs) return 'skip';
			this.state = 'half-open';
		}
		if (this.probeInFlight) return 'skip';
		this.probeInFlight = true;
		return 'probe';
	}

	/** LiteLLM answered (any answer that is not a transport failure counts: the proxy is up). */
	recordSuccess(): void {
		this.failures = 0;
		this.probeInFlight = false;
		this.state = 'closed';
	}

	recordFailure(now = Date.now()): void {
		this.probeInFlight = false;
		this.failures += 1;
		if (this.state === 'half-open' || this.failures >= this.settings.threshold) {
			this.state = 'open';
			this.openedAt = now;
		}
	}

	/** A call admitted as probe that ended without a verdict (e.g. cancelled) frees the probe slot. */
	releaseProbe(): void {
		this.probeInFlight = false;
	}

	status(now = Date.now()): { state: BreakerState; failures: number; retryInMs: number } {
		const retryInMs =
			this.state === 'open' ? Math.max(0, this.settings.cooldownMs - (now - this.openedAt)) : 0;
		return { state: this.state, failures: this.failures, retryInMs };
	}
}

const breakers = new Map<string, CircuitBreaker>();

/** The breaker of one base URL in this process, created on first use; settings follow the latest caller. */
export function breakerFor(
	baseUrl: string,
	settings: BreakerSettings = DEFAULT_BREAKER,
): CircuitBreaker {
	let breaker = breakers.get(baseUrl);
	if (!breaker) {
		breaker = new CircuitBreaker(settings);
		breakers.set(baseUrl, breaker);
	} else {
		breaker.settings = settings;
	}
	return breaker;
}

/** Tests start from a clean slate. */
export function resetBreakers(): void {
	breakers.clear();
}
