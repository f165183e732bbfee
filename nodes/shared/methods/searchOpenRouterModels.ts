import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { openRouterConnection, openRouterRequest } from '../transport/openrouter';

interface OpenRouterModelList {
	data?: Array<{ id: string; name?: string }>;
}

/** OpenRouter's model catalogue (`GET /models`), filtered by the search text on id and display name. */
export async function searchOpenRouterModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const connection = await openRouterConnection(this);
	const { data } = await openRouterRequest<OpenRouterModelList>(this, connection, {
		method: 'GET',
		path: '/models',
		timeoutMs: 15_000,
	});
	const needle = (filter ?? '').toLowerCase();
	const results = (data.data ?? [])
		.filter((model) => typeof model.id === 'string')
		.filter((model) => !needle || `${model.id} ${model.name ?? ''}`.toLowerCase().includes(needle))
		.sort((a, b) => a.id.localeCompare(b.id))
		.map((model) => ({
			name: model.name ? `${model.name} (${model.id})` : model.id,
			value: model.id,
		}));
	return { results };
}
