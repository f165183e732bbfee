import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { liteLlmKeyHash } from '../../../shared/redact';
import { appendAudit } from '../../../shared/audit/store';
import { rotate } from '../../../shared/rotation/machine';
import { http, keyStore, liteLlmAdmin } from '../../helpers/connections';
import { leaseField, rotationIdField, secretNameField, shownFor } from '../../helpers/fields';
import { duration, fail, leaseSecondsOf, secretName, str } from '../../helpers/params';
import { baseAlias, type OldKeyAction, virtualKeyTarget } from '../../rotation/virtual-key-target';
import { reportOut } from '../rotation-output';

export const description: INodeProperties[] = shownFor(
	'virtualKey',
	['rotateVirtualKey'],
	[
		secretNameField(
			'The Infisical secret that holds the virtual key a service uses (e.g. OPEN_WEBUI_LITELLM_KEY)',
		),
		{
			displayName: 'Use Key Regenerate',
			name: 'regenerate',
			type: 'options',
			default: 'never',
			options: [
				{
					name: 'Never',
					value: 'never',
					description:
						"Generate a new key with the old key's settings, spend and budget, then retire the old key",
				},
				{
					name: 'When Available',
					value: 'auto',
					description:
						'Enterprise: replace the key in place (the old key works as the new one until the grace period ends); otherwise generate',
				},
				{ name: 'Always', value: 'always', description: 'Enterprise proxies only' },
			],
		},
		{
			displayName: 'Old Key',
			name: 'oldKeyAction',
			type: 'options',
			default: 'expire',
			options: [
				{
					name: 'Expire After Grace Period',
					value: 'expire',
					description:
						'The old key keeps working for the grace period, so services can reload; it may spend 10% of the remaining budget, charged to the new key',
				},
				{ name: 'Block Now', value: 'block' },
				{ name: 'Delete Now', value: 'delete' },
			],
		},
		{
			displayName: 'Grace Period',
			name: 'gracePeriod',
			type: 'string',
			default: '24h',
			placeholder: '24h',
			description: 'LiteLLM duration (30m, 24h, 7d) the old key stays valid',
		},
		{
			displayName: 'Verify With Model',
			name: 'verifyModel',
			type: 'string',
			default: '',
			placeholder: 'gpt-4o-mini',
			description:
				'A real one-token call with the new key; empty checks GET /v1/models with it (no tokens)',
		},
		rotationIdField,
		leaseField,
	],
);

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const name = secretName(ctx, i);
	const rotationId = str(ctx, 'rotationId', i) || ctx.getExecutionId() || `rotation-${Date.now()}`;
	const leaseSeconds = leaseSecondsOf(ctx, i);
	const oldKeyAction = str(ctx, 'oldKeyAction', i, 'expire') as OldKeyAction;
	const gracePeriod = duration(ctx, i, str(ctx, 'gracePeriod', i), 'Grace Period');
	const regenerate = str(ctx, 'regenerate', i, 'never') as 'auto' | 'always' | 'never';
	if (regenerate !== 'never' && oldKeyAction !== 'expire') {
		// A regenerated key's old value has no row of its own: LiteLLM can neither block nor delete it.
		fail(
			ctx,
			i,
			'Use Key Regenerate works only with Old Key: Expire After Grace Period',
			'Regenerate keeps the old key valid until its grace period ends; choose Use Key Regenerate: Never to block or delete the old key now',
		);
	}

	const { store } = await keyStore(ctx);
	const admin = await liteLlmAdmin(ctx);
	const current = await store.get(name);
	if (!current?.value) fail(ctx, i, `The secret ${name} does not exist or is empty`);
	// A re-run after a stop may find the secret already holding the new key: the lease knows the old one.
	const oldRow = (await admin.keyInfo(liteLlmKeyHash(current.value))) ?? {
		token: liteLlmKeyHash(current.value),
	};

	const target = virtualKeyTarget({
		admin,
		http: http(ctx),
		oldRow,
		oldKeyAction,
		gracePeriod,
		verifyModel: str(ctx, 'verifyModel', i) || undefined,
		regenerate,
	});
	const report = await rotate({
		secretName: name,
		rotationId,
		owner: ctx.getExecutionId() ?? 'n8n',
		leaseMs: leaseSeconds * 1000,
		store,
		target,
		// Each recorded step goes into the audit trail (a no-op when the trail is off).
		onStage: (stage) =>
			appendAudit(ctx, {
				resource: 'virtualKey',
				operation: 'rotateVirtualKey',
				step: stage,
				outcome: 'ok',
				keys: [{ name, alias: oldRow.key_alias ?? undefined }],
			}),
		keyNamePrefix: baseAlias(oldRow.key_alias, 'n8n-key'),
		metadata: { kind: 'virtual-key' },
	});
	return [
		{
			...reportOut(report),
			oldKeyAction,
			...(oldKeyAction === 'expire' ? { gracePeriod: gracePeriod ?? '24h' } : {}),
		},
	];
}
