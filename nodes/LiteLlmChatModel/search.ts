import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchLiteLlmModels } from '../shared/methods/searchModels';
import { searchOpenRouterModels } from '../shared/methods/searchOpenRouterModels';

/** The model list of the chosen backend: the proxy's model groups or OpenRouter's catalogue. */
export async function searchChatModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const backend = this.getCurrentNodeParameter('backend');
	if (backend === 'openRouter') return await searchOpenRouterModels.call(this, filter);
	return await searchLiteLlmModels.call(this, filter);
}
