import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fingerprint, liteLlmKeyHash, maskKey } from '../../../shared/redact';
import { formatMetadata } from '../../../shared/rotation/metadata';
import { settle } from '../../../shared/settle';
import type { LiteLlmAdmin } from '../../api/litellm-admin';
import { keyStore, liteLlmAdmin } from '../../helpers/connections';
import { recordAuditField } from '../../helpers/audit-switch';
import { shownFor } from '../../helpers/fields';
import { SHOW_ONCE_DELIVERY } from '../../helpers/key-delivery';
import { fail, secretName, str } from '../../helpers/params';
import { keyRowOut } from '../../helpers/output';
import { keySettings, readKeySettings } from './fields';

/** The plaintext leaves the node only when this option is chosen; the default writes it to Infisical. */
export const SHOW_ONCE = SHOW_ONCE_DELIVERY;

export const description: INodeProperties[] = shownFor(
	'virtualKey',
	['create'],
	[
		{
			displayName: 'Alias',
			name: 'alias',
			type: 'string',
			default: '',
			placeholder: 'open-webui',
			description: 'Unique name of the key in LiteLLM',
			required: true,
		},
		keySettings,
		{
			displayName: 'Deliver the New Key',
			name: 'keyDelivery',
			type: 'options',
			default: 'infisical',
			options: [
				{
					name: 'Store in Infisical (Recommended)',
					value: 'infisical',
					description:
						'The key goes from LiteLLM straight into an Infisical secret; the output holds only its mask and fingerprint',
				},
				{
					name: 'Show Once in the Output (Plaintext, Insecure)',
					value: SHOW_ONCE,
					description:
						"The key is returned in the output field secretKeyShownOnce. It is then saved with the execution data and readable by anyone who can open this workflow's executions.",
				},
			],
		},
		{
			displayName: 'Store in Infisical As',
			name: 'storeAs',
			type: 'string',
			default: '',
			placeholder: 'OPEN_WEBUI_LITELLM_KEY',
			description: 'Secret name for the new key, in the folder of the Infisical credential',
			required: true,
			displayOptions: { hide: { keyDelivery: [SHOW_ONCE] } },
		},
		// Stored in Infisical, the creation is recorded anyway; shown once, only the switch asks for Infisical.
		{ ...recordAuditField, displayOptions: { show: { keyDelivery: [SHOW_ONCE] } } },
	],
);

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const alias = str(ctx, 'alias', i);
	if (!alias) fail(ctx, i, 'Alias is empty');
	const body = { ...readKeySettings(ctx, i), key_alias: alias };
	const showOnce = str(ctx, 'keyDelivery', i, 'infisical') === SHOW_ONCE;
	if (!showOnce && !str(ctx, 'storeAs', i)) {
		fail(
			ctx,
			i,
			'Store in Infisical As is empty',
			'Name the Infisical secret for the new key, or choose "Show Once in the Output" under Deliver the New Key',
		);
	}
	const storeAs = showOnce ? '' : secretName(ctx, i, 'storeAs', 'Store in Infisical As');
	// The store is opened (credential checked) before the key exists, so a bad credential creates nothing.
	const keyStoreHandle = storeAs ? await keyStore(ctx) : undefined;
	if (keyStoreHandle && (await keyStoreHandle.store.get(storeAs)))
		fail(ctx, i, `The secret ${storeAs} exists already`, 'Use Rotate to replace the key it holds');
	const admin = await liteLlmAdmin(ctx);
	const generated = await admin.generateKey(body);
	const out: IDataObject = {
		...keyRowOut({ ...generated, token: generated.token ?? liteLlmKeyHash(generated.key) }),
		maskedKey: maskKey(generated.key),
		fingerprint: fingerprint(generated.key),
	};
	if (!keyStoreHandle) return [{ ...out, secretKeyShownOnce: generated.key }];
	const meta = formatMetadata({
		kind: 'virtual-key',
		alias,
		created: new Date().toISOString(),
		fingerprint: fingerprint(generated.key),
	});
	const written = await settle(keyStoreHandle.store.create(storeAs, generated.key, meta));
	if (written.ok && written.value === 'created') return [{ ...out, storedAs: storeAs }];
	// Nobody holds the new key: it must not stay live in LiteLLM.
	const why = written.ok
		? `The secret ${storeAs} appeared while the key was created`
		: `Writing the secret ${storeAs} to Infisical failed (${reasonOf(written.error)})`;
	return fail(ctx, i, ...(await undoCreate(admin, generated.key, why)));
}

/** Deletes a key nobody holds (by hash, never by value) and says what became of it. */
async function undoCreate(
	admin: LiteLlmAdmin,
	key: string,
	why: string,
): Promise<[string, string]> {
	const hash = liteLlmKeyHash(key);
	const deleted = await settle(admin.deleteKey({ hash }));
	if (deleted.ok)
		return [
			`${why}; the new key ${maskKey(key)} was deleted again`,
			'Nothing was changed: no key was stored and none is left in LiteLLM.',
		];
	return [
		`${why}, and deleting the new key ${maskKey(key)} from LiteLLM failed too (${reasonOf(deleted.error)})`,
		`The key is live in LiteLLM and nobody holds it: delete it with Virtual Key → Delete, Find Key By "Hash (Token)", ${hash}`,
	];
}

function reasonOf(error: unknown): string {
	const status = (error as { status?: unknown } | undefined)?.status;
	const message = error instanceof Error ? error.message : String(error);
	return typeof status === 'number' && !message.includes(String(status))
		? `${status}: ${message}`
		: message;
}
