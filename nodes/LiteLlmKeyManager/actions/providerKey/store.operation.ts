import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkKey } from '../../../shared/providers/check';
import { formatMetadata, parseMetadata } from '../../../shared/rotation/metadata';
import { http, keyStore } from '../../helpers/connections';
import { keySourceFields, providerField, secretNameField, shownFor } from '../../helpers/fields';
import {
	checkKeyFormat,
	fail,
	keyFromSource,
	provider,
	providerBaseUrl,
	secretName,
	str,
} from '../../helpers/params';
import { maskedOf } from '../../helpers/stored-keys';

export const description: INodeProperties[] = shownFor(
	'providerKey',
	['store'],
	[
		providerField,
		secretNameField(
			'Name LiteLLM reads as os.environ/NAME; leave empty for the provider default (OPENAI_API_KEY…). Add a suffix for more keys: OPENAI_API_KEY_2',
			'',
			false,
		),
		...keySourceFields('apiKey', 'API Key'),
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			// The key is sent here: never from item data.
			noDataExpression: true,
			placeholder: 'https://my-endpoint.example.com/v1',
			description:
				'Needed for an OpenAI-compatible endpoint; otherwise only to override the provider default (e.g. a regional endpoint). Stored with the key.',
		},
		{
			displayName: 'If It Exists',
			name: 'ifExists',
			type: 'options',
			default: 'error',
			options: [
				{ name: 'Fail', value: 'error' },
				{ name: 'Write a New Version', value: 'update' },
			],
		},
		{
			displayName: 'Validate Before Storing',
			name: 'validateFirst',
			type: 'boolean',
			default: true,
			description: 'Whether to refuse a key the provider does not accept (a zero-token check)',
		},
	],
);

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const spec = provider(ctx, i);
	// An empty name falls back to the provider's env name; the fallback goes through the same check.
	const name = secretName(ctx, i, 'keyName', 'Key Name', spec.envName);
	const { key, field } = keyFromSource(ctx, i, 'apiKey');
	checkKeyFormat(ctx, i, spec, key, field);
	const baseUrl = providerBaseUrl(ctx, i, spec, str(ctx, 'baseUrl', i), 'Base URL');
	if (!baseUrl && !spec.defaultBaseUrl)
		fail(ctx, i, `Base URL is required for ${spec.displayName}`);
	const { store } = await keyStore(ctx);

	let status: string | undefined;
	if (ctx.getNodeParameter('validateFirst', i, true) as boolean) {
		const result = await checkKey(http(ctx), {
			spec,
			baseUrl: baseUrl || spec.defaultBaseUrl!,
			key,
		});
		status = result.status;
		if (result.status === 'invalid')
			fail(
				ctx,
				i,
				`${spec.displayName} refused the key (HTTP ${result.httpStatus}): nothing was stored`,
			);
	}
	const now = new Date().toISOString();
	const existing = await store.get(name);
	const previous = existing ? parseMetadata(existing.comment) : {};
	const meta = {
		...previous,
		// A key written again is in use: a revoke still pending for it from an earlier rotation must never run.
		pendingRevoke: (previous.pendingRevoke ?? []).filter(
			(p) => p.fingerprint !== maskedOf(key).fingerprint,
		),
		kind: 'provider-key' as const,
		provider: spec.id,
		baseUrl: baseUrl || undefined,
		fingerprint: maskedOf(key).fingerprint,
		...(status ? { lastValidated: now, lastStatus: status } : {}),
	};
	let action: 'created' | 'updated';
	let version = 1;
	if (existing) {
		if (str(ctx, 'ifExists', i, 'error') !== 'update')
			fail(
				ctx,
				i,
				`The secret ${name} exists already`,
				'Set "If It Exists" to write a new version, or pick another name',
			);
		version = (await store.update(name, key, formatMetadata(meta))).version;
		action = 'updated';
	} else {
		const created = await store.create(name, key, formatMetadata({ ...meta, created: now }));
		if (created === 'exists')
			fail(ctx, i, `The secret ${name} was created by someone else just now`);
		action = 'created';
	}
	return [
		{
			secretName: name,
			provider: spec.id,
			action,
			version,
			...(status ? { status } : {}),
			...maskedOf(key),
		},
	];
}
