/**
 * Builds the complete chat answer from `chat.completion.chunk`s, so a streamed call outputs the same item
 * as a buffered one: content and tool-call arguments are concatenated, tool calls joined by `index`, the
 * last finish reason and the usage chunk kept.
 */
import type { ChatCompletion, ChatToolCall, ChatUsage } from './types';

export interface ChatChunk {
	id?: string;
	object?: string;
	created?: number;
	model?: string;
	provider?: string;
	choices?: Array<{
		index?: number;
		finish_reason?: string | null;
		delta?: {
			role?: string;
			content?: string | null;
			tool_calls?: Array<{
				index?: number;
				id?: string;
				type?: 'function';
				function?: { name?: string; arguments?: string };
			}>;
		};
	}>;
	usage?: ChatUsage | null;
	/** A failure after the stream began (LiteLLM and OpenRouter both send it as a data event). */
	error?: unknown;
}

export class ChunkAccumulator {
	private content = '';

	private sawContent = false;

	private readonly toolCalls = new Map<number, ChatToolCall>();

	private finishReason: string | null = null;

	private usage?: ChatUsage;

	private meta: Pick<ChatCompletion, 'id' | 'created' | 'model' | 'provider'> = {};

	/** Takes one chunk; returns its text delta ('' when it has none). */
	add(chunk: ChatChunk): string {
		this.meta.id ??= chunk.id;
		this.meta.created ??= chunk.created;
		this.meta.model ??= chunk.model;
		this.meta.provider ??= chunk.provider;
		if (chunk.usage) this.usage = chunk.usage;
		const choice = chunk.choices?.[0];
		if (!choice) return '';
		if (choice.finish_reason) this.finishReason = choice.finish_reason;
		for (const call of choice.delta?.tool_calls ?? []) {
			const index = call.index ?? 0;
			const known = this.toolCalls.get(index) ?? {
				id: '',
				type: 'function' as const,
				function: { name: '', arguments: '' },
			};
			if (call.id) known.id = call.id;
			if (call.function?.name) known.function.name += call.function.name;
			if (call.function?.arguments) known.function.arguments += call.function.arguments;
			this.toolCalls.set(index, known);
		}
		const text = choice.delta?.content;
		if (typeof text === 'string' && text) {
			this.content += text;
			this.sawContent = true;
			return text;
		}
		return '';
	}

	completion(): ChatCompletion {
		const toolCalls = [...this.toolCalls.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
		return {
			...this.meta,
			object: 'chat.completion',
			choices: [
				{
					index: 0,
					finish_reason: this.finishReason,
					message: {
						role: 'assistant',
						content: this.sawContent || !toolCalls.length ? this.content : null,
						...(toolCalls.length ? { tool_calls: toolCalls } : {}),
					},
				},
			],
			usage: this.usage,
		};
	}
}
