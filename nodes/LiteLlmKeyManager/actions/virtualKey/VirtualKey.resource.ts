import type { INodeProperties } from 'n8n-workflow';

import * as block from './block.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as expiring from './expiring.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as rotate from './rotate.operation';
import * as unblock from './unblock.operation';
import * as update from './update.operation';

// Values unique across resources (the credentials' display options are keyed on the operation alone).
export const operations = {
	create,
	get,
	listVirtualKeys: list,
	update,
	block,
	unblock,
	deleteVirtualKey: del,
	expiring,
	rotateVirtualKey: rotate,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['virtualKey'] } },
		default: 'create',
		options: [
			{ name: 'Block', value: 'block', action: 'Block a virtual key' },
			{ name: 'Create', value: 'create', action: 'Create a virtual key' },
			{
				name: 'Delete',
				value: 'deleteVirtualKey',
				action: 'Delete a virtual key',
				description: 'By alias or hash, never by the key itself',
			},
			{
				name: 'Expiring',
				value: 'expiring',
				action: 'List expiring virtual keys',
				description: 'Keys that expire within N days',
			},
			{ name: 'Get', value: 'get', action: 'Get a virtual key' },
			{
				name: 'List',
				value: 'listVirtualKeys',
				action: 'List virtual keys',
				description: 'All pages',
			},
			{
				name: 'Rotate',
				value: 'rotateVirtualKey',
				action: 'Rotate a virtual key',
				description: 'New key into Infisical, verified, old key retired after a grace period',
			},
			{ name: 'Unblock', value: 'unblock', action: 'Unblock a virtual key' },
			{ name: 'Update', value: 'update', action: 'Update a virtual key' },
		],
	},
	...create.description,
	...get.description,
	...list.description,
	...update.description,
	...block.description,
	...unblock.description,
	...del.description,
	...expiring.description,
	...rotate.description,
];
