import { supplyModel } from '@n8n/ai-node-sdk';
import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

import { LITELLM_CREDENTIAL } from '../shared/transport/litellm';
import { OPENROUTER_CREDENTIAL } from '../shared/transport/openrouter';
import {
	type Backend,
	buildModelOptions,
	liteLlmEndpoint,
	type ModelOptionValues,
	openRouterEndpoint,
	type ProviderRoutingValues,
} from './model-options';
import { withNormalisingFetch } from './null-fields';
import { requiredText } from './params';
import { failedAttemptHandler } from './retry-policy';

/**
 * Reads and checks the parameters (a wrong one is a NodeOperationError naming the field), builds the
 * ChatOpenAI through n8n's `supplyModel` (n8n's proxy dispatcher and tracing), then rebuilds it through its
 * public constructor with the fetch that normalises LiteLLM's null fields (null-fields.ts) and n8n's retry
 * rules (retry-policy.ts).
 */
export async function supplyChatModel(ctx: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
	const node = ctx.getNode();
	const backend = ctx.getNodeParameter('backend', itemIndex, 'liteLlm') as Backend;
	const model = requiredText(
		node,
		ctx.getNodeParameter('model', itemIndex, '', { extractValue: true }),
		'Model',
		backend === 'liteLlm'
			? 'Pick a model group of the LiteLLM proxy, or type its name (model_name in config.yaml)'
			: 'Pick an OpenRouter model, or type its ID such as openai/gpt-4o-mini',
	);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as ModelOptionValues;
	const routing =
		backend === 'openRouter'
			? (ctx.getNodeParameter('providerRouting', itemIndex, {}) as ProviderRoutingValues)
			: undefined;

	const credentials = await ctx.getCredentials(backend === 'liteLlm' ? LITELLM_CREDENTIAL : OPENROUTER_CREDENTIAL);
	const endpoint = backend === 'liteLlm' ? liteLlmEndpoint(node, credentials) : openRouterEndpoint(node, credentials);
	const workflow = ctx.getWorkflow();

	const modelOptions = buildModelOptions(node, {
		backend,
		endpoint,
		model,
		options,
		providerRouting: routing,
		attribution: {
			workflowId: workflow.id,
			workflowName: workflow.name,
			executionId: ctx.getExecutionId(),
			nodeName: node.name,
		},
	});

	const supplied = supplyModel(ctx, modelOptions);
	const response = withNormalisingFetch(supplied.response, fetch, { onFailedAttempt: failedAttemptHandler(node) });
	if (response === undefined) {
		ctx.logger.warn(
			'LiteLLM Chat Model: the chat model is not a LangChain model that can be rebuilt; LiteLLM null fields are not normalised',
		);
		return supplied;
	}
	return { ...supplied, response };
}
