/**
 * LiteLLM's SSE answer: `data: <chat.completion.chunk>\n\n` events, a usage chunk (one empty choice)
 * only with `stream_options.include_usage` (with `usage.cost` when the config sets
 * `include_cost_in_streaming_usage`), then `data: [DONE]\n\n`. A failure after the first chunk is sent
 * as `data: {"error":{...}}\n\n` and the stream ends there without [DONE].
 */
import type { ServerResponse } from 'node:http';

import { streamPieces } from '../http/chat-answer';
import type { ProxyErrorBody } from './errors';
import type { UpstreamAnswer } from './upstream';

export interface StreamInput {
	id: string;
	created: number;
	model: string;
	systemFingerprint: string | null;
	answer: UpstreamAnswer;
	includeUsage: boolean;
	chunkDelayMs: number;
	/** The error event for a mid-stream failure. */
	midStreamError?: ProxyErrorBody;
	/** With `include_cost_in_streaming_usage`: the call's cost, written into the usage chunk as `usage.cost`. */
	usageCost?: number;
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Writes the whole stream; resolves true when it completed, false when it broke mid-stream. */
export async function writeStream(
	res: ServerResponse,
	headers: Record<string, string>,
	input: StreamInput,
): Promise<boolean> {
	res.writeHead(200, {
		...headers,
		'content-type': 'text/event-stream; charset=utf-8',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	});
	const base = {
		id: input.id,
		created: input.created,
		model: input.model,
		object: 'chat.completion.chunk',
		system_fingerprint: input.systemFingerprint,
	};
	const send = async (payload: unknown) => {
		if (res.destroyed) return;
		res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
		if (input.chunkDelayMs > 0) await sleep(input.chunkDelayMs);
	};
	const { answer } = input;
	const deltas: Array<Record<string, unknown>> = [];
	if (answer.toolCalls) {
		answer.toolCalls.forEach((call, index) => {
			deltas.push({
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						index,
						id: call.id,
						type: 'function',
						function: { name: call.function.name, arguments: '' },
					},
				],
			});
			for (const piece of streamPieces(call.function.arguments)) {
				deltas.push({ tool_calls: [{ index, function: { arguments: piece } }] });
			}
		});
	} else {
		streamPieces(answer.content ?? '').forEach((piece, i) =>
			deltas.push(i === 0 ? { role: 'assistant', content: piece } : { content: piece }),
		);
	}
	const breakAfter = answer.midStreamFailure?.afterChunks;
	for (let i = 0; i < deltas.length; i++) {
		if (breakAfter !== undefined && i >= breakAfter && input.midStreamError) {
			await send(input.midStreamError);
			res.end();
			return false;
		}
		await send({ ...base, choices: [{ index: 0, delta: deltas[i], finish_reason: null }] });
	}
	await send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: answer.finishReason }] });
	if (input.includeUsage) {
		await send({
			...base,
			// litellm 1.83.7 sends one empty choice with the usage chunk, not an empty list.
			choices: [{ index: 0, delta: {} }],
			usage: {
				prompt_tokens: answer.promptTokens,
				completion_tokens: answer.completionTokens,
				total_tokens: answer.promptTokens + answer.completionTokens,
				...(input.usageCost !== undefined ? { cost: input.usageCost } : {}),
			},
		});
	}
	await send('[DONE]');
	res.end();
	return true;
}
