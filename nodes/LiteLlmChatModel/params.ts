import { type IDataObject, type INode, NodeOperationError } from 'n8n-workflow';

/**
 * Parameter readers for the sub-node: a wrong value is a NodeOperationError that names the field, raised
 * when the model is supplied, before any request.
 */

export function requiredText(node: INode, value: unknown, field: string, hint: string): string {
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (!text) throw new NodeOperationError(node, `${field} is required`, { description: hint });
	return text;
}

/** A JSON object field: text from the editor or an object from an expression; '' means none. */
export function jsonObject(node: INode, value: unknown, field: string): IDataObject | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (!value.trim()) return undefined;
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw new NodeOperationError(node, `${field} is not valid JSON: ${(error as Error).message}`, {
				description: `Fix the JSON in the "${field}" option; it must be an object such as {"key": "value"}`,
			});
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(node, `${field} must be a JSON object`, {
			description: `The "${field}" option takes an object such as {"key": "value"}`,
		});
	}
	return parsed as IDataObject;
}

/** "a, b", '["a","b"]' or an array → ['a', 'b']. */
export function textList(node: INode, value: unknown, field: string): string[] {
	if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
	if (typeof value !== 'string' || !value.trim()) return [];
	const text = value.trim();
	if (text.startsWith('[')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			throw new NodeOperationError(node, `${field} is not valid JSON: ${(error as Error).message}`, {
				description: `Write "${field}" as a comma-separated list or a JSON array of strings`,
			});
		}
		if (!Array.isArray(parsed)) throw new NodeOperationError(node, `${field} must be a list`);
		return parsed.map(String).map((s) => s.trim()).filter(Boolean);
	}
	return text.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A number option; an expression may yield "abc", which is the field's fault. */
export function optionalNumber(node: INode, value: unknown, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number)) {
		throw new NodeOperationError(node, `${field} must be a number (got "${String(value).slice(0, 40)}")`);
	}
	return number;
}
