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
			{ name: 'Create Credential', value: 'createCredential', action: 'Create a lite llm credential from a stored key' },
			{ name: 'List Credentials', value: 'listCredentials', action: 'List lite llm credentials' },
			{ name: 'List Models', value: 'listModels', action: 'List lite llm models' },
			{ name: 'Register Model', value: 'registerModel', action: 'Register a model on lite llm' },
		],
	},
	...createCredential.description,
	...listCredentials.description,
	...registerModel.description,
	...listModels.description,
];
