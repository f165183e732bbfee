import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkKey, type CheckDepth, type KeyCheckResult } from '../../../shared/providers/check';
import type { ProviderHttp } from '../../../shared/providers/http';
import { formatMetadata, parseMetadata } from '../../../shared/rotation/metadata';
import { settleSync } from '../../../shared/settle';
import type { SecretStore } from '../../../shared/transport/infisical';
import { http, keyStore } from '../../helpers/connections';
import { secretNameField, shownFor } from '../../helpers/fields';
import { fail, secretName, str } from '../../helpers/params';
import { baseUrlOf, describeStored, maskedOf, type StoredKey } from '../../helpers/stored-keys';

export const checkOptions: INodeProperties = {
	displayName: 'Options',
	name: 'checkOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Check Depth',
			name: 'depth',
			type: 'options',
			default: 'free',
			options: [
				{
					name: 'Zero-Token Check',
					value: 'free',
					description: 'Costs nothing; cannot see an empty balance',
				},
				{
					name: 'Plus One-Token Call',
					value: 'billed',
					description: 'Also spends one token, which reveals an exhausted quota',
				},
			],
		},
		{
			displayName: 'Record Result in Metadata',
			name: 'record',
			type: 'boolean',
			default: false,
			description:
				'Whether to write last validated and status into the secret comment (a new secret version each time)',
		},
		{ displayName: 'Timeout (Ms)', name: 'timeoutMs', type: 'number', default: 15000 },
	],
};

export const description: INodeProperties[] = shownFor(
	'providerKey',
	['validate'],
	[secretNameField('The Infisical secret that holds the key'), checkOptions],
);

export async function validateStored(
	providerHttp: ProviderHttp,
	store: SecretStore,
	key: StoredKey,
	options: { depth: CheckDepth; record: boolean; timeoutMs: number },
): Promise<IDataObject> {
	const base = {
		secretName: key.secret.name,
		provider: key.spec?.id ?? null,
		version: key.secret.version,
		...maskedOf(key.secret.value),
	};
	// A stored base URL that fails the re-check is reported (status unknown, with the reason) and never called.
	const baseUrl = settleSync(() => baseUrlOf(key));
	let result: KeyCheckResult;
	if (!key.spec) {
		result = {
			status: 'unknown',
			latencyMs: 0,
			detail: 'provider unknown: store the key with the Key Manager',
		};
	} else if (!baseUrl.ok || !baseUrl.value) {
		result = {
			status: 'unknown',
			latencyMs: 0,
			detail: baseUrl.ok
				? 'no base URL stored with this key'
				: `not checked: ${(baseUrl.error as Error).message}`,
		};
	} else {
		result = await checkKey(providerHttp, {
			spec: key.spec,
			baseUrl: baseUrl.value,
			key: key.secret.value,
			depth: options.depth,
			timeoutMs: options.timeoutMs,
		});
	}
	if (options.record && key.spec) {
		// Comment only, and only while the checked key is still the stored one: a rotation may have written a
		// new key (and its metadata) meanwhile; rewriting the value read earlier would put the old key back.
		const latest = await store.get(key.secret.name);
		if (latest && latest.value === key.secret.value) {
			const meta = {
				...parseMetadata(latest.comment),
				lastValidated: new Date().toISOString(),
				lastStatus: result.status,
			};
			await store.update(key.secret.name, undefined, formatMetadata(meta));
		}
	}
	return {
		...base,
		status: result.status,
		httpStatus: result.httpStatus ?? null,
		latencyMs: result.latencyMs,
		models: result.models ?? null,
		...(result.detail ? { detail: result.detail } : {}),
		...(result.retryAfter ? { retryAfter: result.retryAfter } : {}),
		checkedAt: new Date().toISOString(),
	};
}

export function readCheckOptions(ctx: IExecuteFunctions, i: number) {
	const options = ctx.getNodeParameter('checkOptions', i, {}) as IDataObject;
	const timeoutMs = Number(options.timeoutMs ?? 15000);
	if (!Number.isFinite(timeoutMs) || timeoutMs < 100)
		fail(ctx, i, 'Timeout (Ms) must be at least 100');
	return {
		depth: (options.depth === 'billed' ? 'billed' : 'free') as CheckDepth,
		record: Boolean(options.record),
		timeoutMs,
	};
}

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const name = secretName(ctx, i);
	const options = readCheckOptions(ctx, i);
	const { store } = await keyStore(ctx);
	const secret = await store.get(name);
	if (!secret)
		fail(
			ctx,
			i,
			`The secret ${name} does not exist in ${str(ctx, 'keyName', i) ? 'the folder' : 'Infisical'}`,
		);
	return [await validateStored(http(ctx), store, describeStored(secret), options)];
}
