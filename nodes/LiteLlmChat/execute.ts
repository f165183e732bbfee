import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	NodeOperationError,
} from 'n8n-workflow';

import { mapConcurrent } from '../shared/concurrency';
import { GatewayError } from '../shared/errors/classes';
import { errorItem, type PresentedError, withFacts } from '../shared/errors/error-item';
import { toNodeApiError } from '../shared/errors/to-node-error';
import { breakerFor, type BreakerSettings } from '../shared/failover/breaker';
import {
	BothRoutesFailedError,
	FailoverSkippedError,
	MIN_FAILOVER_MS,
	routeChat,
} from '../shared/failover/route';
import { type ItemParams, itemParams } from '../shared/item-params';
import { redactText } from '../shared/redact';
import { settle, settleSync } from '../shared/settle';
import { type LiteLlmConnection, liteLlmConnection } from '../shared/transport/litellm';
import { type OpenRouterConnection, openRouterConnection } from '../shared/transport/openrouter';
import { DEFAULT_CONCURRENCY } from './defaults';
import { checkModels, type ModelCheckVerdict } from './model-check';
import { answerToJson } from './output';
import { type ItemRequest, type RequestContext, requestBuilder } from './request';
import { streamChat, streamedToJson } from './stream';

interface NodeSettings {
	concurrency: number;
	timeoutMs: number;
	/** Set when the node streams its answers: n8n streams the response and Stream Answer to Response is on. */
	streamStallMs?: number;
	failover?: {
		connection: OpenRouterConnection;
		breaker: BreakerSettings;
		deadlineMs: number;
		rc: NonNullable<RequestContext['failover']>;
	};
}

async function readSettings(ctx: IExecuteFunctions): Promise<NodeSettings> {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = Number(options.concurrency ?? DEFAULT_CONCURRENCY);
	const timeoutMs = Number(options.requestTimeout ?? 120_000);
	if (!Number.isInteger(concurrency) || concurrency < 1) {
		throw new NodeOperationError(ctx.getNode(), 'Concurrency must be a whole number of at least 1');
	}
	if (!Number.isFinite(timeoutMs) || timeoutMs < 100) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Request Timeout (Ms) must be a number of at least 100',
		);
	}
	const streamStallMs = streamSetting(ctx, options);
	if (!ctx.getNodeParameter('enableFailover', 0, false))
		return { concurrency, timeoutMs, streamStallMs };

	const fo = ctx.getNodeParameter('failoverOptions', 0, {}) as IDataObject;
	const entries = ((fo.mapping as IDataObject | undefined)?.entries ?? []) as Array<
		Record<string, string>
	>;
	const prompt = Number(fo.maxPricePrompt ?? 0);
	const completion = Number(fo.maxPriceCompletion ?? 0);
	const maxPrice: IDataObject = {};
	if (prompt > 0) maxPrice.prompt = prompt;
	if (completion > 0) maxPrice.completion = completion;
	return {
		concurrency,
		timeoutMs,
		streamStallMs,
		failover: {
			connection: await openRouterConnection(ctx),
			breaker: {
				threshold: Math.max(1, Number(fo.breakerThreshold ?? 3)),
				cooldownMs: Math.max(1, Number(fo.breakerCooldown ?? 30)) * 1000,
			},
			deadlineMs: Math.max(1000, Number(fo.totalDeadline ?? 180) * 1000),
			rc: {
				defaultModel: String(fo.defaultModel ?? ''),
				mapping: entries.map((e) => ({
					liteLlmModel: String(e.liteLlmModel ?? ''),
					openRouterModel: String(e.openRouterModel ?? ''),
					fallbackModels: String(e.fallbackModels ?? ''),
				})),
				maxPrice: Object.keys(maxPrice).length ? maxPrice : undefined,
			},
		},
	};
}

function streamSetting(ctx: IExecuteFunctions, options: IDataObject): number | undefined {
	if (options.streamAnswer === false || !ctx.isStreaming?.()) return undefined;
	const stallMs = Number(options.streamStallTimeout ?? 30_000);
	if (!Number.isFinite(stallMs) || stallMs < 100) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Stream Stall Timeout (Ms) must be a number of at least 100',
		);
	}
	return stallMs;
}

function modelName(params: ItemParams, i: number): string {
	const model = String(params.get('model', i, '', { extractValue: true }) ?? '').trim();
	if (!model)
		throw new NodeOperationError(params.node, 'Model is empty: pick a model of the LiteLLM proxy', {
			itemIndex: i,
		});
	return model;
}

/** A failure of one item as the user sees it: typed gateway errors become NodeApiErrors, keys masked. */
function presentError(
	ctx: IExecuteFunctions,
	error: unknown,
	i: number,
	secrets: string[],
	model: string,
): PresentedError {
	if (error instanceof BothRoutesFailedError) {
		const presented = toNodeApiError(
			ctx.getNode(),
			error.openRouter,
			i,
			secrets,
			`LiteLLM failed over (${error.liteLlmReason}) and OpenRouter failed too. `,
		);
		return withFacts(presented, {
			route: 'openrouter',
			liteLlmKind: error.liteLlm?.kind ?? 'circuit_open',
		});
	}
	if (error instanceof FailoverSkippedError) {
		const why =
			error.why === 'deadline'
				? 'the total deadline left too little time for OpenRouter'
				: `no OpenRouter model is mapped for "${model}" (add a Model Mapping entry or a Default OpenRouter Model)`;
		return withFacts(
			toNodeApiError(ctx.getNode(), error.liteLlm, i, secrets, `No failover (${why}). `),
			{ route: 'litellm' },
		);
	}
	if (error instanceof GatewayError) return toNodeApiError(ctx.getNode(), error, i, secrets);
	if (error instanceof NodeOperationError) return withFacts(error, { kind: 'invalid_input' });
	return new NodeOperationError(
		ctx.getNode(),
		redactText((error as Error).message ?? String(error), secrets),
		{ itemIndex: i },
	);
}

export async function executeChat(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const settings = await readSettings(ctx);
	const litellm: LiteLlmConnection = await liteLlmConnection(ctx);
	const secrets = [...litellm.secrets, ...(settings.failover?.connection.secrets ?? [])];
	const workflow = ctx.getWorkflow();
	const executionId = ctx.getExecutionId();
	const continueOnFail = ctx.continueOnFail();
	const params = itemParams(ctx);
	const buildItemRequest = requestBuilder(params);

	// Phase 1: every item's request is built and checked before anything is sent.
	const prepared: Array<ItemRequest | PresentedError> = items.map((_, i) => {
		const built = settleSync(() =>
			buildItemRequest(i, {
				model: modelName(params, i),
				workflow: { id: workflow.id, name: workflow.name },
				executionId,
				failover: settings.failover?.rc,
			}),
		);
		if (built.ok) return built.value;
		const error = presentError(ctx, built.error, i, secrets, '');
		if (!continueOnFail) throw error;
		return error;
	});

	// Phase 2: calls, `concurrency` at a time; output order and pairing follow the input. Each call first
	// waits for the execution's one model check, whose time counts toward the call's deadline and latency.
	const check = modelCheck(ctx, litellm, settings, prepared);
	const results = await mapConcurrent(
		prepared,
		settings.concurrency,
		async (plan, i): Promise<INodeExecutionData> => {
			const outcome =
				plan instanceof Error
					? { ok: false as const, error: plan }
					: await settle(answerItem(ctx, plan, i, litellm, settings, check));
			if (outcome.ok) return { json: outcome.value, pairedItem: { item: i } };
			const presented = presentError(
				ctx,
				outcome.error,
				i,
				secrets,
				plan instanceof Error ? '' : plan.model,
			);
			if (!continueOnFail) throw presented;
			return errorItem(presented, i);
		},
		!continueOnFail,
	);
	return [results];
}

/**
 * The execution's model check, started once and shared by every call (lazily, so a run whose items all
 * failed validation asks nothing). Skipped while the breaker is open: LiteLLM is not asked then.
 */
function modelCheck(
	ctx: IExecuteFunctions,
	litellm: LiteLlmConnection,
	settings: NodeSettings,
	prepared: Array<ItemRequest | PresentedError>,
): () => Promise<ModelCheckVerdict> {
	let verdict: Promise<ModelCheckVerdict> | undefined;
	return async () => {
		verdict ??= (async () => {
			const breaker = settings.failover && breakerFor(litellm.baseUrl, settings.failover.breaker);
			if (breaker && breaker.status().state === 'open')
				return { problems: new Map<string, string>() };
			const models = [
				...new Set(
					prepared.filter((p): p is ItemRequest => !(p instanceof Error)).map((p) => p.model),
				),
			];
			// Bounded like a call, and short of the deadline by the time a failover needs.
			const limit = settings.failover
				? Math.min(settings.timeoutMs, settings.failover.deadlineMs - MIN_FAILOVER_MS)
				: settings.timeoutMs;
			const result = await checkModels(ctx, litellm, models, Math.min(limit, MODEL_CHECK_MAX_MS));
			if (result.down) breaker?.recordFailure();
			return result;
		})();
		return verdict;
	};
}

/** The model list is small and quick on a live proxy; waiting longer than this on it only delays the calls. */
const MODEL_CHECK_MAX_MS = 15_000;

/** One item's call, routed (LiteLLM, maybe OpenRouter), as its output JSON. */
async function answerItem(
	ctx: IExecuteFunctions,
	plan: ItemRequest,
	i: number,
	litellm: LiteLlmConnection,
	settings: NodeSettings,
	check: () => Promise<ModelCheckVerdict>,
): Promise<IDataObject> {
	const started = Date.now();
	const verdict = await check();
	const problem = verdict.problems.get(plan.model);
	if (problem) {
		throw withFacts(
			new NodeOperationError(ctx.getNode(), problem, {
				itemIndex: i,
				description: "Pick the model from the list, or check the key's allowed models",
			}),
			{ kind: 'model_not_offered', upstream: 'litellm' },
		);
	}
	const failover = settings.failover
		? {
				connection: settings.failover.connection,
				body: plan.openRouter,
				breaker: settings.failover.breaker,
				deadlineMs: settings.failover.deadlineMs,
			}
		: undefined;
	if (verdict.down && !failover) throw verdict.down;
	const request = {
		litellm,
		body: plan.liteLlm,
		timeoutMs: settings.timeoutMs,
		failover,
		startedAt: started,
		liteLlmDown: verdict.down,
	};
	if (settings.streamStallMs !== undefined) {
		const streamed = await streamChat(ctx, i, request, settings.streamStallMs);
		return streamedToJson(streamed, plan.model, Date.now() - started, plan.includeRaw);
	}
	const answer = await routeChat(ctx, request);
	return answerToJson(answer, plan.model, Date.now() - started, plan.includeRaw);
}
