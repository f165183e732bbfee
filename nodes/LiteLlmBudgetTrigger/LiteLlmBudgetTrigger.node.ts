import {
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { budgetFields } from '../LiteLlmUsage/description';
import { pollBudgets } from './poll';

export class LiteLlmBudgetTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LiteLLM Budget Trigger',
		name: 'liteLlmBudgetTrigger',
		icon: { light: 'file:litellm.svg', dark: 'file:litellm.dark.svg' },
		group: ['trigger'],
		subtitle: '={{"thresholds " + $parameter["thresholds"] + " %"}}',
		version: 1,
		description: 'Starts the workflow when a key, team or the proxy crosses a new budget threshold',
		defaults: { name: 'LiteLLM Budget Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'liteLlmApi', required: true },
			{
				name: 'liteLlmInfisicalApi',
				required: true,
				displayOptions: { show: { alertMemory: ['infisical'] } },
			},
		],
		properties: [
			{
				displayName:
					'Each crossing is reported once, until the budget resets. A manual run shows what a first poll would report (or a sample) and remembers nothing.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			...budgetFields,
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollBudgets(this);
	}
}
