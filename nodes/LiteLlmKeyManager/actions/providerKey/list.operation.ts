import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { keyStore } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';
import { maskedOf, providerKeys } from '../../helpers/stored-keys';

export const description: INodeProperties[] = shownFor(
	'providerKey',
	['listProviderKeys'],
	[
		{
			displayName: "This lists every provider key under the credential's folder, masked",
			name: 'listNotice',
			type: 'notice',
			default: '',
		},
	],
);

export async function execute(ctx: IExecuteFunctions): Promise<IDataObject[]> {
	const { store } = await keyStore(ctx);
	return providerKeys(await store.list()).map(({ secret, meta, spec }) => ({
		secretName: secret.name,
		provider: spec?.id ?? meta.provider ?? null,
		version: secret.version,
		...maskedOf(secret.value),
		created: meta.created ?? null,
		lastValidated: meta.lastValidated ?? null,
		lastStatus: meta.lastStatus ?? null,
		lastRotated: meta.lastRotated ?? null,
		pendingRevoke: (meta.pendingRevoke ?? []).map((p) => ({
			masked: p.masked,
			fingerprint: p.fingerprint,
			since: p.since,
		})),
	}));
}
