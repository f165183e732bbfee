import { supplyModel } from '@n8n/ai-node-sdk';
import type { ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

import { LITELLM_CREDENTIAL } from '../shared/transport/litellm';
import { OPENROUTER_CREDENTIAL } from '../shared/transport/openrouter';
import {
	type Backend,
	buildModelOptions,
	DEFAULT_TIMEOUT_MS,
	liteLlmEndpoint,
	type ModelOptionValues,
	openRouterEndpoint,
	type ProviderRoutingValues,
} from './model-options';
import { specificErrors } from './errors';
import { installNormalisingFetch } from './null-fields';
import { requiredText } from './params';

/**
 * Reads and checks the parameters (a wrong one is a NodeOperationError naming the field), builds the
 * ChatOpenAI through n8n's `supplyModel` (n8n's proxy dispatcher, tracing and retry handling), then gives
 * its OpenAI client the fetch that normalises LiteLLM's null fields (null-fields.ts).
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

	const upstream = backend === 'liteLlm' ? 'litellm' : 'openrouter';
	const onFailedAttempt = specificErrors(node, upstream, [endpoint.apiKey], modelOptions.timeout ?? DEFAULT_TIMEOUT_MS);
	const supplied = supplyModel(ctx, { ...modelOptions, onFailedAttempt });
	if (installNormalisingFetch(supplied.response, fetch) === 0) {
		ctx.logger.warn(
			'LiteLLM Chat Model: the chat model has no OpenAI client configuration to patch; LiteLLM null fields are not normalised',
		);
	}
	return supplied;
}
