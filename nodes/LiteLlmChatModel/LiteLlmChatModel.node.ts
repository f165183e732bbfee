import {
	type INodeType,
	type INodeTypeDescription,
	type ISupplyDataFunctions,
	NodeConnectionTypes,
	type SupplyData,
} from 'n8n-workflow';

import { chatModelProperties } from './description';
import { searchChatModels } from './search';
import { supplyChatModel } from './supply';

export class LiteLlmChatModel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LiteLLM Chat Model',
		name: 'liteLlmChatModel',
		icon: { light: 'file:litellm.svg', dark: 'file:litellm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["backend"] === "openRouter" ? "OpenRouter: " : ""}}{{$parameter["model"].value || $parameter["model"]}}',
		description:
			'Chat model for the AI Agent and LLM chains through a LiteLLM proxy or OpenRouter, with spend attribution',
		defaults: { name: 'LiteLLM Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		// '/backend' (the root-level path of the parameter) rather than 'backend': keyed on the property, n8n's
		// editor takes Backend for an authentication selector, hides it from the form and sets it from the
		// credential picked. Keyed on the path, Backend stays a visible choice and the credential follows it.
		credentials: [
			{
				name: 'liteLlmApi',
				required: true,
				displayOptions: { show: { '/backend': ['liteLlm', 'liteLlmFailover'] } },
			},
			{
				name: 'liteLlmOpenRouterApi',
				required: true,
				displayOptions: { show: { '/backend': ['openRouter', 'liteLlmFailover'] } },
			},
		],
		properties: chatModelProperties,
	};

	methods = { listSearch: { searchChatModels } };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		return await supplyChatModel(this, itemIndex);
	}
}
