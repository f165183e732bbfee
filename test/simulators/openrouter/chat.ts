/**
 * `POST /api/v1/chat/completions`: OpenAI's shape plus `provider` and `usage.cost`,
 * the `models` fallback list, the `provider` routing object, credits (402), and errors after generation
 * started answered as HTTP 200.
 *
 * Choices where the docs are silent:
 * - With both `model` and `models`, `model` is tried first, then `models` in order (duplicates once).
 * - An attempt that fails with 403 (moderation), 408, 429 or 5xx, or a context-length 400, moves on: first to the
 *   model's next endpoint, then to the next model. Other 4xx end the request. When every model failed, the
 *   last error is answered.
 * - 402 is checked against the first model (free models, priced "0", never need credits): key limit reached,
 *   credits used up, or `max_tokens` × completion price above what is left ("can only afford N").
 * - Provider errors: `{"error":{"code":<status>,"message":"Provider returned error","metadata":{"raw","provider_name"}},"user_id"}`.
 * - Streams start with `: OPENROUTER PROCESSING` comments; usage always comes in a last chunk (choices []).
 *   An error after the first chunk is a `data:` event with `error` and `finish_reason: "error"`, no [DONE].
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import {
	buildAnswer,
	type ChatAnswer,
	type ChatMessage,
	streamPieces,
	type ToolDefinition,
} from '../http/chat-answer';
import type { SimRequest, SimResponse, SimServer } from '../http/server';
import { authenticate, isResponse } from './auth';
import { type CatalogueModel, type Endpoint, isFree } from './catalogue';
import type { OpenRouterContext } from './context';
import { errorBody, errorResponse, type OpenRouterErrorBody } from './errors';
import type { ModelFailure } from './failures';
import type { OpenRouterKey } from './keys';
import { readPreferences, selectEndpoints } from './routing';

type Json = Record<string, unknown>;

const MOVES_ON = (status: number) =>
	status === 403 || status === 408 || status === 429 || status >= 500;

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

function headerOf(req: SimRequest, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function generationId(now: number): string {
	return `gen-${Math.floor(now / 1000)}-${randomBytes(15).toString('base64url').replace(/[-_]/g, 'A').slice(0, 20)}`;
}

function remainingCredit(key: OpenRouterKey): number {
	const account = key.credits - key.usage;
	return key.limit === null ? account : Math.min(account, key.limit - key.usage);
}

function creditError(
	key: OpenRouterKey,
	model: CatalogueModel,
	maxTokens: number | undefined,
): SimResponse | undefined {
	if (isFree(model)) return undefined;
	if (key.limit !== null && key.usage >= key.limit) {
		return errorResponse(
			402,
			'Key limit exceeded (total limit). Manage it using https://openrouter.ai/settings/keys',
			{ limit_source: 'openrouter_key_limit' },
			key.userId,
		);
	}
	if (key.credits - key.usage <= 0) {
		const message =
			key.credits === 0
				? 'Insufficient credits. This account never purchased credits. Make sure your key is on the correct account or org, and if so, purchase more at https://openrouter.ai/settings/credits'
				: 'Insufficient credits. Add more using https://openrouter.ai/settings/credits';
		return errorResponse(402, message, { limit_source: 'openrouter_credits' }, key.userId);
	}
	const completionPrice = Number(model.endpoints[0].completion);
	if (
		maxTokens !== undefined &&
		completionPrice > 0 &&
		maxTokens * completionPrice > remainingCredit(key)
	) {
		const affordable = Math.floor(remainingCredit(key) / completionPrice);
		return errorResponse(
			402,
			`This request requires more credits, or fewer max_tokens. You requested up to ${maxTokens} tokens, but can only afford ${affordable}. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account`,
			{ provider_name: null },
			key.userId,
		);
	}
	return undefined;
}

function providerError(
	failure: ModelFailure,
	endpoint: Endpoint,
	key: OpenRouterKey,
): OpenRouterErrorBody {
	const raw = failure.message ?? `${endpoint.name} returned ${failure.status}`;
	return errorBody(
		failure.status,
		'Provider returned error',
		{ raw, provider_name: endpoint.name },
		key.userId,
	);
}

function nativeFinishReason(endpoint: Endpoint, reason: ChatAnswer['finishReason']): string {
	if (['anthropic', 'google-vertex', 'amazon-bedrock'].includes(endpoint.slug))
		return reason === 'tool_calls' ? 'tool_use' : 'end_turn';
	if (endpoint.slug.startsWith('google')) return 'STOP';
	return reason;
}

function usageOf(answer: ChatAnswer, endpoint: Endpoint): Json & { cost: number } {
	const promptCost = answer.promptTokens * Number(endpoint.prompt);
	const completionCost = answer.completionTokens * Number(endpoint.completion);
	const cost = promptCost + completionCost + Number(endpoint.request ?? '0');
	return {
		prompt_tokens: answer.promptTokens,
		completion_tokens: answer.completionTokens,
		total_tokens: answer.promptTokens + answer.completionTokens,
		cost,
		is_byok: false,
		prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
		cost_details: {
			upstream_inference_cost: null,
			upstream_inference_prompt_cost: promptCost,
			upstream_inference_completions_cost: completionCost,
		},
		completion_tokens_details: { reasoning_tokens: 0, image_tokens: 0 },
	};
}

interface Served {
	model: CatalogueModel;
	endpoint: Endpoint;
	answer: ChatAnswer;
	/** A failure in '200-error' mode: generation started, then broke. */
	brokenBy?: ModelFailure;
}

async function writeStream(
	ctx: OpenRouterContext,
	res: ServerResponse,
	id: string,
	created: number,
	served: Served,
	key: OpenRouterKey,
): Promise<boolean> {
	res.writeHead(200, {
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	});
	res.write(': OPENROUTER PROCESSING\n\n');
	const base = {
		id,
		provider: served.endpoint.name,
		model: served.model.id,
		object: 'chat.completion.chunk',
		created,
	};
	const send = async (payload: unknown) => {
		if (res.destroyed) return;
		res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
		if (ctx.options.streamChunkDelayMs > 0) await sleep(ctx.options.streamChunkDelayMs);
	};
	const { answer } = served;
	const deltas: Json[] = [];
	if (answer.toolCalls) {
		answer.toolCalls.forEach((call, index) =>
			deltas.push({
				role: 'assistant',
				content: null,
				tool_calls: [{ index, id: call.id, type: 'function', function: call.function }],
			}),
		);
	} else {
		streamPieces(answer.content ?? '').forEach((piece) =>
			deltas.push({ role: 'assistant', content: piece }),
		);
	}
	const breakAfter = served.brokenBy ? (served.brokenBy.afterChunks ?? 0) : undefined;
	for (let i = 0; i < deltas.length; i++) {
		if (breakAfter !== undefined && i >= breakAfter && served.brokenBy) {
			const body = providerError(served.brokenBy, served.endpoint, key);
			await send({
				...base,
				error: body.error,
				choices: [
					{
						index: 0,
						delta: { content: '' },
						finish_reason: 'error',
						native_finish_reason: 'error',
					},
				],
			});
			res.end();
			return false;
		}
		await send({
			...base,
			choices: [
				{
					index: 0,
					delta: deltas[i],
					finish_reason: null,
					native_finish_reason: null,
					logprobs: null,
				},
			],
		});
	}
	await send({
		...base,
		choices: [
			{
				index: 0,
				delta: { role: 'assistant', content: '' },
				finish_reason: answer.finishReason,
				native_finish_reason: nativeFinishReason(served.endpoint, answer.finishReason),
				logprobs: null,
			},
		],
	});
	await send({ ...base, choices: [], usage: usageOf(answer, served.endpoint) });
	await send('[DONE]');
	res.end();
	return true;
}

export async function handleChat(
	ctx: OpenRouterContext,
	req: SimRequest,
	res: ServerResponse,
): Promise<SimResponse | 'stream-handled'> {
	const now = ctx.options.clock();
	const key = authenticate(req.headers, ctx.keys, now, 'inference');
	if (isResponse(key)) return key;
	ctx.attributions.push({
		at: now,
		referer: headerOf(req, 'http-referer'),
		title: headerOf(req, 'x-openrouter-title') ?? headerOf(req, 'x-title'),
		categories: headerOf(req, 'x-openrouter-categories'),
	});

	const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Json;
	if (!Array.isArray(body.messages))
		return errorResponse(
			400,
			'Input required: specify "prompt" or "messages"',
			undefined,
			key.userId,
		);
	const messages = body.messages as ChatMessage[];
	const ids = [
		...new Set(
			[body.model, ...(Array.isArray(body.models) ? body.models : [])].filter(
				(m): m is string => typeof m === 'string' && m !== '',
			),
		),
	];
	if (ids.length === 0) return errorResponse(400, 'No models provided', undefined, key.userId);
	for (const id of ids) {
		if (!ctx.models.has(id))
			return errorResponse(400, `${id} is not a valid model ID`, undefined, key.userId);
	}
	const models = ids.map((id) => ctx.models.get(id) as CatalogueModel);
	const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
	const noCredit = creditError(key, models[0], maxTokens);
	if (noCredit) return noCredit;

	const prefs = readPreferences(body.provider);
	const stream = body.stream === true;
	const answer = buildAnswer({
		messages,
		tools: body.tools as ToolDefinition[] | undefined,
		toolChoice: body.tool_choice,
	});

	let lastError: SimResponse | undefined;
	let served: Served | undefined;
	outer: for (const model of models) {
		const selection = selectEndpoints(model, prefs);
		if (selection.endpoints.length === 0) {
			const message =
				selection.reason === 'max_price'
					? `No endpoints found for ${model.id} within the requested max_price.`
					: `No allowed providers are available for the selected model.`;
			lastError = errorResponse(ctx.options.noProviderStatus, message, undefined, key.userId);
			continue;
		}
		if (answer.promptTokens > model.context_length) {
			lastError = errorResponse(
				400,
				`This endpoint's maximum context length is ${model.context_length} tokens. However, you requested about ${answer.promptTokens} tokens (${answer.promptTokens} of text input). Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically.`,
				undefined,
				key.userId,
			);
			continue;
		}
		for (const endpoint of selection.endpoints) {
			const failure = ctx.failures.take(model.id, endpoint.slug);
			if (!failure) {
				served = { model, endpoint, answer };
				break outer;
			}
			if ((failure.mode ?? ctx.options.failMode) === '200-error') {
				served = { model, endpoint, answer, brokenBy: failure };
				break outer;
			}
			lastError = { status: failure.status, body: providerError(failure, endpoint, key) };
			if (!MOVES_ON(failure.status)) return lastError;
		}
	}
	if (!served)
		return (
			lastError ??
			errorResponse(
				503,
				'No allowed providers are available for the selected model.',
				undefined,
				key.userId,
			)
		);

	const id = generationId(now);
	const created = Math.floor(now / 1000);
	const usage = usageOf(served.answer, served.endpoint);
	const record = (completed: boolean) => {
		if (completed) ctx.keys.charge(key, usage.cost);
		ctx.generations.push({
			id,
			model: served!.model.id,
			provider_name: served!.endpoint.name,
			total_cost: completed ? usage.cost : 0,
			tokens_prompt: served!.answer.promptTokens,
			tokens_completion: served!.answer.completionTokens,
			finish_reason: completed ? served!.answer.finishReason : 'error',
			streamed: stream,
			created_at: new Date(now).toISOString(),
			key_hash: key.hash,
		});
	};

	if (stream) {
		const completed = await writeStream(ctx, res, id, created, served, key);
		record(completed);
		return 'stream-handled';
	}
	if (served.brokenBy) {
		record(false);
		return { status: 200, body: providerError(served.brokenBy, served.endpoint, key) };
	}
	record(true);
	const message: Json = {
		role: 'assistant',
		content: served.answer.content,
		refusal: null,
		reasoning: null,
	};
	if (served.answer.toolCalls)
		message.tool_calls = served.answer.toolCalls.map((call, index) => ({ index, ...call }));
	return {
		status: 200,
		body: {
			id,
			provider: served.endpoint.name,
			model: served.model.id,
			object: 'chat.completion',
			created,
			choices: [
				{
					logprobs: null,
					finish_reason: served.answer.finishReason,
					native_finish_reason: nativeFinishReason(served.endpoint, served.answer.finishReason),
					index: 0,
					message,
				},
			],
			usage,
		},
	};
}

export function registerChat(server: SimServer, ctx: OpenRouterContext): void {
	server.route(
		'POST',
		'/api/v1/chat/completions',
		async (req, res) => await handleChat(ctx, req, res),
	);
}
