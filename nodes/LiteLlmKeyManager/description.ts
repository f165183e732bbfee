import type { INodeProperties } from 'n8n-workflow';

import { description as model } from './actions/model/Model.resource';
import { description as providerKey } from './actions/providerKey/ProviderKey.resource';
import { description as virtualKey } from './actions/virtualKey/VirtualKey.resource';

export const keyManagerProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'providerKey',
		options: [
			{
				name: 'Provider Key',
				value: 'providerKey',
				description: 'BYOK provider keys stored in Infisical',
			},
			{
				name: 'Virtual Key',
				value: 'virtualKey',
				description: 'LiteLLM virtual keys for services',
			},
			{
				name: 'Model and Credential',
				value: 'model',
				description: 'LiteLLM credentials and the models that use them',
			},
		],
	},
	...providerKey,
	...virtualKey,
	...model,
];
