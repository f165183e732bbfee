import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { liteLlmAdmin } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';
import { keyRowOut } from '../../helpers/output';

export const description: INodeProperties[] = shownFor(
	'virtualKey',
	['listVirtualKeys'],
	[
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{ displayName: 'Key Alias', name: 'key_alias', type: 'string', default: '' },
				{ displayName: 'Team ID', name: 'team_id', type: 'string', default: '' },
				{ displayName: 'User ID', name: 'user_id', type: 'string', default: '' },
			],
		},
	],
);

/** All pages of /key/list, one item per key. */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const query: IDataObject = {};
	for (const [k, v] of Object.entries(filters)) if (v) query[k] = v;
	const rows = await (await liteLlmAdmin(ctx)).listKeys(query);
	return rows.map(keyRowOut);
}
