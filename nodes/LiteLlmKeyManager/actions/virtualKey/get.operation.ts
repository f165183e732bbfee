import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { liteLlmAdmin } from '../../helpers/connections';
import { keyRefFields, shownFor } from '../../helpers/fields';
import { fail, keyRef } from '../../helpers/params';
import { keyRowOut } from '../../helpers/output';

export const description: INodeProperties[] = shownFor('virtualKey', ['get'], keyRefFields);

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const ref = keyRef(ctx, i);
	const row = await (await liteLlmAdmin(ctx)).findKey(ref);
	if (!row)
		fail(
			ctx,
			i,
			`LiteLLM has no key ${'alias' in ref ? `with alias "${ref.alias}"` : `with hash ${ref.hash.slice(0, 12)}…`}`,
		);
	return [keyRowOut(row)];
}
