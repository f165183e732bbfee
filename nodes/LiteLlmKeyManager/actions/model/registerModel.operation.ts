import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { recordAuditField } from '../../helpers/audit-switch';
import { liteLlmAdmin } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';
import { fail, optionalNumber, str } from '../../helpers/params';

export const description: INodeProperties[] = shownFor(
	'model',
	['registerModel'],
	[
		{
			displayName: 'Model Name',
			name: 'modelName',
			type: 'string',
			default: '',
			placeholder: 'gpt-4o-mini',
			description: 'The model group clients ask for',
			required: true,
		},
		{
			displayName: 'Provider Model',
			name: 'providerModel',
			type: 'string',
			default: '',
			placeholder: 'openai/gpt-4o-mini',
			description: 'The litellm_params.model, with the provider prefix',
			required: true,
		},
		{
			displayName: 'Credential Name',
			name: 'credentialName',
			type: 'string',
			default: '',
			description: 'The LiteLLM credential that holds the key (see Create Credential)',
			required: true,
		},
		{
			displayName: 'Options',
			name: 'modelOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Input Cost per Token',
					name: 'inputCost',
					type: 'number',
					default: 0,
					typeOptions: { numberPrecision: 10 },
				},
				{
					displayName: 'Output Cost per Token',
					name: 'outputCost',
					type: 'number',
					default: 0,
					typeOptions: { numberPrecision: 10 },
				},
				{ displayName: 'RPM', name: 'rpm', type: 'number', default: 0 },
				{ displayName: 'TPM', name: 'tpm', type: 'number', default: 0 },
			],
		},
		recordAuditField,
	],
);

/** POST /model/new referencing a credential by name, so a rotated key reaches the model through it. */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const modelName = str(ctx, 'modelName', i);
	const providerModel = str(ctx, 'providerModel', i);
	const credentialName = str(ctx, 'credentialName', i);
	if (!modelName) fail(ctx, i, 'Model Name is empty');
	if (!/^[^/\s]+\/\S+$/.test(providerModel))
		fail(ctx, i, 'Provider Model must be "<provider>/<model>", e.g. openai/gpt-4o-mini');
	if (!credentialName) fail(ctx, i, 'Credential Name is empty');
	const options = ctx.getNodeParameter('modelOptions', i, {}) as IDataObject;
	const params: IDataObject = { model: providerModel, litellm_credential_name: credentialName };
	for (const [field, label, key] of [
		['inputCost', 'Input Cost per Token', 'input_cost_per_token'],
		['outputCost', 'Output Cost per Token', 'output_cost_per_token'],
		['rpm', 'RPM', 'rpm'],
		['tpm', 'TPM', 'tpm'],
	] as const) {
		const value = optionalNumber(ctx, i, options[field], label, 0);
		if (value) params[key] = value;
	}
	const row = await (
		await liteLlmAdmin(ctx)
	).newModel({ model_name: modelName, litellm_params: params });
	const info = (row.model_info ?? {}) as IDataObject;
	return [
		{
			modelName,
			providerModel,
			credentialName,
			modelId: (row.model_id as string) ?? (info.id as string) ?? null,
		},
	];
}
