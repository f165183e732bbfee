/**
 * A promise's outcome as a value. Code that routes on failures (failover, validation per item) inspects
 * the outcome instead of re-throwing from catch blocks, and errors reach n8n as NodeApiError or
 * NodeOperationError at the node's edge (the rule n8n's scanner enforces with require-node-api-error).
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(promise: Promise<T>): Promise<Outcome<T>> {
	return promise.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error }),
	);
}

/** The same for synchronous work. */
export function settleSync<T>(work: () => T): Outcome<T> {
	try {
		return { ok: true, value: work() };
	} catch (error) {
		return { ok: false, error };
	}
}
