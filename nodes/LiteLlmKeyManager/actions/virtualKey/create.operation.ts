import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fingerprint, liteLlmKeyHash, maskKey } from '../../../shared/redact';
import { formatMetadata } from '../../../shared/rotation/metadata';
import { keyStore, liteLlmAdmin } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';
import { fail, secretName, str } from '../../helpers/params';
import { keyRowOut } from '../../helpers/output';
import { keySettings, readKeySettings } from './fields';

export const description: INodeProperties[] = shownFor('virtualKey', ['create'], [
	{ displayName: 'Alias', name: 'alias', type: 'string', default: '', placeholder: 'open-webui', description: 'Unique name of the key in LiteLLM', required: true },
	keySettings,
	{
		displayName: 'Store in Infisical As',
		name: 'storeAs',
		type: 'string',
		default: '',
		placeholder: 'OPEN_WEBUI_LITELLM_KEY',
		description: 'Secret name for the new key. Empty: the key is returned ONCE in the output field secretKeyShownOnce — treat the execution data as secret.',
	},
]);

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const alias = str(ctx, 'alias', i);
	if (!alias) fail(ctx, i, 'Alias is empty');
	const body = { ...readKeySettings(ctx, i), key_alias: alias };
	const storeAs = str(ctx, 'storeAs', i) ? secretName(ctx, i, 'storeAs', 'Store in Infisical As') : '';
	// The store is opened (credential checked) before the key exists, so a bad credential creates nothing.
	const keyStoreHandle = storeAs ? await keyStore(ctx) : undefined;
	if (keyStoreHandle && (await keyStoreHandle.store.get(storeAs))) fail(ctx, i, `The secret ${storeAs} exists already`, 'Use Rotate to replace the key it holds');
	const admin = await liteLlmAdmin(ctx);
	const generated = await admin.generateKey(body);
	const out: IDataObject = {
		...keyRowOut({ ...generated, token: generated.token ?? liteLlmKeyHash(generated.key) }),
		maskedKey: maskKey(generated.key),
		fingerprint: fingerprint(generated.key),
	};
	if (keyStoreHandle) {
		const meta = formatMetadata({ kind: 'virtual-key', alias, created: new Date().toISOString(), fingerprint: fingerprint(generated.key) });
		const written = await keyStoreHandle.store.create(storeAs, generated.key, meta);
		if (written === 'exists') {
			// Someone took the name between our check and now: do not leave a key nobody holds.
			await admin.deleteKey({ hash: liteLlmKeyHash(generated.key) });
			fail(ctx, i, `The secret ${storeAs} appeared while the key was created; the new key was deleted again`);
		}
		out.storedAs = storeAs;
	} else {
		out.secretKeyShownOnce = generated.key;
	}
	return [out];
}
