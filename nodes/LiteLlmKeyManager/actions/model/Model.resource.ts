import type { INodeProperties } from 'n8n-workflow';

import * as createCredential from './createCredential.operation';
import * as listCredentials from './listCredentials.operation';
import * as listModels from './listModels.operation';
import * as registerModel from './registerModel.operation';

export const operations = { createCredential, listCredentials, registerModel, listModels };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['model'] } },
		default: 'listModels',
		options: [
			{
				name: 'Create Credential',
				value: 'createCredential',
				// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- product names keep their spelling
				action: 'Create a LiteLLM credential from a stored key',
			},
			// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- product names keep their spelling
			{ name: 'List Credentials', value: 'listCredentials', action: 'List LiteLLM credentials' },
			// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- product names keep their spelling
			{ name: 'List Models', value: 'listModels', action: 'List LiteLLM models' },
			// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- product names keep their spelling
			{ name: 'Register Model', value: 'registerModel', action: 'Register a model on LiteLLM' },
		],
	},
	...createCredential.description,
	...listCredentials.description,
	...registerModel.description,
	...listModels.description,
];
