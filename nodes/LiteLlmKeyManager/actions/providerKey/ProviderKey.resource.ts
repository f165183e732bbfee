import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete.operation';
import * as list from './list.operation';
import * as rotate from './rotate.operation';
import * as store from './store.operation';
import * as sweepPendingRevokes from './sweepPendingRevokes.operation';
import * as validate from './validate.operation';
import * as validateAll from './validateAll.operation';

// Values unique across resources (the credentials' display options are keyed on the operation alone).
export const operations = {
	store,
	validate,
	validateAll,
	listProviderKeys: list,
	deleteProviderKey: del,
	rotateProviderKey: rotate,
	sweepPendingRevokes,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['providerKey'] } },
		default: 'validateAll',
		options: [
			{
				name: 'Delete',
				value: 'deleteProviderKey',
				action: 'Delete a provider key',
				description: "Delete the key's secret from Infisical",
			},
			{
				name: 'List',
				value: 'listProviderKeys',
				action: 'List provider keys',
				description: 'Every provider key in the folder, masked',
			},
			{
				name: 'Rotate',
				value: 'rotateProviderKey',
				action: 'Rotate a provider key',
				description: 'Replace a key without downtime: verify, store, switch LiteLLM, revoke',
			},
			{
				name: 'Store',
				value: 'store',
				action: 'Store a provider key',
				description: 'Write a key into Infisical under the name LiteLLM reads',
			},
			{
				name: 'Sweep Pending Revokes',
				value: 'sweepPendingRevokes',
				action: 'Sweep pending revokes of provider keys',
				description: 'Retry revoking old keys a rotation could not revoke',
			},
			{
				name: 'Validate',
				value: 'validate',
				action: 'Validate a provider key',
				description: 'Check one stored key at its provider',
			},
			{
				name: 'Validate All',
				value: 'validateAll',
				action: 'Validate all provider keys',
				description: 'Check every stored key, in parallel',
			},
		],
	},
	...store.description,
	...validate.description,
	...validateAll.description,
	...list.description,
	...del.description,
	...rotate.description,
	...sweepPendingRevokes.description,
];
