import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fingerprint } from '../../../shared/redact';
import { appendAudit } from '../../../shared/audit/store';
import { rotate } from '../../../shared/rotation/machine';
import { openRouterConnection } from '../../../shared/transport/openrouter';
import { http, keyStore, liteLlmAdmin } from '../../helpers/connections';
import {
	keySourceFields,
	leaseField,
	rotationIdField,
	secretNameField,
	shownFor,
} from '../../helpers/fields';
import {
	checkKeyFormat,
	fail,
	keyFromSource,
	leaseSecondsOf,
	secretName,
	str,
} from '../../helpers/params';
import { baseUrlOf, describeStored } from '../../helpers/stored-keys';
import { keyAdminFor, openRouterKeyAdmin } from '../../rotation/key-admin';
import { type LiteLlmSwitch, providerKeyTarget } from '../../rotation/provider-key-target';
import { reportOut } from '../rotation-output';

export const description: INodeProperties[] = shownFor(
	'providerKey',
	['rotateProviderKey'],
	[
		secretNameField('The Infisical secret whose key is rotated'),
		...keySourceFields('newKey', 'New Key', [
			{
				name: 'Staged Secret',
				value: 'staged',
				description:
					'A secret in the same folder that holds the new key; deleted once the rotation is done',
			},
			{
				name: "Mint With the Provider's Admin API",
				value: 'mint',
				description: 'OpenRouter (management key in the OpenRouter credential) or Perplexity',
			},
		]),
		{
			displayName: 'Staged Key Name',
			name: 'stagedName',
			type: 'string',
			default: '',
			placeholder: 'OPENAI_API_KEY_NEXT',
			displayOptions: { show: { newKeySource: ['staged'] } },
		},
		{
			displayName: 'Update LiteLLM',
			name: 'liteLlmUpdate',
			type: 'options',
			default: 'credential',
			options: [
				{
					name: 'LiteLLM Credential',
					value: 'credential',
					description:
						'PATCH /credentials/{name}: every model that uses it gets the key, no restart',
				},
				{
					name: 'LiteLLM Model',
					value: 'model',
					description: 'POST /model/update on one model (DB models only)',
				},
				{
					name: 'Nothing',
					value: 'none',
					description:
						'LiteLLM reads the key from its environment: restart it to pick up the new version',
				},
			],
		},
		{
			displayName: 'LiteLLM Credential Name',
			name: 'credentialName',
			type: 'string',
			default: '',
			displayOptions: { show: { liteLlmUpdate: ['credential'] } },
		},
		{
			displayName: 'LiteLLM Model ID',
			name: 'modelId',
			type: 'string',
			default: '',
			description: 'The model_info.ID of the deployment',
			displayOptions: { show: { liteLlmUpdate: ['model'] } },
		},
		{
			displayName: 'Verify Through Model',
			name: 'verifyModel',
			type: 'string',
			default: '',
			placeholder: 'gpt-4o-mini',
			description:
				'A model group that uses this key: after the switch, one tiny real call through LiteLLM proves it (recommended)',
			displayOptions: { hide: { liteLlmUpdate: ['none'] } },
		},
		{
			displayName: 'Revoke Old Key',
			name: 'revokeOld',
			type: 'boolean',
			default: true,
			description:
				'Whether to revoke the old key where the provider has an API for it (OpenRouter, Perplexity); otherwise the output says to do it by hand',
		},
		rotationIdField,
		leaseField,
	],
);

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const name = secretName(ctx, i);
	const rotationId = str(ctx, 'rotationId', i) || ctx.getExecutionId() || `rotation-${Date.now()}`;
	const leaseSeconds = leaseSecondsOf(ctx, i);
	const source = str(ctx, 'newKeySource', i, 'parameter');
	const update = str(ctx, 'liteLlmUpdate', i, 'credential');
	const credentialName = str(ctx, 'credentialName', i);
	const modelId = str(ctx, 'modelId', i);
	if (update === 'credential' && !credentialName)
		fail(
			ctx,
			i,
			'LiteLLM Credential Name is empty',
			'Name the LiteLLM credential the models use, or choose Update LiteLLM: Nothing',
		);
	if (update === 'model' && !modelId) fail(ctx, i, 'LiteLLM Model ID is empty');
	const stagedName = source === 'staged' ? secretName(ctx, i, 'stagedName', 'Staged Key Name') : '';
	const given =
		source === 'parameter' || source === 'inputField' ? keyFromSource(ctx, i, 'newKey') : undefined;

	const { store } = await keyStore(ctx);
	const current = await store.get(name);
	if (!current) fail(ctx, i, `The secret ${name} does not exist: store the key first`);
	const stored = describeStored(current);
	const spec = stored.spec;
	if (!spec)
		fail(
			ctx,
			i,
			`The provider of ${name} is unknown`,
			'Store the key with the Key Manager (Provider Key → Store) so its provider is recorded',
		);
	const baseUrl = baseUrlOf(stored);
	if (!baseUrl) fail(ctx, i, `No base URL is stored with ${name}`);

	let newKey = given?.key;
	if (given) checkKeyFormat(ctx, i, spec, given.key, given.field);
	if (source === 'staged') {
		const staged = await store.get(stagedName);
		if (!staged?.value) fail(ctx, i, `The staged key ${stagedName} does not exist or is empty`);
		checkKeyFormat(ctx, i, spec, staged.value, 'Staged Secret');
		newKey = staged.value;
	}

	const providerHttp = http(ctx);
	// OpenRouter's key API needs its management credential: only asked for when minting or revoking.
	const needsAdmin =
		spec.admin !== 'openrouter-management' ||
		source === 'mint' ||
		Boolean(ctx.getNodeParameter('revokeOld', i, true));
	const admin = needsAdmin
		? await keyAdminFor(
				spec,
				baseUrl,
				providerHttp,
				() => current.value,
				async () => openRouterKeyAdmin(ctx, await openRouterConnection(ctx)),
			)
		: undefined;
	if (source === 'mint' && !admin)
		fail(
			ctx,
			i,
			`${spec.displayName} has no API to mint keys`,
			'Supply the new key instead (Enter Here, From Input Field or Staged Secret)',
		);

	const liteLlmSwitch: LiteLlmSwitch =
		update === 'credential'
			? { kind: 'credential', name: credentialName }
			: update === 'model'
				? { kind: 'model', modelId }
				: { kind: 'none' };
	const target = providerKeyTarget({
		spec,
		baseUrl,
		http: providerHttp,
		source: source === 'mint' ? { kind: 'mint', admin: admin! } : { kind: 'given', key: newKey! },
		revoker: ctx.getNodeParameter('revokeOld', i, true) ? admin : undefined,
		liteLlm:
			update === 'none'
				? undefined
				: {
						admin: await liteLlmAdmin(ctx),
						switch: liteLlmSwitch,
						verifyModel: str(ctx, 'verifyModel', i) || undefined,
					},
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
				resource: 'providerKey',
				operation: 'rotateProviderKey',
				step: stage,
				outcome: 'ok',
				keys: [{ name, provider: spec.id }],
			}),
		keyNamePrefix: name.toLowerCase(),
		metadata: { kind: 'provider-key', provider: spec.id },
	});
	// Only when this run stored the staged key: a resumed rotation may have stored another run's key.
	if (
		source === 'staged' &&
		report.status === 'rotated' &&
		newKey &&
		report.newKey?.fingerprint === fingerprint(newKey)
	)
		await store.remove(stagedName);
	return [
		{
			...reportOut(report),
			provider: spec.id,
			...(update === 'none'
				? {
						liteLlm:
							'LiteLLM reads this key from its environment: restart it (or reload its secrets) to use the new version',
					}
				: {}),
		},
	];
}
