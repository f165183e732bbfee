import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { keyStore } from '../../helpers/connections';
import { secretNameField, shownFor } from '../../helpers/fields';
import { secretName } from '../../helpers/params';

export const description: INodeProperties[] = shownFor(
	'providerKey',
	['deleteProviderKey'],
	[
		secretNameField(
			'The Infisical secret to delete (the key stays valid at the provider: revoke it there)',
		),
	],
);

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const name = secretName(ctx, i);
	const { store } = await keyStore(ctx);
	const deleted = await store.remove(name);
	return [{ secretName: name, deleted, ...(deleted ? {} : { detail: 'no such secret' }) }];
}
