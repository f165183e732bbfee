import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { recordAuditField } from '../../helpers/audit-switch';
import { liteLlmAdmin } from '../../helpers/connections';
import { keyRefFields, shownFor } from '../../helpers/fields';
import { keyRef } from '../../helpers/params';

export const description: INodeProperties[] = shownFor(
	'virtualKey',
	['deleteVirtualKey'],
	[...keyRefFields, recordAuditField],
);

/** By alias (`key_aliases`) or hash (`keys`): the plaintext key is never sent. */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const ref = keyRef(ctx, i);
	const outcome = await (await liteLlmAdmin(ctx)).deleteKey(ref);
	return [
		{
			...('alias' in ref ? { keyAlias: ref.alias } : { keyHash: ref.hash }),
			deleted: outcome === 'deleted',
			...(outcome === 'not_found' ? { detail: 'no such key' } : {}),
		},
	];
}
