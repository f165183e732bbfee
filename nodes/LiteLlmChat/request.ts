import { type IDataObject, type INode, NodeOperationError } from 'n8n-workflow';

import { withAttribution } from '../shared/attribution';
import type { ChatMessage } from '../shared/chat/types';
import type { ItemParams } from '../shared/item-params';
import { jsonParam, listParam, numberParam } from '../shared/params';
import { requestFields } from './request-fields';

const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'developer']);

/** What one item sends: the LiteLLM body and, with failover on, the OpenRouter body. */
export interface ItemRequest {
	model: string;
	liteLlm: IDataObject;
	/** Only with failover on and an OpenRouter model mapped for `model`. */
	openRouter?: IDataObject;
	includeRaw: boolean;
}

function fail(params: { node: INode }, message: string, itemIndex: number): never {
	throw new NodeOperationError(params.node, message, { itemIndex });
}

function readMessages(params: ItemParams, i: number): ChatMessage[] {
	if (params.get('promptType', i) === 'messages') {
		const parsed = jsonParam(params.node, params.get('messages', i), 'Messages', i);
		if (!Array.isArray(parsed) || parsed.length === 0)
			fail(params, 'Messages must be a non-empty JSON array of {role, content}', i);
		parsed.forEach((m: unknown, n) => {
			const message = m as Partial<ChatMessage> | null;
			if (!message || typeof message !== 'object' || !ROLES.has(String(message.role))) {
				fail(
					params,
					`Messages[${n}] needs a role of system, user, assistant, tool or developer`,
					i,
				);
			}
			if (message.content === undefined && !message.tool_calls)
				fail(params, `Messages[${n}] has no content`, i);
		});
		const hasText = (parsed as ChatMessage[]).some(
			(m) => typeof m.content !== 'string' || m.content.trim() || m.tool_calls,
		);
		if (!hasText) fail(params, 'Messages contain no text: every content is blank', i);
		return parsed as ChatMessage[];
	}
	const user = String(params.get('userMessage', i, '') ?? '');
	if (!user.trim())
		fail(params, 'User Message is empty: write the prompt (blank text is not sent)', i);
	const system = String(params.get('systemMessage', i, '') ?? '');
	const messages: ChatMessage[] = [];
	if (system.trim()) messages.push({ role: 'system', content: system });
	messages.push({ role: 'user', content: user });
	return messages;
}

function responseFormat(
	params: ItemParams,
	options: IDataObject,
	i: number,
): IDataObject | undefined {
	const format = options.responseFormat as string | undefined;
	if (!format || format === 'text') return undefined;
	if (format === 'json_object') return { type: 'json_object' };
	const schema = jsonParam(params.node, options.jsonSchema, 'JSON Schema', i);
	if (!schema || typeof schema !== 'object' || Array.isArray(schema))
		fail(params, 'JSON Schema must be a JSON object', i);
	return { type: 'json_schema', json_schema: { name: 'response', schema, strict: true } };
}

/** The sampling options both routes share. Invalid input fails here, before any call. */
function samplingFields(params: ItemParams, options: IDataObject, i: number): IDataObject {
	const body: IDataObject = {};
	const numbers: Array<[string, string, string]> = [
		['temperature', 'temperature', 'Temperature'],
		['maxTokens', 'max_tokens', 'Max Tokens'],
		['topP', 'top_p', 'Top P'],
		['seed', 'seed', 'Seed'],
	];
	for (const [option, field, label] of numbers) {
		const value = numberParam(params.node, options[option], label, i);
		if (value !== undefined && !(option === 'seed' && value === 0)) body[field] = value;
	}
	const stop = listParam(params.node, options.stop, 'Stop Sequences', i);
	if (stop.length) body.stop = stop;
	const format = responseFormat(params, options, i);
	if (format) body.response_format = format;
	const tools = jsonParam(params.node, options.tools, 'Tools', i);
	if (tools !== undefined) {
		if (!Array.isArray(tools))
			fail(params, 'Tools must be a JSON array of OpenAI tool definitions', i);
		if (tools.length) body.tools = tools as IDataObject[];
	}
	if (typeof options.user === 'string' && options.user.trim()) body.user = options.user.trim();
	return { ...body, ...requestFields(params.node, options.requestFields, i) };
}

export interface RequestContext {
	model: string;
	workflow: { id?: string; name?: string };
	executionId?: string;
	failover?: {
		defaultModel: string;
		mapping: Array<{ liteLlmModel: string; openRouterModel: string; fallbackModels: string }>;
		maxPrice?: IDataObject;
	};
}

/** The OpenRouter id and `models` list for a LiteLLM model, or undefined when none is configured. */
export function openRouterModels(
	rc: NonNullable<RequestContext['failover']>,
	model: string,
): string[] | undefined {
	const entry = rc.mapping.find((m) => m.liteLlmModel.trim() === model);
	if (entry?.openRouterModel.trim()) {
		const extra = entry.fallbackModels
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean);
		return [entry.openRouterModel.trim(), ...extra];
	}
	if (rc.defaultModel.trim()) return [rc.defaultModel.trim()];
	if (/^[\w.-]+\/[\w.:-]+$/.test(model)) return [model];
	return undefined;
}

/** What the Options collection adds to a request: the same for every item unless it holds an expression. */
interface OptionsPart {
	sampling: IDataObject;
	/** LiteLLM-only fields: tags, metadata (with attribution), fallbacks, num_retries, timeout. */
	liteLlm: IDataObject;
	includeRaw: boolean;
}

function optionsPart(
	params: ItemParams,
	options: IDataObject,
	i: number,
	rc: RequestContext,
): OptionsPart {
	const sampling = samplingFields(params, options, i);
	const liteLlm: IDataObject = {};
	const userTags = listParam(params.node, options.tags, 'Tags', i);
	const metadata = jsonParam(params.node, options.metadata, 'Metadata', i) ?? {};
	if (typeof metadata !== 'object' || Array.isArray(metadata))
		fail(params, 'Metadata must be a JSON object', i);
	const attribute = options.attribution !== false;
	const attributed = attribute
		? withAttribution(
				{
					workflowId: rc.workflow.id,
					workflowName: rc.workflow.name,
					executionId: rc.executionId,
					nodeName: params.node.name,
				},
				userTags,
				metadata as IDataObject,
				options.tagsInMetadata === true,
			)
		: { tags: userTags, metadata: metadata as IDataObject };
	if (attributed.tags.length) liteLlm.tags = attributed.tags;
	if (Object.keys(attributed.metadata).length) liteLlm.metadata = attributed.metadata;
	const fallbacks = listParam(params.node, options.fallbacks, 'LiteLLM Fallback Models', i);
	if (fallbacks.length) liteLlm.fallbacks = fallbacks;
	const numRetries = numberParam(params.node, options.numRetries, 'LiteLLM Num Retries', i);
	if (numRetries) liteLlm.num_retries = numRetries;
	const serverTimeout = numberParam(
		params.node,
		options.serverTimeout,
		'LiteLLM Timeout (Seconds)',
		i,
	);
	if (serverTimeout) liteLlm.timeout = serverTimeout;
	return { sampling, liteLlm, includeRaw: options.includeRaw === true };
}

/**
 * Builds each item's request for one execution. ItemParams hands every item the same Options object when the
 * collection holds no expression, so its part (parsing, checks, attribution) is built once and reused; an
 * Options value with an expression is a new object per item and is built per item. A failure is never kept:
 * each item then reports its own error with its own index.
 */
export function requestBuilder(params: ItemParams): (i: number, rc: RequestContext) => ItemRequest {
	let built: { options: IDataObject; part: OptionsPart } | undefined;
	return (i, rc) => {
		const options = params.get('options', i, {}) as IDataObject;
		// Messages first: an item with both bad messages and bad options reports the messages, as it always did.
		const messages = readMessages(params, i) as unknown as IDataObject[];
		if (built?.options !== options) built = { options, part: optionsPart(params, options, i, rc) };
		return itemRequest(rc, messages, built.part);
	};
}

function itemRequest(rc: RequestContext, messages: IDataObject[], part: OptionsPart): ItemRequest {
	const common: IDataObject = { messages, ...part.sampling };
	const liteLlm: IDataObject = { model: rc.model, ...common, ...part.liteLlm };

	let openRouter: IDataObject | undefined;
	if (rc.failover) {
		// No model mapped: the call goes to LiteLLM alone, and says so only if it ever has to fail over.
		const models = openRouterModels(rc.failover, rc.model);
		if (models) {
			openRouter = { model: models[0], ...common };
			if (models.length > 1) openRouter.models = models;
			if (rc.failover.maxPrice) openRouter.provider = { max_price: rc.failover.maxPrice };
		}
	}
	return { model: rc.model, liteLlm, openRouter, includeRaw: part.includeRaw };
}
