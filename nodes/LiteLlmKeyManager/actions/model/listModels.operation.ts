import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { liteLlmAdmin } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';
import { maskSecretFields } from '../../helpers/mask-fields';

export const description: INodeProperties[] = shownFor(
	'model',
	['listModels'],
	[
		{
			displayName: 'Every deployment of the proxy (GET /model/info), keys masked',
			name: 'modelsNotice',
			type: 'notice',
			default: '',
		},
	],
);

export async function execute(ctx: IExecuteFunctions): Promise<IDataObject[]> {
	const models = await (await liteLlmAdmin(ctx)).modelInfo();
	return models.map((m) => {
		const params = maskSecretFields((m.litellm_params ?? {}) as IDataObject);
		const info = (m.model_info ?? {}) as IDataObject;
		return {
			modelName: m.model_name,
			modelId: info.id ?? null,
			providerModel: params.model ?? null,
			credentialName: params.litellm_credential_name ?? null,
			dbModel: info.db_model ?? null,
			litellmParams: params,
		};
	});
}
