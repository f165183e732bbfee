import { type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

/**
 * A JSON parameter: n8n hands it over as text or, from an expression, already parsed. Invalid JSON is a
 * NodeOperationError naming the field, raised before any request.
 */
export function jsonParam(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): unknown {
	if (typeof value !== 'string') return value;
	if (!value.trim()) return undefined;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `${field} is not valid JSON: ${(error as Error).message}`, {
			itemIndex,
			description: `Fix the JSON in the "${field}" field`,
		});
	}
}

/** A numeric option: an expression may yield "abc"; that is the field's fault, said before any request. */
export function numberParam(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number)) {
		throw new NodeOperationError(ctx.getNode(), `${field} must be a number (got "${String(value).slice(0, 40)}")`, { itemIndex });
	}
	return number;
}

/** "a, b" or '["a","b"]' → ['a','b']. */
export function listParam(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): string[] {
	if (Array.isArray(value)) return value.map(String).filter(Boolean);
	if (typeof value !== 'string' || !value.trim()) return [];
	const text = value.trim();
	if (text.startsWith('[')) {
		const parsed = jsonParam(ctx, text, field, itemIndex);
		if (!Array.isArray(parsed)) throw new NodeOperationError(ctx.getNode(), `${field} must be a list`, { itemIndex });
		return parsed.map(String).filter(Boolean);
	}
	return text.split(',').map((s) => s.trim()).filter(Boolean);
}
