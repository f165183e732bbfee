/**
 * Costs arrive as numbers, numeric strings, or Python float strings in scientific notation
 * (`x-litellm-response-cost: 2.1e-05`). Anything else (absent, '', 'None', NaN) is "unknown", not 0.
 */
export function parseCost(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
	const parsed = Number(text);
	return Number.isFinite(parsed) ? parsed : undefined;
}

/** A money field for output: the exact number, or null when the server sent none or nonsense. */
export function costOrNull(value: unknown): number | null {
	return parseCost(value) ?? null;
}

/** An integer header such as `x-litellm-attempted-retries`; undefined when absent or malformed. */
export function parseIntHeader(value: unknown): number | undefined {
	if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) return undefined;
	return Number(value.trim());
}
