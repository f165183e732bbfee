import type { IExecuteFunctions, IGetNodeParameterOptions, INode } from 'n8n-workflow';

/**
 * Parameter reads for a node that runs once per item. n8n's `getNodeParameter` evaluates the parameter for
 * the item each time and `getNode` deep-copies the whole node each time; over thousands of items that is a
 * large share of a node's own time. A parameter whose stored value holds no expression (no string starting
 * with "=") reads the same for every item, so it is read once per execution and the value reused; one holding
 * an expression is read for each item as before. The node is copied once. Values handed out are shared
 * between items: callers read them and never change them.
 */
export interface ItemParams {
	/** The node, copied once per execution (for error constructors and attribution). */
	readonly node: INode;
	get(
		name: string,
		itemIndex: number,
		fallback?: unknown,
		options?: IGetNodeParameterOptions,
	): unknown;
}

/** True when `value` holds an n8n expression anywhere: a string starting with "=", at any depth. */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object')
		return Object.values(value).some(holdsExpression);
	return false;
}

function storedValue(node: INode, name: string): unknown {
	let value: unknown = node.parameters;
	for (const part of name.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return value;
}

export function itemParams(ctx: IExecuteFunctions): ItemParams {
	const node = ctx.getNode();
	const once = new Map<string, unknown>();
	return {
		node,
		get(name, itemIndex, fallback, options) {
			const key = options?.extractValue ? `${name}\u0000extracted` : name;
			if (once.has(key)) return once.get(key);
			const value = ctx.getNodeParameter(name, itemIndex, fallback, options);
			// Options other than extractValue change what is returned; those reads are not shared.
			const plain = !options || Object.keys(options).every((o) => o === 'extractValue');
			if (plain && !holdsExpression(storedValue(node, name))) once.set(key, value);
			return value;
		},
	};
}
