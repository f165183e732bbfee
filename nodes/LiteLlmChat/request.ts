import { type IDataObject, type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { withAttribution } from '../shared/attribution';
import type { ChatMessage } from '../shared/chat/types';
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

function fail(ctx: IExecuteFunctions, message: string, itemIndex: number): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex });
}

function readMessages(ctx: IExecuteFunctions, i: number): ChatMessage[] {
	if (ctx.getNodeParameter('promptType', i) === 'messages') {
		const parsed = jsonParam(ctx.getNode(), ctx.getNodeParameter('messages', i), 'Messages', i);
		if (!Array.isArray(parsed) || parsed.length === 0)
			fail(ctx, 'Messages must be a non-empty JSON array of {role, content}', i);
		parsed.forEach((m: unknown, n) => {
			const message = m as Partial<ChatMessage> | null;
			if (!message || typeof message !== 'object' || !ROLES.has(String(message.role))) {
				fail(ctx, `Messages[${n}] needs a role of system, user, assistant, tool or developer`, i);
			}
			if (message.content === undefined && !message.tool_calls)
				fail(ctx, `Messages[${n}] has no content`, i);
		});
		const hasText = (parsed as ChatMessage[]).some(
			(m) => typeof m.content !== 'string' || m.content.trim() || m.tool_calls,
		);
		if (!hasText) fail(ctx, 'Messages contain no text: every content is blank', i);
		return parsed as ChatMessage[];
	}
	const user = String(ctx.getNodeParameter('userMessage', i, '') ?? '');
	if (!user.trim())
		fail(ctx, 'User Message is empty: write the prompt (blank text is not sent)', i);
	const system = String(ctx.getNodeParameter('systemMessage', i, '') ?? '');
	const messages: ChatMessage[] = [];
	if (system.trim()) messages.push({ role: 'system', content: system });
	messages.push({ role: 'user', content: user });
	return messages;
}

function responseFormat(
	ctx: IExecuteFunctions,
	options: IDataObject,
	i: number,
): IDataObject | undefined {
	const format = options.responseFormat as string | undefined;
	if (!format || format === 'text') return undefined;
	if (format === 'json_object') return { type: 'json_object' };
	const schema = jsonParam(ctx.getNode(), options.jsonSchema, 'JSON Schema', i);
	if (!schema || typeof schema !== 'object' || Array.isArray(schema))
		fail(ctx, 'JSON Schema must be a JSON object', i);
	return { type: 'json_schema', json_schema: { name: 'response', schema, strict: true } };
}

/** Everything both routes share: messages and sampling options. Invalid input fails here, before any call. */
function commonBody(ctx: IExecuteFunctions, options: IDataObject, i: number): IDataObject {
	const body: IDataObject = { messages: readMessages(ctx, i) as unknown as IDataObject[] };
	const numbers: Array<[string, string, string]> = [
		['temperature', 'temperature', 'Temperature'],
		['maxTokens', 'max_tokens', 'Max Tokens'],
		['topP', 'top_p', 'Top P'],
		['seed', 'seed', 'Seed'],
	];
	for (const [option, field, label] of numbers) {
		const value = numberParam(ctx.getNode(), options[option], label, i);
		if (value !== undefined && !(option === 'seed' && value === 0)) body[field] = value;
	}
	const stop = listParam(ctx.getNode(), options.stop, 'Stop Sequences', i);
	if (stop.length) body.stop = stop;
	const format = responseFormat(ctx, options, i);
	if (format) body.response_format = format;
	const tools = jsonParam(ctx.getNode(), options.tools, 'Tools', i);
	if (tools !== undefined) {
		if (!Array.isArray(tools))
			fail(ctx, 'Tools must be a JSON array of OpenAI tool definitions', i);
		if (tools.length) body.tools = tools as IDataObject[];
	}
	if (typeof options.user === 'string' && options.user.trim()) body.user = options.user.trim();
	return { ...body, ...requestFields(ctx.getNode(), options.requestFields, i) };
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

export function buildItemRequest(
	ctx: IExecuteFunctions,
	i: number,
	rc: RequestContext,
): ItemRequest {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const common = commonBody(ctx, options, i);

	const liteLlm: IDataObject = { model: rc.model, ...common };
	const userTags = listParam(ctx.getNode(), options.tags, 'Tags', i);
	const metadata = jsonParam(ctx.getNode(), options.metadata, 'Metadata', i) ?? {};
	if (typeof metadata !== 'object' || Array.isArray(metadata))
		fail(ctx, 'Metadata must be a JSON object', i);
	const attribute = options.attribution !== false;
	const attributed = attribute
		? withAttribution(
				{
					workflowId: rc.workflow.id,
					workflowName: rc.workflow.name,
					executionId: rc.executionId,
					nodeName: ctx.getNode().name,
				},
				userTags,
				metadata as IDataObject,
				options.tagsInMetadata === true,
			)
		: { tags: userTags, metadata: metadata as IDataObject };
	if (attributed.tags.length) liteLlm.tags = attributed.tags;
	if (Object.keys(attributed.metadata).length) liteLlm.metadata = attributed.metadata;
	const fallbacks = listParam(ctx.getNode(), options.fallbacks, 'LiteLLM Fallback Models', i);
	if (fallbacks.length) liteLlm.fallbacks = fallbacks;
	const numRetries = numberParam(ctx.getNode(), options.numRetries, 'LiteLLM Num Retries', i);
	if (numRetries) liteLlm.num_retries = numRetries;
	const serverTimeout = numberParam(
		ctx.getNode(),
		options.serverTimeout,
		'LiteLLM Timeout (Seconds)',
		i,
	);
	if (serverTimeout) liteLlm.timeout = serverTimeout;

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
	return { model: rc.model, liteLlm, openRouter, includeRaw: options.includeRaw === true };
}
