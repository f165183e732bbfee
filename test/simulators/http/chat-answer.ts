/**
 * Deterministic OpenAI-style answers shared by the LiteLLM and OpenRouter simulators (neither service
 * documents what a model answers; tests need the same input to give the same text, tokens and cost).
 *
 * - Plain answer: `mock` text when given, else `Echo: <last user message>`.
 * - Tools: when the request carries `tools` (and `tool_choice` is not "none") and the last message is not a
 *   `tool` result, the answer is a call to the first tool (or the one `tool_choice` names), with arguments built
 *   from the tool's required parameters (strings get the last user message, numbers 1, booleans true ...). A
 *   tool with no required parameter but an optional string one (LangChain's one-input tools, such as n8n's
 *   Calculator with its optional `input`) gets the last user message there, as a model would pass the question
 *   on: the Calculator then computes "6 * 7" and the round trip ends in its result.
 * - After a tool result: text that quotes the result, `Tool <name> returned: <content>`; n8n hands a tool's
 *   result over as `[{"response": <value>}]`, and the answer quotes the value, as a model reads it.
 * - Tokens: an approximation of tiktoken (4 characters a token, 4 per message plus 3 per request, as OpenAI's
 *   cookbook counts chat overhead), so the same prompt always costs the same.
 */
import { createHash } from 'node:crypto';

export interface ChatMessage {
	role: string;
	content?: unknown;
	name?: string;
	tool_call_id?: string;
	tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
}

export interface ToolDefinition {
	type?: string;
	function?: {
		name?: string;
		description?: string;
		parameters?: { type?: string; properties?: Record<string, JsonSchema>; required?: string[] };
	};
}

interface JsonSchema {
	type?: string | string[];
	enum?: unknown[];
	properties?: Record<string, JsonSchema>;
	required?: string[];
}

export interface ToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

export interface ChatAnswer {
	content: string | null;
	toolCalls: ToolCall[] | null;
	finishReason: 'stop' | 'tool_calls';
	promptTokens: number;
	completionTokens: number;
}

/** Text of a message's content (string, or the text parts of a content array). */
export function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part) =>
				part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string'
					? (part as { text: string }).text
					: '',
			)
			.join('');
	}
	return '';
}

export function countPromptTokens(messages: ChatMessage[], tools?: ToolDefinition[]): number {
	let tokens = 3;
	for (const message of messages) {
		tokens += 4 + Math.ceil(contentText(message.content).length / 4);
		if (message.tool_calls) tokens += Math.ceil(JSON.stringify(message.tool_calls).length / 4);
	}
	if (tools && tools.length > 0) tokens += Math.ceil(JSON.stringify(tools).length / 4);
	return tokens;
}

export function countTextTokens(text: string): number {
	return Math.max(1, Math.ceil(text.length / 4));
}

function lastUserText(messages: ChatMessage[]): string {
	for (let i = messages.length - 1; i >= 0; i--) {
		if (messages[i].role === 'user') return contentText(messages[i].content);
	}
	return '';
}

function sampleValue(schema: JsonSchema | undefined, userText: string): unknown {
	if (schema?.enum && schema.enum.length > 0) return schema.enum[0];
	const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
	switch (type) {
		case 'number':
		case 'integer':
			return 1;
		case 'boolean':
			return true;
		case 'array':
			return [];
		case 'object': {
			const out: Record<string, unknown> = {};
			for (const name of schema?.required ?? [])
				out[name] = sampleValue(schema?.properties?.[name], userText);
			return out;
		}
		default:
			return userText;
	}
}

/** A tool result as a model reads it: n8n's `[{"response": value}]` wrapper gives its value, the rest as is. */
function toolResultText(content: string): string {
	try {
		const parsed = JSON.parse(content) as unknown;
		const first = Array.isArray(parsed) && parsed.length === 1 ? (parsed[0] as unknown) : parsed;
		if (first && typeof first === 'object' && Object.keys(first).join() === 'response') {
			const value = (first as { response: unknown }).response;
			return typeof value === 'string' ? value : JSON.stringify(value);
		}
	} catch {
		// not JSON: quoted as it is
	}
	return content;
}

/** The first property typed as a string (a one-input tool's `input`), if any. */
function firstStringProperty(
	properties: Record<string, JsonSchema> | undefined,
): string | undefined {
	return Object.entries(properties ?? {}).find(([, schema]) =>
		Array.isArray(schema.type) ? schema.type.includes('string') : schema.type === 'string',
	)?.[0];
}

/** Deterministic `call_` id: same conversation, same id. */
export function toolCallId(seed: string): string {
	return (
		'call_' +
		createHash('sha256').update(seed).digest('base64url').replace(/[-_]/g, 'x').slice(0, 24)
	);
}

function chooseTool(tools: ToolDefinition[], toolChoice: unknown): ToolDefinition | undefined {
	if (toolChoice === 'none') return undefined;
	if (toolChoice && typeof toolChoice === 'object') {
		const name = (toolChoice as { function?: { name?: string } }).function?.name;
		const named = tools.find((t) => t.function?.name === name);
		if (named) return named;
	}
	return tools.find((t) => t.function?.name);
}

export interface AnswerInput {
	messages: ChatMessage[];
	tools?: ToolDefinition[];
	toolChoice?: unknown;
	/** Fixed answer text (LiteLLM's `mock_response`). */
	mock?: string;
}

export function buildAnswer(input: AnswerInput): ChatAnswer {
	const { messages, tools } = input;
	const promptTokens = countPromptTokens(messages, tools);
	const last = messages[messages.length - 1];

	if (input.mock !== undefined) {
		return {
			content: input.mock,
			toolCalls: null,
			finishReason: 'stop',
			promptTokens,
			completionTokens: countTextTokens(input.mock),
		};
	}

	if (last?.role === 'tool') {
		const callId = last.tool_call_id;
		let toolName = last.name ?? 'tool';
		for (const message of messages) {
			const call = message.tool_calls?.find((c) => c.id === callId);
			if (call?.function?.name) toolName = call.function.name;
		}
		const text = `Tool ${toolName} returned: ${toolResultText(contentText(last.content))}`;
		return {
			content: text,
			toolCalls: null,
			finishReason: 'stop',
			promptTokens,
			completionTokens: countTextTokens(text),
		};
	}

	const tool = tools && tools.length > 0 ? chooseTool(tools, input.toolChoice) : undefined;
	if (tool?.function?.name) {
		const userText = lastUserText(messages);
		const params = tool.function.parameters;
		const args: Record<string, unknown> = {};
		for (const name of params?.required ?? [])
			args[name] = sampleValue(params?.properties?.[name], userText);
		const input = params?.required?.length ? undefined : firstStringProperty(params?.properties);
		if (input) args[input] = userText;
		const argumentsText = JSON.stringify(args);
		const call: ToolCall = {
			id: toolCallId(JSON.stringify(messages) + tool.function.name),
			type: 'function',
			function: { name: tool.function.name, arguments: argumentsText },
		};
		return {
			content: null,
			toolCalls: [call],
			finishReason: 'tool_calls',
			promptTokens,
			completionTokens: countTextTokens(tool.function.name + argumentsText) + 3,
		};
	}

	const text = `Echo: ${lastUserText(messages)}`;
	return {
		content: text,
		toolCalls: null,
		finishReason: 'stop',
		promptTokens,
		completionTokens: countTextTokens(text),
	};
}

/** Splits text into stream pieces of about `size` characters (at least one piece, even for ''). */
export function streamPieces(text: string, size = 8): string[] {
	if (text.length === 0) return [''];
	const pieces: string[] = [];
	for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
	return pieces;
}
