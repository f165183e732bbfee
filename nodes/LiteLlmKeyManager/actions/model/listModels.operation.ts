import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maskKey } from '../../../shared/redact';
import { liteLlmAdmin } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';

export const description: INodeProperties[] = shownFor('model', ['listModels'], [
	{ displayName: 'Every deployment of the proxy (GET /model/info), keys masked', name: 'modelsNotice', type: 'notice', default: '' },
]);

export async function execute(ctx: IExecuteFunctions): Promise<IDataObject[]> {
	const models = await (await liteLlmAdmin(ctx)).modelInfo();
	return models.map((m) => {
		const params = { ...((m.litellm_params ?? {}) as IDataObject) };
		if (typeof params.api_key === 'string') params.api_key = maskKey(params.api_key);
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
