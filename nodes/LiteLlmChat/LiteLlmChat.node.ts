import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { searchLiteLlmModels } from '../shared/methods/searchModels';
import { chatProperties } from './description';
import { executeChat } from './execute';

export class LiteLlmChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LiteLLM Chat',
		name: 'liteLlmChat',
		icon: { light: 'file:litellm.svg', dark: 'file:litellm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"].value || $parameter["model"]}}',
		description:
			'Chat completions through a LiteLLM proxy, with cost per call and opt-in failover to OpenRouter',
		defaults: { name: 'LiteLLM Chat' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		// '/enableFailover' (the root-level path of the parameter) rather than 'enableFailover': a credential keyed
		// on a property makes n8n's editor move the credential selector down to that property; this way it stays
		// at the top of the form, as on n8n's own nodes (same reasoning in LiteLlmKeyManager.node.ts).
		credentials: [
			{ name: 'liteLlmApi', required: true },
			{
				name: 'liteLlmOpenRouterApi',
				required: true,
				displayOptions: { show: { '/enableFailover': [true] } },
			},
		],
		properties: chatProperties,
	};

	methods = { listSearch: { searchLiteLlmModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeChat(this);
	}
}
