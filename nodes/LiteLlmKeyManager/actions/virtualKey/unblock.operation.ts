import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { recordAuditField } from '../../helpers/audit-switch';
import { liteLlmAdmin } from '../../helpers/connections';
import { keyRefFields, shownFor } from '../../helpers/fields';
import { fail, keyRef } from '../../helpers/params';
import { keyRowOut } from '../../helpers/output';

export const description: INodeProperties[] = shownFor(
	'virtualKey',
	['unblock'],
	[...keyRefFields, recordAuditField],
);

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const admin = await liteLlmAdmin(ctx);
	const row = await admin.findKey(keyRef(ctx, i));
	if (!row?.token) fail(ctx, i, 'LiteLLM has no such key');
	return [keyRowOut({ ...row, ...(await admin.unblockKey(row.token)), token: row.token })];
}
