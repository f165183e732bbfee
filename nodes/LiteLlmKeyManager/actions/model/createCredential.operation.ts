import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { safeBaseUrl } from '../../../shared/providers/base-url';
import { keyStore, liteLlmAdmin } from '../../helpers/connections';
import { providerField, shownFor } from '../../helpers/fields';
import { fail, provider, providerBaseUrl, secretName, str } from '../../helpers/params';
import { describeStored, maskedOf } from '../../helpers/stored-keys';

export const description: INodeProperties[] = shownFor(
	'model',
	['createCredential'],
	[
		{
			displayName: 'Credential Name',
			name: 'credentialName',
			type: 'string',
			default: '',
			placeholder: 'openai-byok',
			required: true,
		},
		providerField,
		{
			displayName: 'Stored Key Name',
			name: 'storedKeyName',
			type: 'string',
			default: '',
			placeholder: 'OPENAI_API_KEY',
			description:
				'The Infisical secret that holds the provider key; the node reads it and hands it to LiteLLM, it never reaches the output',
			required: true,
		},
		{
			displayName: 'API Base',
			name: 'apiBase',
			type: 'string',
			default: '',
			description: 'Only for endpoints other than the provider default',
			// LiteLLM sends the key here: never from item data.
			noDataExpression: true,
		},
	],
);

/** POST /credentials with the key read from Infisical inside the node. */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const credentialName = str(ctx, 'credentialName', i);
	if (!/^[A-Za-z0-9_.-]+$/.test(credentialName))
		fail(ctx, i, 'Credential Name must be letters, digits, dot, dash or underscore');
	const spec = provider(ctx, i);
	const name = secretName(ctx, i, 'storedKeyName', 'Stored Key Name');
	const apiBase = providerBaseUrl(ctx, i, spec, str(ctx, 'apiBase', i), 'API Base');
	const { store } = await keyStore(ctx);
	const secret = await store.get(name);
	if (!secret?.value) fail(ctx, i, `The secret ${name} does not exist or is empty`);
	const stored = describeStored(secret);
	const values: IDataObject = { api_key: secret.value };
	// A base URL read back from the secret's comment is re-checked like a typed one: LiteLLM sends the key there.
	const base =
		apiBase ||
		(stored.meta.baseUrl ? safeBaseUrl(spec, stored.meta.baseUrl, `the secret ${name}`) : '');
	if (base) values.api_base = base;
	await (
		await liteLlmAdmin(ctx)
	).createCredential(
		{
			credential_name: credentialName,
			credential_values: values,
			credential_info: { custom_llm_provider: spec.liteLlmProvider, infisical_secret: name },
		},
		[secret.value],
	);
	return [
		{
			credentialName,
			provider: spec.id,
			storedKeyName: name,
			...maskedOf(secret.value),
			created: true,
		},
	];
}
