/**
 * The form a node's description promises for given parameter values: the labels of the top-level
 * parameters n8n-workflow's own display rules show (notices apart: they carry no label), in order.
 */
import {
	type INode,
	type INodeParameters,
	type INodeTypeDescription,
	NodeHelpers,
} from 'n8n-workflow';

import { LiteLlmBudgetTrigger } from '../../../nodes/LiteLlmBudgetTrigger/LiteLlmBudgetTrigger.node';
import { LiteLlmChat } from '../../../nodes/LiteLlmChat/LiteLlmChat.node';
import { LiteLlmChatModel } from '../../../nodes/LiteLlmChatModel/LiteLlmChatModel.node';
import { LiteLlmKeyManager } from '../../../nodes/LiteLlmKeyManager/LiteLlmKeyManager.node';
import { LiteLlmUsage } from '../../../nodes/LiteLlmUsage/LiteLlmUsage.node';

const DESCRIPTIONS: INodeTypeDescription[] = [
	LiteLlmChat,
	LiteLlmChatModel,
	LiteLlmKeyManager,
	LiteLlmUsage,
	LiteLlmBudgetTrigger,
].map((Node) => new Node().description);

export function descriptionOf(displayName: string): INodeTypeDescription {
	const found = DESCRIPTIONS.find((d) => d.displayName === displayName);
	if (!found) throw new Error(`no node "${displayName}" in this package`);
	return found;
}

/** The parameters of a saved node as n8n reads them: this package's nodes with defaults filled in, and
 * without the display caches the editor adds to resource locators (cachedResultName, cachedResultUrl). */
export function comparable(type: string, parameters: INodeParameters): unknown {
	const own = DESCRIPTIONS.find((d) => type.endsWith(`.${d.name}`));
	const values = own ? withDefaults(own.displayName, parameters) : parameters;
	return JSON.parse(
		JSON.stringify(values, (key, value: unknown) =>
			key.startsWith('cachedResult') ? undefined : value,
		),
	);
}

/** A node's parameters with the defaults n8n leaves out when it saves a workflow filled back in. */
export function withDefaults(displayName: string, parameters: INodeParameters): INodeParameters {
	const description = descriptionOf(displayName);
	const node: INode = {
		id: 'x',
		name: displayName,
		type: description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	return (
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			node,
			description,
		) ?? {}
	);
}

export function expectedLabels(displayName: string, parameters: Record<string, string>): string[] {
	const description = descriptionOf(displayName);
	const node: INode = {
		id: 'x',
		name: displayName,
		type: description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const values = withDefaults(displayName, parameters);
	return description.properties
		.filter(
			(p) => p.type !== 'notice' && NodeHelpers.displayParameter(values, p, node, description),
		)
		.map((p) => p.displayName);
}
