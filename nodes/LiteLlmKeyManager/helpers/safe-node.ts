import type { INode, INodeParameters } from 'n8n-workflow';

import { maskKey } from '../../shared/redact';

/** Parameters that can hold a key typed into the node. */
const KEY_PARAMETERS = ['apiKey', 'newKey'];

/**
 * The node as errors should carry it. n8n attaches the node, parameters included, to every error it
 * persists; a key typed into "API Key" / "New Key" would ride along, so those are masked here.
 */
export function safeNode(node: INode): INode {
	const parameters: INodeParameters = { ...node.parameters };
	for (const name of KEY_PARAMETERS) {
		if (typeof parameters[name] === 'string' && parameters[name])
			parameters[name] = maskKey(parameters[name] as string);
	}
	return { ...node, parameters };
}
