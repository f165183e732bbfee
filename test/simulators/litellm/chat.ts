/**
 * `POST /chat/completions` (also `/v1/chat/completions`, `/engines/{model}/chat/completions`,
 * `/openai/deployments/{model}/chat/completions`): auth, model access and budget, the router,
 * the OpenAI body, the custom headers, spend and the spend log row.
 *
 * Choices where LiteLLM's documentation and code leave the answer open:
 * - `id` is `chatcmpl-<uuid>`; `system_fingerprint` is `fp_<10 hex>` on OpenAI deployments, null elsewhere;
 *   `usage.*_tokens_details` only on OpenAI deployments.
 * - A body `api_base`/`base_url` without an opt-in is refused with 400, type "None" (the ValueError path).
 * - Client `fallbacks` entries of the `{"model": ..., "messages": ...}` form use their model only.
 * - A spend log row is written for every LLM call, failures included (status "failure", spend 0), with
 *   `request_id` = the response id on success and the call id on failure.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import type { ChatMessage, ToolDefinition } from '../http/chat-answer';
import type { SimRequest, SimResponse, SimServer } from '../http/server';
import { authenticate, type AuthContext, checkBudget, checkModelAccess } from './auth';
import type { Deployment } from './config';
import type { LiteLlmContext } from './context';
import { ProxyError } from './errors';
import { errorHeaders, successHeaders } from './headers';
import { completionCost, lookupPrice } from './pricing';
import { isFailure } from './router';
import type { SpendLogRow } from './state';
import { writeStream } from './stream';
import { callUpstream, type UpstreamAnswer } from './upstream';

type Json = Record<string, unknown>;

function header(req: SimRequest, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOf(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
		return Number(value);
	return undefined;
}

/** The request as the proxy reads it: body fields first, then their header forms. */
interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: ToolDefinition[];
	toolChoice?: unknown;
	stream: boolean;
	includeUsage: boolean;
	metadata: Json;
	tags: string[];
	endUser?: string;
	clientFallbacks?: string[];
	numRetries?: number;
	timeout?: number;
	mockResponse?: unknown;
	mockTestingFallbacks: boolean;
	spendLogsMetadata: Json | null;
	callId: string;
	apiKeyInBody: boolean;
	apiBaseInBody: boolean;
}

function readChatRequest(req: SimRequest, body: Json, pathModel?: string): ChatRequest {
	const metadata = isObject(body.metadata) ? body.metadata : {};
	const headerTags = header(req, 'x-litellm-tags')
		?.split(',')
		.map((t) => t.trim())
		.filter(Boolean);
	const bodyTags = Array.isArray(body.tags)
		? body.tags.map(String)
		: Array.isArray(metadata.tags)
			? metadata.tags.map(String)
			: undefined;
	let spendLogsMetadata: Json | null = isObject(metadata.spend_logs_metadata)
		? metadata.spend_logs_metadata
		: null;
	const headerSpendMeta = header(req, 'x-litellm-spend-logs-metadata');
	if (!spendLogsMetadata && headerSpendMeta) {
		try {
			const parsed: unknown = JSON.parse(headerSpendMeta);
			if (isObject(parsed)) spendLogsMetadata = parsed;
		} catch {
			spendLogsMetadata = null;
		}
	}
	const fallbacks = Array.isArray(body.fallbacks)
		? body.fallbacks.map((f) => (isObject(f) ? String(f.model) : String(f)))
		: undefined;
	const streamOptions = isObject(body.stream_options) ? body.stream_options : {};
	return {
		model: pathModel ?? (typeof body.model === 'string' ? body.model : ''),
		messages: Array.isArray(body.messages) ? (body.messages as ChatMessage[]) : [],
		tools: Array.isArray(body.tools) ? (body.tools as ToolDefinition[]) : undefined,
		toolChoice: body.tool_choice,
		stream: body.stream === true,
		includeUsage: streamOptions.include_usage === true,
		metadata,
		tags: bodyTags ?? headerTags ?? [],
		endUser:
			(typeof body.user === 'string' ? body.user : undefined) ??
			header(req, 'x-litellm-customer-id') ??
			header(req, 'x-litellm-end-user-id'),
		clientFallbacks: fallbacks,
		numRetries: numberOf(body.num_retries) ?? numberOf(header(req, 'x-litellm-num-retries')),
		timeout:
			numberOf(body.timeout) ??
			numberOf(body.request_timeout) ??
			numberOf(header(req, 'x-litellm-timeout')),
		mockResponse: body.mock_response,
		mockTestingFallbacks: body.mock_testing_fallbacks === true,
		spendLogsMetadata,
		callId: header(req, 'x-litellm-call-id') ?? randomUUID(),
		apiKeyInBody: typeof body.api_key === 'string',
		apiBaseInBody: typeof body.api_base === 'string' || typeof body.base_url === 'string',
	};
}

function clientSideAllowed(
	ctx: LiteLlmContext,
	deployments: Deployment[],
	param: 'api_key' | 'api_base',
): boolean {
	if (ctx.config.allowClientSideCredentials) return true;
	return deployments.some((d) =>
		(d.litellm_params.configurable_clientside_auth_params ?? []).some((p) =>
			typeof p === 'string'
				? p === param || (param === 'api_base' && p === 'base_url')
				: param in p,
		),
	);
}

function bodySafetyError(
	ctx: LiteLlmContext,
	chat: ChatRequest,
	deployments: Deployment[],
): ProxyError | undefined {
	const reject = (param: string) =>
		new ProxyError(
			400,
			`Rejected Request: ${param} is not allowed in request body. Enable with \`general_settings::allow_client_side_credentials\` on proxy config.yaml. Relevant Issue: https://huntr.com/bounties/4001e1a2-7b7a-4776-a3ae-e6692ec3d997`,
			'None',
			'None',
		);
	const completeCredentials =
		chat.apiKeyInBody &&
		!deployments.some((d) => ['bedrock', 'sagemaker', 'vertex_ai'].includes(d.provider));
	if (
		chat.apiBaseInBody &&
		!completeCredentials &&
		!clientSideAllowed(ctx, deployments, 'api_base')
	)
		return reject('api_base');
	if (
		chat.apiKeyInBody &&
		ctx.options.requireClientSideAuthOptIn &&
		!clientSideAllowed(ctx, deployments, 'api_key')
	) {
		return reject('api_key');
	}
	return undefined;
}

/**
 * LiteLLM's common_checks: with `reject_clientside_metadata_tags: true`, a key's call may not carry
 * `metadata.tags` (top-level `tags` and the `x-litellm-tags` header are not inspected). The master key
 * returns from auth before common_checks run, so it is exempt.
 */
function clientsideTagsError(
	ctx: LiteLlmContext,
	auth: AuthContext,
	body: Json,
): ProxyError | undefined {
	if (!ctx.config.rejectClientsideMetadataTags || auth.isMaster) return undefined;
	if (!isObject(body.metadata) || !('tags' in body.metadata)) return undefined;
	return new ProxyError(
		400,
		`Client-side 'metadata.tags' not allowed in request. 'reject_clientside_metadata_tags'=True. Tags can only be set via API key metadata.`,
		'bad_request_error',
		'metadata.tags',
	);
}

function bareModel(d: Deployment): string {
	const model = d.litellm_params.model;
	return model.startsWith(`${d.provider}/`) ? model.slice(d.provider.length + 1) : model;
}

function costOf(d: Deployment, answer: UpstreamAnswer): number {
	const price = lookupPrice(d.litellm_params.model, d.model_info.base_model);
	const input = d.litellm_params.input_cost_per_token ?? price?.input_cost_per_token ?? 0;
	const output = d.litellm_params.output_cost_per_token ?? price?.output_cost_per_token ?? 0;
	return completionCost(answer.promptTokens, answer.completionTokens, input, output);
}

function fingerprint(d: Deployment): string | null {
	if (d.provider !== 'openai') return null;
	return 'fp_' + createHash('sha256').update(d.litellm_params.model).digest('hex').slice(0, 10);
}

function keySpendBefore(ctx: LiteLlmContext, auth: AuthContext): number {
	return auth.key ? auth.key.spend : 0;
}

function chargeKey(ctx: LiteLlmContext, auth: AuthContext, group: string, cost: number): void {
	if (auth.key) {
		auth.key.spend += cost;
		auth.key.model_spend[group] = (auth.key.model_spend[group] ?? 0) + cost;
		auth.key.last_active = new Date(ctx.options.clock()).toISOString();
	} else if (auth.isMaster) {
		ctx.state.masterKeySpend += cost;
	}
}

interface LogInput {
	requestId: string;
	chat: ChatRequest;
	auth: AuthContext;
	startedAt: number;
	deployment?: Deployment;
	group: string;
	answer?: UpstreamAnswer;
	cost: number;
	attemptedRetries: number;
	maxRetries: number;
	error?: ProxyError;
}

function writeSpendLog(ctx: LiteLlmContext, input: LogInput): SpendLogRow {
	const end = ctx.options.clock();
	const d = input.deployment;
	const prompt = input.answer?.promptTokens ?? 0;
	const completion = input.answer?.completionTokens ?? 0;
	const status = input.error ? 'failure' : 'success';
	const row: SpendLogRow = {
		request_id: input.requestId,
		call_type: 'acompletion',
		api_key: input.auth.token,
		spend: input.cost,
		total_tokens: prompt + completion,
		prompt_tokens: prompt,
		completion_tokens: completion,
		startTime: new Date(input.startedAt).toISOString(),
		endTime: new Date(end).toISOString(),
		completionStartTime: new Date(end).toISOString(),
		request_duration_ms: end - input.startedAt,
		model: d ? bareModel(d) : input.group,
		model_id: d?.model_info.id ?? '',
		model_group: input.group,
		custom_llm_provider: d?.provider ?? '',
		api_base: d?.apiBase ?? '',
		user: input.auth.key?.user_id ?? '',
		end_user: input.chat.endUser ?? '',
		team_id: input.auth.key?.team_id ?? '',
		organization_id: input.auth.key?.organization_id ?? '',
		metadata: {
			user_api_key: input.auth.token,
			user_api_key_alias: input.auth.key?.key_alias ?? null,
			user_api_key_team_id: input.auth.key?.team_id ?? null,
			user_api_key_user_id: input.auth.key?.user_id ?? null,
			spend_logs_metadata: input.chat.spendLogsMetadata,
			requester_metadata: input.chat.metadata,
			attempted_retries: input.attemptedRetries,
			max_retries: input.maxRetries,
			status,
			...(input.error
				? {
						error_information: {
							error_code: input.error.body().error.code,
							error_class: input.error.message.match(/^litellm\.(\w+)/)?.[1] ?? 'ProxyException',
							error_message: input.error.message,
						},
					}
				: {}),
		},
		cache_hit: 'False',
		cache_key: '',
		request_tags: input.chat.tags,
		session_id:
			typeof input.chat.metadata.litellm_session_id === 'string'
				? input.chat.metadata.litellm_session_id
				: null,
		status,
		at: end,
	};
	ctx.state.spendLogs.push(row);
	return row;
}

function buildBody(
	ctx: LiteLlmContext,
	id: string,
	created: number,
	model: string,
	d: Deployment,
	answer: UpstreamAnswer,
): Json {
	const message: Json = { content: answer.content, role: 'assistant' };
	if (answer.toolCalls) {
		message.tool_calls = answer.toolCalls;
		message.function_call = null;
	} else if (ctx.options.nullFields) {
		message.tool_calls = null;
		message.function_call = null;
	}
	const usage: Json = {
		completion_tokens: answer.completionTokens,
		prompt_tokens: answer.promptTokens,
		total_tokens: answer.promptTokens + answer.completionTokens,
	};
	if (d.provider === 'openai') {
		usage.completion_tokens_details = {
			accepted_prediction_tokens: 0,
			audio_tokens: 0,
			reasoning_tokens: 0,
			rejected_prediction_tokens: 0,
		};
		usage.prompt_tokens_details = { audio_tokens: 0, cached_tokens: 0 };
	}
	return {
		id,
		created,
		model,
		object: 'chat.completion',
		system_fingerprint: fingerprint(d),
		choices: [{ finish_reason: answer.finishReason, index: 0, message }],
		usage,
	};
}

export async function handleChat(
	ctx: LiteLlmContext,
	req: SimRequest,
	res: ServerResponse,
	pathModel?: string,
): Promise<SimResponse | 'stream-handled'> {
	const startedAt = ctx.options.clock();
	const auth = authenticate(req.headers, ctx.config, ctx.state, startedAt);
	if (auth instanceof ProxyError) return auth.toResponse();
	if (!isObject(req.body)) {
		return new ProxyError(
			400,
			'Invalid JSON payload. Expected a JSON object.',
			'None',
			'None',
		).toResponse();
	}
	const chat = readChatRequest(req, req.body, pathModel);

	for (const model of [chat.model, ...(chat.clientFallbacks ?? [])]) {
		const denied = checkModelAccess(auth, model);
		if (denied) return denied.toResponse();
	}
	const overBudget = checkBudget(auth);
	if (overBudget) return overBudget.toResponse();
	const tagsRefused = clientsideTagsError(ctx, auth, req.body);
	if (tagsRefused) return tagsRefused.toResponse();

	const deployments = ctx.state.deploymentsOf(chat.model);
	if (deployments.length === 0) {
		const message = `/chat/completions: Invalid model name passed in model=${chat.model || 'None'}. Call \`/v1/models\` to view available models for your key.`;
		return new ProxyError(400, message, 'None', 'None', {
			provider_specific_fields: { error: message },
		}).toResponse();
	}
	const unsafe = bodySafetyError(ctx, chat, deployments);
	if (unsafe) return unsafe.toResponse();

	const maxRetries = chat.numRetries ?? ctx.config.router.num_retries;
	const result = await ctx.router.run(
		{
			group: chat.model,
			numRetries: maxRetries,
			clientFallbacks: chat.clientFallbacks,
			mockTestingFallbacks: chat.mockTestingFallbacks,
		},
		async (deployment, group) => {
			const entry = {
				at: ctx.options.clock(),
				callId: chat.callId,
				modelGroup: group,
				modelId: deployment.model_info.id,
				provider: deployment.provider,
				apiKeySource: chat.apiKeyInBody ? ('request' as const) : ('config' as const),
				status: 200,
			};
			ctx.upstreamCalls.push(entry);
			try {
				return await callUpstream(
					deployment,
					{
						messages: chat.messages,
						tools: chat.tools,
						toolChoice: chat.toolChoice,
						mockResponse: chat.mockResponse,
						timeout: chat.timeout,
						stream: chat.stream,
					},
					ctx.upstream,
				);
			} catch (error) {
				entry.status = (error as { status?: number }).status ?? 500;
				throw error;
			}
		},
	);

	if (isFailure(result)) {
		writeSpendLog(ctx, {
			requestId: chat.callId,
			chat,
			auth,
			startedAt,
			group: chat.model,
			cost: 0,
			attemptedRetries: result.attemptedRetries,
			maxRetries,
			error: result.error,
		});
		return result.error.toResponse(
			errorHeaders(ctx, auth, {
				callId: chat.callId,
				keySpend: keySpendBefore(ctx, auth),
				attemptedRetries: result.attemptedRetries,
				maxRetries,
				timeout: chat.timeout,
			}),
		);
	}

	const { deployment, value: answer, group } = result;
	const id = `chatcmpl-${randomUUID()}`;
	const created = Math.floor(ctx.options.clock() / 1000);
	const cost = costOf(deployment, answer);
	const spendBefore = keySpendBefore(ctx, auth);
	const headerInput = {
		callId: chat.callId,
		deployment,
		group,
		keySpend: spendBefore + cost,
		startedAt,
		timeout: chat.timeout,
		attemptedRetries: result.attemptedRetries,
		maxRetries,
		attemptedFallbacks: result.attemptedFallbacks,
		fallbackErrors: result.fallbackErrors,
		totalTokens: answer.promptTokens + answer.completionTokens,
	};

	if (chat.stream) {
		const headers = successHeaders(ctx, auth, {
			...headerInput,
			cost: undefined,
			keySpend: spendBefore,
		});
		const midStreamError = answer.midStreamFailure?.error.toProxyError(
			group,
			ctx.router.configuredFallbacks(group),
		);
		const completed = await writeStream(res, headers, {
			id,
			created,
			model: group,
			systemFingerprint: fingerprint(deployment),
			answer,
			includeUsage: chat.includeUsage,
			chunkDelayMs: ctx.options.streamChunkDelayMs,
			midStreamError: midStreamError?.body(),
			usageCost: ctx.config.includeCostInStreamingUsage ? cost : undefined,
		});
		if (completed) chargeKey(ctx, auth, group, cost);
		writeSpendLog(ctx, {
			requestId: id,
			chat,
			auth,
			startedAt,
			deployment,
			group,
			answer,
			cost: completed ? cost : 0,
			attemptedRetries: result.attemptedRetries,
			maxRetries,
			error: completed ? undefined : midStreamError,
		});
		return 'stream-handled';
	}

	chargeKey(ctx, auth, group, cost);
	writeSpendLog(ctx, {
		requestId: id,
		chat,
		auth,
		startedAt,
		deployment,
		group,
		answer,
		cost,
		attemptedRetries: result.attemptedRetries,
		maxRetries,
	});
	return {
		status: 200,
		headers: successHeaders(ctx, auth, { ...headerInput, cost }),
		// litellm 1.83.7: a fallback answer names the provider's model in the body (the header names the group).
		body: buildBody(
			ctx,
			id,
			created,
			result.attemptedFallbacks > 0 ? bareModel(deployment) : group,
			deployment,
			answer,
		),
	};
}

export function registerChat(server: SimServer, ctx: LiteLlmContext): void {
	server.route('POST', '/chat/completions', async (req, res) => await handleChat(ctx, req, res));
	server.route('POST', '/v1/chat/completions', async (req, res) => await handleChat(ctx, req, res));
	server.route(
		'POST',
		'/engines/:model/chat/completions',
		async (req, res) => await handleChat(ctx, req, res, req.params.model),
	);
	server.route(
		'POST',
		'/openai/deployments/:model/chat/completions',
		async (req, res) => await handleChat(ctx, req, res, req.params.model),
	);
}
