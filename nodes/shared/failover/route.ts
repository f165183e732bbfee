import type { IDataObject } from 'n8n-workflow';

import type { ChatCompletion } from '../chat/types';
import { GatewayError } from '../errors/classes';
import type { HttpContext, RawResponse } from '../transport/http';
import { type LiteLlmConnection, liteLlmRequest } from '../transport/litellm';
import { type OpenRouterConnection, openRouterRequest } from '../transport/openrouter';
import { settle } from '../settle';
import { type BreakerSettings, breakerFor } from './breaker';
import { failoverReason, isTransportFailure, triggersFailover } from './policy';

export type Route = 'litellm' | 'openrouter';

export interface FailoverTarget {
	connection: OpenRouterConnection;
	/** The OpenRouter request body (model mapped, `models` and `provider` set). */
	body: IDataObject;
	breaker: BreakerSettings;
	/** The whole call, LiteLLM try and failover together, ends by this many ms after it started. */
	deadlineMs: number;
}

/** Failing over with less time left than this would only produce a second timeout. */
const MIN_FAILOVER_MS = 1_000;

export interface RouteRequest {
	litellm: LiteLlmConnection;
	body: IDataObject;
	/** Per-try timeout in ms, for each route. */
	timeoutMs: number;
	/** Absent when failover is off. */
	failover?: FailoverTarget;
}

export interface RoutedAnswer {
	route: Route;
	/** Why this route served: `primary`, or the LiteLLM failure / open breaker that sent the call elsewhere. */
	reason: string;
	completion: ChatCompletion;
	response: RawResponse;
	/** The LiteLLM failure that caused the failover, if one did. */
	liteLlmError?: GatewayError;
}

/** Both routes failed: carries each cause so the message can name both. */
export class BothRoutesFailedError extends Error {
	constructor(
		readonly liteLlm: GatewayError | undefined,
		readonly liteLlmReason: string,
		readonly openRouter: GatewayError,
	) {
		super(`${liteLlmReason}; OpenRouter failed too: ${openRouter.message}`);
	}
}

/**
 * One chat call: LiteLLM first (unless its breaker is open), then, only when failover is on and the
 * failure is one the policy lists, OpenRouter once. No retries are added on top of LiteLLM's own.
 */
export async function routeChat(ctx: HttpContext, request: RouteRequest): Promise<RoutedAnswer> {
	const { failover } = request;
	const started = Date.now();
	const breaker = failover ? breakerFor(request.litellm.baseUrl, failover.breaker) : undefined;
	const admission = breaker ? breaker.admit() : 'call';

	if (admission === 'skip') {
		const retryIn = Math.ceil((breaker?.status().retryInMs ?? 0) / 1000);
		const timeoutMs = Math.min(request.timeoutMs, failover!.deadlineMs);
		return viaOpenRouter(ctx, failover!, timeoutMs, `circuit open: litellm skipped (retry in ${retryIn}s)`);
	}
	const outcome = await settle(
		liteLlmRequest<ChatCompletion>(ctx, request.litellm, {
			method: 'POST',
			path: '/chat/completions',
			body: request.body,
			timeoutMs: failover ? Math.min(request.timeoutMs, failover.deadlineMs) : request.timeoutMs,
		}),
	);
	if (outcome.ok) {
		breaker?.recordSuccess();
		const reason = admission === 'probe' ? 'primary (breaker probe)' : 'primary';
		return { route: 'litellm', reason, completion: outcome.value.data, response: outcome.value.response };
	}
	const error = outcome.error;
	if (!(error instanceof GatewayError) || error.kind === 'cancelled') {
		if (admission === 'probe') breaker?.releaseProbe();
		throw error;
	}
	if (isTransportFailure(error)) breaker?.recordFailure();
	else breaker?.recordSuccess();
	if (!failover || !triggersFailover(error)) throw error;
	// One deadline for the whole call: OpenRouter gets what is left of it, and nothing when too little is.
	const left = failover.deadlineMs - (Date.now() - started);
	if (left < MIN_FAILOVER_MS) throw error;
	return viaOpenRouter(ctx, failover, Math.min(request.timeoutMs, left), failoverReason(error), error);
}

async function viaOpenRouter(
	ctx: HttpContext,
	failover: FailoverTarget,
	timeoutMs: number,
	reason: string,
	liteLlmError?: GatewayError,
): Promise<RoutedAnswer> {
	const outcome = await settle(
		openRouterRequest<ChatCompletion>(ctx, failover.connection, {
			method: 'POST',
			path: '/chat/completions',
			body: failover.body,
			timeoutMs,
		}),
	);
	if (outcome.ok) {
		const { data, response } = outcome.value;
		return { route: 'openrouter', reason, completion: data, response, liteLlmError };
	}
	if (outcome.error instanceof GatewayError) throw new BothRoutesFailedError(liteLlmError, reason, outcome.error);
	throw outcome.error;
}
