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
		// One entry per credential: n8n-core resolves a credential by its first entry, so its display options
		// must cover every operation that reads it. Operation names unique to one resource keep this exact.
		credentials: [
			{
				name: 'liteLlmInfisicalApi',
				required: true,
				displayOptions: { hide: { operation: ['get', 'update', 'block', 'unblock', 'expiring', 'listCredentials', 'registerModel', 'listModels'] } },
			},
			{ name: 'liteLlmApi', required: true, displayOptions: { hide: { operation: ['store', 'validate', 'validateAll'] } } },
			{ name: 'liteLlmOpenRouterApi', required: false, displayOptions: { show: { resource: ['providerKey'], operation: ['rotate'] } } },
		],
		properties: keyManagerProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router(this);
	}
}
