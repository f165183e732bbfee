import type { OpenAiModel } from '@n8n/ai-node-sdk';
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { type Attribution, withAttribution } from '../shared/attribution';
import { checkedBaseUrl } from '../shared/transport/base-url';
import { OPENROUTER_DEFAULT_BASE_URL } from '../shared/transport/openrouter';
import { jsonObjectParam, listParam, numberParam } from '../shared/params';

export type Backend = 'liteLlm' | 'openRouter';

/** Where the OpenAI client goes and what it authenticates with. */
export interface Endpoint {
	baseUrl: string;
	apiKey: string;
	defaultHeaders?: Record<string, string>;
}

/** LiteLLM serves the OpenAI routes under /v1; the credential holds the proxy root (a /v1 is tolerated). */
export function liteLlmEndpoint(
	node: INode,
	credentials: ICredentialDataDecryptedObject,
): Endpoint {
	const root = checkedBaseUrl(node, credentials.baseUrl, 'LiteLLM API', { stripV1: true });
	return { baseUrl: `${root}/v1`, apiKey: String(credentials.apiKey ?? '') };
}

/** OpenRouter's base URL already ends in /api/v1; the attribution headers come from the credential. */
export function openRouterEndpoint(
	node: INode,
	credentials: ICredentialDataDecryptedObject,
): Endpoint {
	const baseUrl = checkedBaseUrl(node, credentials.baseUrl, 'LiteLLM OpenRouter API', {
		fallback: OPENROUTER_DEFAULT_BASE_URL,
	});
	const defaultHeaders: Record<string, string> = {};
	if (typeof credentials.appTitle === 'string' && credentials.appTitle)
		defaultHeaders['X-OpenRouter-Title'] = credentials.appTitle;
	if (typeof credentials.referer === 'string' && credentials.referer)
		defaultHeaders['HTTP-Referer'] = credentials.referer;
	return {
		baseUrl,
		apiKey: String(credentials.apiKey ?? ''),
		...(Object.keys(defaultHeaders).length > 0 && { defaultHeaders }),
	};
}

/** The node's `options` collection as the editor stores it. */
export interface ModelOptionValues {
	temperature?: number;
	maxTokens?: number;
	topP?: number;
	frequencyPenalty?: number;
	presencePenalty?: number;
	responseFormat?: 'text' | 'json_object';
	timeout?: number;
	maxRetries?: number;
	attribution?: boolean;
	tags?: string;
	metadata?: string | IDataObject;
	fallbacks?: string;
	openRouterModels?: string;
	additionalParams?: string | IDataObject;
}

/** The `providerRouting` collection (OpenRouter only). */
export interface ProviderRoutingValues {
	order?: string;
	allowFallbacks?: boolean;
	requireParameters?: boolean;
	dataCollection?: 'allow' | 'deny';
	zdr?: boolean;
	only?: string;
	ignore?: string;
	sort?: 'price' | 'throughput' | 'latency';
}

export interface ModelSettings {
	backend: Backend;
	endpoint: Endpoint;
	model: string;
	options: ModelOptionValues;
	providerRouting?: ProviderRoutingValues;
	attribution: Attribution;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
/** The gateway retries server-side; client retries on top would multiply calls. */
export const DEFAULT_MAX_RETRIES = 0;

/** OpenRouter's `provider` object (docs/upstreams.md), from the routing fields that are set. */
export function providerRouting(
	node: INode,
	values: ProviderRoutingValues = {},
): IDataObject | undefined {
	const provider: IDataObject = {};
	const order = listParam(node, values.order, 'Provider Order');
	if (order.length > 0) provider.order = order;
	const only = listParam(node, values.only, 'Only Providers');
	if (only.length > 0) provider.only = only;
	const ignore = listParam(node, values.ignore, 'Ignore Providers');
	if (ignore.length > 0) provider.ignore = ignore;
	if (values.allowFallbacks !== undefined) provider.allow_fallbacks = values.allowFallbacks;
	if (values.requireParameters !== undefined)
		provider.require_parameters = values.requireParameters;
	if (values.dataCollection) provider.data_collection = values.dataCollection;
	if (values.zdr !== undefined) provider.zdr = values.zdr;
	if (values.sort) provider.sort = values.sort;
	return Object.keys(provider).length > 0 ? provider : undefined;
}

/**
 * The extra body fields (sent by the SDK as ChatOpenAI `modelKwargs`): response format, LiteLLM's
 * attribution `metadata`/`tags` and server-side `fallbacks`, OpenRouter's `models` and `provider`, then the
 * user's Additional Body Fields, which win.
 */
export function extraBody(node: INode, settings: ModelSettings): IDataObject {
	const { options } = settings;
	const body: IDataObject = {};
	if (options.responseFormat === 'json_object') body.response_format = { type: 'json_object' };

	if (settings.backend === 'liteLlm') {
		const userTags = listParam(node, options.tags, 'Tags');
		const userMetadata = jsonObjectParam(node, options.metadata, 'Metadata') ?? {};
		if (options.attribution !== false) {
			const { tags, metadata } = withAttribution(settings.attribution, userTags, userMetadata);
			body.tags = tags;
			body.metadata = metadata;
		} else {
			if (userTags.length > 0) body.tags = userTags;
			if (Object.keys(userMetadata).length > 0) body.metadata = userMetadata;
		}
		const fallbacks = listParam(node, options.fallbacks, 'LiteLLM Fallback Models');
		if (fallbacks.length > 0) body.fallbacks = fallbacks;
	} else {
		const models = listParam(node, options.openRouterModels, 'OpenRouter Fallback Models');
		if (models.length > 0) body.models = models;
		const provider = providerRouting(node, settings.providerRouting);
		if (provider) body.provider = provider;
	}

	const additional = jsonObjectParam(node, options.additionalParams, 'Additional Body Fields');
	return { ...body, ...(additional ?? {}) };
}

/** What `supplyModel(ctx, …)` receives. */
export function buildModelOptions(node: INode, settings: ModelSettings): OpenAiModel {
	const { options, endpoint } = settings;
	const maxTokens = numberParam(node, options.maxTokens, 'Maximum Number of Tokens');
	const model: OpenAiModel = {
		type: 'openai',
		baseUrl: endpoint.baseUrl,
		apiKey: endpoint.apiKey,
		model: settings.model,
		temperature: numberParam(node, options.temperature, 'Sampling Temperature'),
		topP: numberParam(node, options.topP, 'Top P'),
		frequencyPenalty: numberParam(node, options.frequencyPenalty, 'Frequency Penalty'),
		presencePenalty: numberParam(node, options.presencePenalty, 'Presence Penalty'),
		// -1 is the editor's "no limit", as in n8n's own chat models.
		maxTokens: maxTokens !== undefined && maxTokens > 0 ? maxTokens : undefined,
		timeout: numberParam(node, options.timeout, 'Timeout') ?? DEFAULT_TIMEOUT_MS,
		maxRetries: numberParam(node, options.maxRetries, 'Max Retries') ?? DEFAULT_MAX_RETRIES,
		additionalParams: extraBody(node, settings),
	};
	if (endpoint.defaultHeaders) model.defaultHeaders = endpoint.defaultHeaders;
	for (const key of Object.keys(model) as Array<keyof OpenAiModel>) {
		if (model[key] === undefined) delete model[key];
	}
	return model;
}
