/**
 * Anthropic's Messages API dialect over the shared deterministic answer (http/chat-answer.ts): the request's
 * content blocks (`text`, `tool_use`, `tool_result`) and `tools[].input_schema` are read as the OpenAI-style
 * conversation the answer builder knows, and the answer is written back as Anthropic content blocks
 * (`text` or `tool_use` with `toolu_` ids, `stop_reason` end_turn/tool_use), or as its SSE event stream
 * (message_start, content_block_start/delta/stop, message_delta, message_stop) when `stream: true`.
 * LiteLLM's Anthropic client (litellm 1.83.7) parses both.
 */
import {
	buildAnswer,
	type ChatAnswer,
	type ChatMessage,
	contentText,
	streamPieces,
	type ToolDefinition,
} from '../http/chat-answer';
import type { SimResponse } from '../http/server';
import { requestId } from './types';

interface Block {
	type: string;
	text?: string;
	id?: string;
	name?: string;
	input?: unknown;
	tool_use_id?: string;
	content?: unknown;
}

export interface AnthropicRequest {
	model: string;
	max_tokens: number;
	system?: unknown;
	messages: Array<{ role: string; content: string | Block[] }>;
	tools?: Array<{
		name: string;
		description?: string;
		input_schema?: NonNullable<ToolDefinition['function']>['parameters'];
	}>;
	tool_choice?: { type: string; name?: string };
	stream?: boolean;
}

/** The conversation as OpenAI-style messages: tool_use blocks become tool_calls, tool_result blocks tool messages. */
export function toChatMessages(messages: AnthropicRequest['messages']): ChatMessage[] {
	const out: ChatMessage[] = [];
	for (const message of messages) {
		if (typeof message.content === 'string') {
			out.push({ role: message.role, content: message.content });
			continue;
		}
		const text = message.content
			.filter((b) => b.type === 'text')
			.map((b) => b.text ?? '')
			.join('');
		const toolUses = message.content.filter((b) => b.type === 'tool_use');
		const results = message.content.filter((b) => b.type === 'tool_result');
		if (toolUses.length > 0) {
			out.push({
				role: 'assistant',
				content: text || null,
				tool_calls: toolUses.map((b) => ({
					id: b.id,
					function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) },
				})),
			});
		} else if (results.length === 0 || text) {
			out.push({ role: message.role, content: text });
		}
		for (const result of results)
			out.push({
				role: 'tool',
				tool_call_id: result.tool_use_id,
				content: contentText(result.content),
			});
	}
	return out;
}

function toolUseId(callId: string): string {
	return `toolu_${callId.slice('call_'.length)}`;
}

function blocks(answer: ChatAnswer): Block[] {
	if (answer.toolCalls)
		return answer.toolCalls.map((c) => ({
			type: 'tool_use',
			id: toolUseId(c.id),
			name: c.function.name,
			input: JSON.parse(c.function.arguments),
		}));
	return [{ type: 'text', text: answer.content ?? '' }];
}

export function anthropicAnswer(body: AnthropicRequest): SimResponse {
	const tools: ToolDefinition[] | undefined = body.tools?.map((t) => ({
		type: 'function',
		function: { name: t.name, description: t.description, parameters: t.input_schema },
	}));
	const toolChoice =
		body.tool_choice?.type === 'tool'
			? { function: { name: body.tool_choice.name } }
			: body.tool_choice?.type === 'none'
				? 'none'
				: undefined;
	const answer = buildAnswer({ messages: toChatMessages(body.messages), tools, toolChoice });
	const stopReason = answer.toolCalls ? 'tool_use' : 'end_turn';
	const message = { id: requestId('msg_'), type: 'message', role: 'assistant', model: body.model };
	if (body.stream === true)
		return {
			status: 200,
			headers: { 'content-type': 'text/event-stream' },
			body: stream(message, answer, stopReason),
		};
	return {
		status: 200,
		headers: { 'request-id': requestId() },
		body: {
			...message,
			content: blocks(answer),
			stop_reason: stopReason,
			stop_sequence: null,
			usage: { input_tokens: answer.promptTokens, output_tokens: answer.completionTokens },
		},
	};
}

function stream(message: Record<string, unknown>, answer: ChatAnswer, stopReason: string): string {
	const events: Array<[string, unknown]> = [
		[
			'message_start',
			{
				type: 'message_start',
				message: {
					...message,
					content: [],
					stop_reason: null,
					stop_sequence: null,
					usage: { input_tokens: answer.promptTokens, output_tokens: 1 },
				},
			},
		],
	];
	blocks(answer).forEach((block, index) => {
		if (block.type === 'text') {
			events.push([
				'content_block_start',
				{ type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
			]);
			for (const piece of streamPieces(block.text ?? ''))
				events.push([
					'content_block_delta',
					{ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } },
				]);
		} else {
			events.push([
				'content_block_start',
				{ type: 'content_block_start', index, content_block: { ...block, input: {} } },
			]);
			for (const piece of streamPieces(JSON.stringify(block.input))) {
				events.push([
					'content_block_delta',
					{
						type: 'content_block_delta',
						index,
						delta: { type: 'input_json_delta', partial_json: piece },
					},
				]);
			}
		}
		events.push(['content_block_stop', { type: 'content_block_stop', index }]);
	});
	events.push([
		'message_delta',
		{
			type: 'message_delta',
			delta: { stop_reason: stopReason, stop_sequence: null },
			usage: { output_tokens: answer.completionTokens },
		},
	]);
	events.push(['message_stop', { type: 'message_stop' }]);
	return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join('');
}
