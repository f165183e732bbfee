/**
 * The Chat node's answer when n8n streams the response (a Webhook in streaming mode, a Chat Trigger): LiteLLM
 * is called with `stream: true`, each text delta goes out with `sendChunk('item')` as it arrives (between
 * one `begin` and one `end` per item, as n8n's AI Agent does), and the item that comes out at the end is the
 * buffered call's (text, usage, cost). Failover to OpenRouter happens only before the first text was sent: a
 * reader cannot take back words. OpenRouter then answers buffered, its text sent as one piece.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ChunkAccumulator, type ChatChunk } from '../shared/chat/chunk-accumulator';
import { GatewayError } from '../shared/errors/classes';
import { errorFromResponse } from '../shared/errors/from-response';
import { breakerFor } from '../shared/failover/breaker';
import { isProxyDown } from '../shared/failover/policy';
import { type RoutedAnswer, type RouteRequest, routeChat } from '../shared/failover/route';
import { settle } from '../shared/settle';
import { openLiteLlmStream } from '../shared/transport/litellm-stream';
import { transportError } from '../shared/transport/http';
import { sseData, withStallTimeout } from '../shared/transport/sse-reader';
import { answerToJson } from './output';

export interface StreamedAnswer extends RoutedAnswer {
	/** Where `costUsd` came from: LiteLLM's last usage chunk, or OpenRouter's usage after a failover. */
	costSource: 'stream_usage' | 'openrouter_usage' | 'none';
}

/** n8n's chunk sender, in order: each call's hook handlers start before the next call is made. */
function sender(ctx: IExecuteFunctions, i: number) {
	let begun = false;
	return {
		get begun() {
			return begun;
		},
		text(text: string) {
			if (!begun) ctx.sendChunk('begin', i);
			begun = true;
			ctx.sendChunk('item', i, text);
		},
		end() {
			if (begun) ctx.sendChunk('end', i);
		},
	};
}

export async function streamChat(
	ctx: IExecuteFunctions,
	i: number,
	request: RouteRequest,
	stallMs: number,
): Promise<StreamedAnswer> {
	const send = sender(ctx, i);
	const { failover } = request;
	const breaker = failover ? breakerFor(request.litellm.baseUrl, failover.breaker) : undefined;
	// LiteLLM known down, or its breaker open: the buffered route decides (OpenRouter), text sent in one piece.
	if (request.liteLlmDown || (breaker && failover?.body && breaker.status().state === 'open')) {
		return buffered(await routeChat(ctx, request), send);
	}

	const outcome = await settle(readLiteLlmStream(ctx, request, stallMs, send));
	if (outcome.ok) {
		breaker?.recordSuccess();
		send.end();
		return outcome.value;
	}
	const error = outcome.error;
	if (error instanceof GatewayError && error.kind !== 'cancelled') {
		if (isProxyDown(error)) breaker?.recordFailure();
		else breaker?.recordSuccess();
	}
	if (send.begun || !failover || !(error instanceof GatewayError) || error.kind === 'cancelled')
		throw error;
	// Nothing was sent yet: the buffered route applies the failover policy (which failures, deadline, mapping).
	const answer = await routeChat(ctx, { ...request, liteLlmDown: error });
	return { ...buffered(answer, send), liteLlmCallSent: true };
}

function buffered(answer: RoutedAnswer, send: ReturnType<typeof sender>): StreamedAnswer {
	const content = answer.completion.choices?.[0]?.message?.content;
	if (typeof content === 'string' && content) send.text(content);
	send.end();
	return { ...answer, costSource: answer.route === 'openrouter' ? 'openrouter_usage' : 'none' };
}

async function readLiteLlmStream(
	ctx: IExecuteFunctions,
	request: RouteRequest,
	stallMs: number,
	send: ReturnType<typeof sender>,
): Promise<StreamedAnswer> {
	const started = request.startedAt ?? Date.now();
	const left = request.failover
		? request.failover.deadlineMs - (Date.now() - started)
		: Number.POSITIVE_INFINITY;
	const { response, body } = await openLiteLlmStream(
		ctx,
		request.litellm,
		{ ...request.body, stream: true, stream_options: { include_usage: true } },
		Math.max(1, Math.min(request.timeoutMs, left)),
	);
	const accumulator = new ChunkAccumulator();
	const read = await settle(
		(async () => {
			const events = withStallTimeout(sseData(body), stallMs, 'litellm', () => body.destroy());
			for await (const data of events) {
				let chunk: ChatChunk;
				try {
					chunk = JSON.parse(data) as ChatChunk;
				} catch {
					continue; // not JSON: nothing a chat stream carries; skipped like a comment
				}
				if (chunk.error) throw midStreamError(chunk, data, request.litellm.secrets);
				const text = accumulator.add(chunk);
				if (text) send.text(text);
			}
		})(),
	);
	if (!body.destroyed) body.destroy();
	if (!read.ok) {
		// The connection dropped while reading: typed like a drop before the answer.
		throw read.error instanceof GatewayError
			? read.error
			: transportError(read.error, 'litellm', stallMs, request.litellm.secrets);
	}
	const completion = accumulator.completion();
	return {
		route: 'litellm',
		reason: 'primary',
		completion,
		response: { ...response, latencyMs: Date.now() - started },
		costSource: completion.usage?.cost !== undefined ? 'stream_usage' : 'none',
	};
}

/** LiteLLM's `data: {"error":{...}}` after the stream began, typed like the same error before it. */
function midStreamError(chunk: ChatChunk, text: string, secrets: string[]): GatewayError {
	const code = Number((chunk.error as { code?: unknown }).code);
	const status = Number.isInteger(code) && code >= 400 && code < 600 ? code : 502;
	return errorFromResponse(
		'litellm',
		{ status, headers: {}, text, json: chunk, latencyMs: 0 },
		secrets,
	);
}

/** The buffered call's item, plus how it was delivered and where its cost came from. */
export function streamedToJson(
	answer: StreamedAnswer,
	requestedModel: string,
	latencyMs: number,
	includeRaw: boolean,
): IDataObject {
	return {
		...answerToJson(answer, requestedModel, latencyMs, includeRaw),
		streamed: true,
		costSource: answer.costSource,
	};
}
