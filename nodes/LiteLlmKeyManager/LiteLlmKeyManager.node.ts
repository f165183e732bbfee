import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { router } from './actions/router';
import { keyManagerProperties } from './description';

export class LiteLlmKeyManager implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LiteLLM Key Manager',
		name: 'liteLlmKeyManager',
		icon: { light: 'file:litellm.svg', dark: 'file:litellm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'BYOK provider keys in Infisical (store, validate, rotate), LiteLLM virtual keys, credentials and models',
		defaults: { name: 'LiteLLM Key Manager' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{ name: 'liteLlmInfisicalApi', required: true, displayOptions: { show: { resource: ['providerKey'] } } },
			{ name: 'liteLlmInfisicalApi', required: true, displayOptions: { show: { resource: ['virtualKey', 'model'], operation: ['rotate', 'createCredential'] } } },
			// Only needed when the new virtual key is stored in Infisical (Store in Infisical As).
			{ name: 'liteLlmInfisicalApi', required: false, displayOptions: { show: { resource: ['virtualKey'], operation: ['create'] } } },
			{ name: 'liteLlmApi', required: true, displayOptions: { show: { resource: ['virtualKey', 'model'] } } },
			{ name: 'liteLlmApi', required: true, displayOptions: { show: { resource: ['providerKey'], operation: ['rotate'] } } },
			{ name: 'liteLlmOpenRouterApi', required: false, displayOptions: { show: { resource: ['providerKey'], operation: ['rotate'] } } },
		],
		properties: keyManagerProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router(this);
	}
}
