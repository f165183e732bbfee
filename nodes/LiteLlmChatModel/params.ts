import { type INode, NodeOperationError } from 'n8n-workflow';

/**
 * The sub-node's own parameter reader (the shared ones are in nodes/shared/params.ts): a wrong value is a
 * NodeOperationError that names the field, raised when the model is supplied, before any request.
 */

export function requiredText(node: INode, value: unknown, field: string, hint: string): string {
	const text =
		typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (!text) throw new NodeOperationError(node, `${field} is required`, { description: hint });
	return text;
}
