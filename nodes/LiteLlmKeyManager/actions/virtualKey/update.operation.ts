import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { recordAuditField } from '../../helpers/audit-switch';
import { liteLlmAdmin } from '../../helpers/connections';
import { keyRefFields, shownFor } from '../../helpers/fields';
import { fail, keyRef } from '../../helpers/params';
import { keyRowOut } from '../../helpers/output';
import { keySettings, readKeySettings } from './fields';

export const description: INodeProperties[] = shownFor(
	'virtualKey',
	['update'],
	[...keyRefFields, keySettings, recordAuditField],
);

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const ref = keyRef(ctx, i);
	const fields = readKeySettings(ctx, i);
	if (!Object.keys(fields).length) fail(ctx, i, 'Key Settings are empty: nothing to update');
	const admin = await liteLlmAdmin(ctx);
	const row = await admin.findKey(ref);
	if (!row?.token) fail(ctx, i, 'LiteLLM has no such key');
	const updated = await admin.updateKey(row.token, fields);
	return [keyRowOut({ ...row, ...updated, token: row.token })];
}
