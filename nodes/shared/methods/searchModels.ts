import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ModelList } from '../chat/types';
import { liteLlmConnection, liteLlmRequest } from '../transport/litellm';

/** The model groups the proxy offers to this key (`GET /v1/models`), filtered by the search text. */
export async function searchLiteLlmModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const connection = await liteLlmConnection(this);
	const { data } = await liteLlmRequest<ModelList>(this, connection, {
		method: 'GET',
		path: '/v1/models',
		timeoutMs: 15_000,
	});
	const needle = (filter ?? '').toLowerCase();
	const results = (data.data ?? [])
		.map((model) => model.id)
		.filter((id) => !needle || id.toLowerCase().includes(needle))
		.sort((a, b) => a.localeCompare(b))
		.map((id) => ({ name: id, value: id }));
	return { results };
}
