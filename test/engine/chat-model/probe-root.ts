/**
 * A test-only root node with an `ai_languageModel` input, standing in for n8n's AI Agent and Basic LLM
 * Chain (n8n-nodes-langchain is not a dependency of the engine tests). n8n-core's real
 * `getInputConnectionData` creates the SupplyDataContext and calls the sub-node's `supplyData`.
 *
 * Modes:
 * - `invoke`: `model.invoke(prompt)`, like the Basic LLM Chain;
 * - `agent`: LangChain's tool-calling agent (createToolCallingAgent, what n8n's AI Agent v2/v3 builds) with
 *   one tool `get_time` that answers "12:00", run by AgentExecutor.
 */
import { AgentExecutor, createToolCallingAgent } from '@langchain/classic/agents';
import type { BaseMessage } from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { DynamicTool } from '@langchain/core/tools';
import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

export const PROBE_TYPE = 'test.chatModelProbe';

interface ChatModelLike {
	invoke(input: string): Promise<BaseMessage>;
}

export class ChatModelProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat Model Probe',
		name: 'chatModelProbe',
		group: ['transform'],
		version: 1,
		description: 'Uses the connected chat model',
		defaults: { name: 'Probe' },
		inputs: [
			NodeConnectionTypes.Main,
			{
				type: NodeConnectionTypes.AiLanguageModel,
				displayName: 'Model',
				required: true,
				maxConnections: 1,
			},
		],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Mode', name: 'mode', type: 'string', default: 'invoke' },
			{ displayName: 'Prompt', name: 'prompt', type: 'string', default: 'Hello' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const model = (await this.getInputConnectionData(
			NodeConnectionTypes.AiLanguageModel,
			0,
		)) as ChatModelLike;
		const mode = this.getNodeParameter('mode', 0) as string;
		const prompt = this.getNodeParameter('prompt', 0) as string;
		if (mode === 'agent') {
			const tool = new DynamicTool({
				name: 'get_time',
				description: 'The current time',
				func: async () => '12:00',
			});
			const template = ChatPromptTemplate.fromMessages([
				['system', 'You are a helpful assistant'],
				['human', '{input}'],
				['placeholder', '{agent_scratchpad}'],
			]);
			const agent = createToolCallingAgent({
				llm: model as never,
				tools: [tool],
				prompt: template,
				streamRunnable: false,
			});
			const executor = new AgentExecutor({ agent, tools: [tool], returnIntermediateSteps: true });
			const result = (await executor.invoke({ input: prompt })) as {
				output: string;
				intermediateSteps: Array<{
					action: { tool: string; toolInput: unknown };
					observation: string;
				}>;
			};
			const steps = result.intermediateSteps.map((s) => ({
				tool: s.action.tool,
				input: s.action.toolInput,
				observation: s.observation,
			}));
			return [[{ json: { output: result.output, steps }, pairedItem: { item: 0 } }]];
		}
		const message = await model.invoke(prompt);
		return [
			[
				{
					json: { text: message.content as string, responseMetadata: message.response_metadata },
					pairedItem: { item: 0 },
				},
			],
		];
	}
}
