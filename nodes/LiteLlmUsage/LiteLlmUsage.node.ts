import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { router } from './actions/router';
import { usageProperties } from './description';
import { actionSubtitle } from '../shared/subtitle';

export class LiteLlmUsage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LiteLLM Usage',
		name: 'liteLlmUsage',
		icon: { light: 'file:litellm.svg', dark: 'file:litellm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(usageProperties),
		description:
			'Spend per key, model, team and workflow, budget alerts ready for Slack, and savings against OpenRouter',
		defaults: { name: 'LiteLLM Usage' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		// Each credential names its type: n8n's editor labels every credential without a `show` rule plain
		// "Credential", and the audit trail asks for two of them.
		credentials: [
			// Audit Trail reads LiteLLM only for "Include Key Usage From LiteLLM": n8n fills in the switch's default
			// (on) where it is shown and drops it elsewhere, so hiding on false touches Audit Trail alone.
			{
				name: 'liteLlmApi',
				displayName: 'Credential for LiteLLM API',
				required: true,
				displayOptions: { hide: { operation: ['openRouterUsage'], '/includeKeyUsage': [false] } },
			},
			// The audit trail lives where the keys do (nodes/shared/audit): read with the Key Manager's credential.
			// The Budget Check needs it only for markers in Infisical: `hide` matches any one condition, and the
			// audit trail has no alertMemory, so it is shown for the audit trail and for the Infisical memory.
			{
				name: 'liteLlmInfisicalApi',
				displayName: 'Credential for LiteLLM Infisical API',
				required: true,
				displayOptions: {
					hide: {
						operation: ['keySpend', 'openRouterUsage', 'savings', 'spendReport'],
						alertMemory: ['workflow'],
					},
				},
			},
			{
				name: 'liteLlmOpenRouterApi',
				displayName: 'Credential for LiteLLM OpenRouter API',
				required: true,
				displayOptions: { show: { operation: ['savings', 'openRouterUsage'] } },
			},
		],
		properties: usageProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router(this);
	}
}
