import { supplyModel } from '@n8n/ai-node-sdk';
import type { IDataObject, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';

import { LITELLM_CREDENTIAL } from '../shared/transport/litellm';
import { OPENROUTER_CREDENTIAL } from '../shared/transport/openrouter';
import {
	type Backend,
	buildModelOptions,
	DEFAULT_TIMEOUT_MS,
	type Endpoint,
	liteLlmEndpoint,
	type ModelOptionValues,
	openRouterEndpoint,
	type ProviderRoutingValues,
} from './model-options';
import { type LastRoute, specificErrors } from './errors';
import { type ChatModelFailover, failoverFetch } from './failover-fetch';
import { withNormalisingFetch } from './null-fields';
import { requiredText } from './params';
import { failedAttemptHandler } from './retry-policy';

/**
 * Reads and checks the parameters (a wrong one is a NodeOperationError naming the field), builds the
 * ChatOpenAI through n8n's `supplyModel` (n8n's proxy dispatcher and tracing), then rebuilds it through its
 * public constructor with the fetch that normalises LiteLLM's null fields (null-fields.ts) and n8n's retry
 * rules (retry-policy.ts).
 */
export async function supplyChatModel(
	ctx: ISupplyDataFunctions,
	itemIndex: number,
): Promise<SupplyData> {
	const node = ctx.getNode();
	const choice = ctx.getNodeParameter('backend', itemIndex, 'liteLlm') as
		| Backend
		| 'liteLlmFailover';
	const backend: Backend = choice === 'liteLlmFailover' ? 'liteLlm' : choice;
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

	const credentials = await ctx.getCredentials(
		backend === 'liteLlm' ? LITELLM_CREDENTIAL : OPENROUTER_CREDENTIAL,
	);
	const endpoint =
		backend === 'liteLlm'
			? liteLlmEndpoint(node, credentials)
			: openRouterEndpoint(node, credentials);
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

	const timeoutMs = modelOptions.timeout ?? DEFAULT_TIMEOUT_MS;
	const last: LastRoute = {
		route: backend === 'liteLlm' ? 'litellm' : 'openrouter',
		reason: 'primary',
	};
	const failover =
		choice === 'liteLlmFailover'
			? await readFailover(ctx, itemIndex, endpoint, model, timeoutMs, last)
			: undefined;
	const secrets = [endpoint.apiKey, ...(failover ? [failover.openRouter.apiKey] : [])];
	const specific = specificErrors(node, last.route, secrets, timeoutMs, last);
	const supplied = supplyModel(ctx, { ...modelOptions, onFailedAttempt: specific });
	// The rebuilt model has no n8n retry hook: the specific errors first, then n8n's own rules.
	const retryRules = failedAttemptHandler(node);
	const onFailedAttempt = (error: unknown) => {
		specific(error);
		retryRules(error);
	};
	const response = withNormalisingFetch(
		supplied.response,
		failover ? failoverFetch(fetch, failover) : fetch,
		{ onFailedAttempt },
	);
	if (response === undefined) {
		ctx.logger.warn(
			'LiteLLM Chat Model: the chat model is not a LangChain model that can be rebuilt; LiteLLM null fields are not normalised',
		);
		return supplied;
	}
	return { ...supplied, response };
}

/** The failover settings of the "LiteLLM Proxy, Fail Over to OpenRouter" backend. */
async function readFailover(
	ctx: ISupplyDataFunctions,
	itemIndex: number,
	liteLlm: Endpoint,
	model: string,
	timeoutMs: number,
	last: LastRoute,
): Promise<ChatModelFailover> {
	const node = ctx.getNode();
	const fo = ctx.getNodeParameter('failoverOptions', itemIndex, {}) as IDataObject;
	const mapped = String(fo.openRouterModel ?? '').trim();
	return {
		liteLlmBase: liteLlm.baseUrl,
		liteLlmRoot: liteLlm.baseUrl.replace(/\/v1$/, ''),
		openRouter: openRouterEndpoint(node, await ctx.getCredentials(OPENROUTER_CREDENTIAL)),
		openRouterModel: mapped || (/^[\w.-]+\/[\w.:-]+$/.test(model) ? model : undefined),
		breaker: {
			threshold: Math.max(1, Number(fo.breakerThreshold ?? 3)),
			cooldownMs: Math.max(1, Number(fo.breakerCooldown ?? 30)) * 1000,
		},
		deadlineMs: Math.max(1000, Number(fo.totalDeadline ?? 180) * 1000),
		timeoutMs,
		secrets: [liteLlm.apiKey],
		onRoute(route, reason, liteLlmError) {
			last.route = route;
			last.reason = reason;
			if (route === 'openrouter') {
				ctx.logger.info(`LiteLLM Chat Model: answered through OpenRouter (${reason})`, {
					liteLlmError: liteLlmError?.kind,
				});
			}
		},
	};
}
