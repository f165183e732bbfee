/**
 * Finds plaintext secrets in whatever a run produced: output items, errors, run data, static data.
 * Errors are serialised the way n8n persists them (`toJSON`: message, description, context, a bounded
 * cause) plus their own enumerable fields (httpCode, messages, errorResponse...) and their `stack`: the stack
 * is captured when the error is built, so a message redacted afterwards still leaks through it, and n8n hands
 * the stack to error workflows (`execution.error.stack`).
 */

export function scanForSecrets(value: unknown, secrets: string[]): string[] {
	const text = serialise(value);
	return secrets.filter(
		(secret) => secret !== '' && variants(secret).some((form) => text.includes(form)),
	);
}

/** The JSON text scanned by `scanForSecrets`, for a failure message that shows where a secret sits. */
export function serialise(value: unknown): string {
	const seen = new WeakSet<object>();
	return (
		JSON.stringify(value, function replacer(_key, current: unknown) {
			if (typeof current === 'bigint') return current.toString();
			if (current === null || typeof current !== 'object') return current;
			if (seen.has(current)) return '[Circular]';
			seen.add(current);
			if (current instanceof Error) return errorFields(current);
			if (current instanceof Map) return Object.fromEntries(current);
			if (current instanceof Set) return [...current];
			return current;
		}) ?? ''
	);
}

function errorFields(error: Error): Record<string, unknown> {
	const withJson = error as Error & { toJSON?: () => Record<string, unknown> };
	const persisted = typeof withJson.toJSON === 'function' ? withJson.toJSON() : {};
	const own: Record<string, unknown> = {};
	for (const key of Object.keys(error)) {
		// n8n persists a bounded projection of `cause` (toJSON); a raw cause is scanned only for plain errors.
		if (key === 'cause' && 'cause' in persisted) continue;
		own[key] = (error as unknown as Record<string, unknown>)[key];
	}
	return {
		...own,
		...persisted,
		name: error.name,
		message: error.message,
		stack: error.stack,
		...(!('cause' in persisted) && error.cause !== undefined && { cause: error.cause }),
	};
}

/** The secret as typed, as it looks inside a JSON string, and URL-encoded (query strings). */
function variants(secret: string): string[] {
	return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}
