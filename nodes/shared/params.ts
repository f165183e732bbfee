import { type IDataObject, type INode, NodeOperationError } from 'n8n-workflow';

/**
 * Readers for parameter values every node shares. A wrong value is a NodeOperationError that names the field
 * (and the item), raised before any request. Values come as editor text or, from an expression, already parsed.
 */

function fail(node: INode, message: string, itemIndex?: number, description?: string): never {
	throw new NodeOperationError(node, message, { itemIndex, description });
}

/** JSON text, or a value an expression already produced; blank text means none. */
export function jsonParam(
	node: INode,
	value: unknown,
	field: string,
	itemIndex?: number,
	description?: string,
): unknown {
	if (typeof value !== 'string') return value ?? undefined;
	if (!value.trim()) return undefined;
	try {
		return JSON.parse(value);
	} catch (error) {
		return fail(
			node,
			`${field} is not valid JSON: ${(error as Error).message}`,
			itemIndex,
			description ?? `Fix the JSON in the "${field}" field`,
		);
	}
}

/** A JSON object (`{"key": "value"}`), or undefined when the field is empty. */
export function jsonObjectParam(
	node: INode,
	value: unknown,
	field: string,
	itemIndex?: number,
	description?: string,
): IDataObject | undefined {
	const parsed = jsonParam(node, value, field, itemIndex, description);
	if (parsed === undefined || parsed === null || parsed === '') return undefined;
	if (typeof parsed !== 'object' || Array.isArray(parsed)) {
		fail(
			node,
			`${field} must be a JSON object`,
			itemIndex,
			description ?? `"${field}" takes an object such as {"key": "value"}`,
		);
	}
	return parsed as IDataObject;
}

/** A number; an expression may yield "abc", which is the field's fault. Empty means none. */
export function numberParam(
	node: INode,
	value: unknown,
	field: string,
	itemIndex?: number,
	min?: number,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number))
		fail(node, `${field} must be a number (got "${String(value).slice(0, 40)}")`, itemIndex);
	if (min !== undefined && number < min)
		fail(node, `${field} must be at least ${min} (got ${number})`, itemIndex);
	return number;
}

/** "a, b", '["a","b"]' or an array → ['a', 'b']. */
export function listParam(
	node: INode,
	value: unknown,
	field: string,
	itemIndex?: number,
): string[] {
	const clean = (values: unknown[]) =>
		values
			.map(String)
			.map((s) => s.trim())
			.filter(Boolean);
	if (Array.isArray(value)) return clean(value);
	if (typeof value !== 'string' || !value.trim()) return [];
	const text = value.trim();
	if (!text.startsWith('[')) return clean(text.split(','));
	const parsed = jsonParam(
		node,
		text,
		field,
		itemIndex,
		`Write "${field}" as a comma-separated list or a JSON array of strings`,
	);
	if (!Array.isArray(parsed)) fail(node, `${field} must be a list`, itemIndex);
	return clean(parsed);
}
