import type { IDataObject } from 'n8n-workflow';

import type { ChatCompletion } from '../chat/types';
import { GatewayError } from '../errors/classes';
import type { HttpContext, RawResponse } from '../transport/http';
import { type LiteLlmConnection, liteLlmRequest } from '../transport/litellm';
import { type OpenRouterConnection, openRouterRequest } from '../transport/openrouter';
import { settle } from '../settle';
import { type BreakerSettings, breakerFor } from './breaker';
import { failoverReason, isProxyDown, triggersFailover } from './policy';

export type Route = 'litellm' | 'openrouter';

export interface FailoverTarget {
	connection: OpenRouterConnection;
	/**
	 * The OpenRouter request body (model mapped, `models` and `provider` set); undefined when no OpenRouter
	 * model is mapped for this LiteLLM model, which matters only if the call has to fail over.
	 */
	body?: IDataObject;
	breaker: BreakerSettings;
	/** The whole call, LiteLLM try and failover together, ends by this many ms after it started. */
	deadlineMs: number;
}

/** Failing over with less time left than this would only produce a second timeout. */
export const MIN_FAILOVER_MS = 500;

export interface RouteRequest {
	litellm: LiteLlmConnection;
	body: IDataObject;
	/** Per-try timeout in ms, for each route. */
	timeoutMs: number;
	/** Absent when failover is off. */
	failover?: FailoverTarget;
	/** When the call began (default: now). The deadline counts from here, waits before the call included. */
	startedAt?: number;
	/** LiteLLM was already found down in this execution (e.g. by the model check): not asked again. */
	liteLlmDown?: GatewayError;
}

export interface RoutedAnswer {
	route: Route;
	/** Why this route served: `primary`, or the LiteLLM failure / open breaker that sent the call elsewhere. */
	reason: string;
	completion: ChatCompletion;
	response: RawResponse;
	/** The LiteLLM failure that caused the failover, if one did. */
	liteLlmError?: GatewayError;
	/** After a failover: whether the failed LiteLLM chat request had been sent (then it may have been billed). */
	liteLlmCallSent?: boolean;
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
 * LiteLLM failed in a way that fails over, but the call could not: no OpenRouter model is mapped for its
 * model, or the total deadline left too little time.
 */
export class FailoverSkippedError extends Error {
	constructor(
		readonly liteLlm: GatewayError,
		readonly liteLlmReason: string,
		readonly why: 'no_openrouter_model' | 'deadline',
	) {
		super(
			`${liteLlmReason}; no failover: ${why === 'deadline' ? 'the total deadline left too little time' : 'no OpenRouter model is mapped'}`,
		);
	}
}

/**
 * One chat call: LiteLLM first (unless its breaker is open or it was found down already), then, only when
 * failover is on and the failure is one the policy lists, OpenRouter once. No retries are added on top of
 * LiteLLM's own. Every timeout is cut to what is left of the one deadline.
 */
export async function routeChat(ctx: HttpContext, request: RouteRequest): Promise<RoutedAnswer> {
	const { failover } = request;
	const started = request.startedAt ?? Date.now();
	const left = () => (failover ? failover.deadlineMs - (Date.now() - started) : Infinity);
	const breaker = failover ? breakerFor(request.litellm.baseUrl, failover.breaker) : undefined;

	if (request.liteLlmDown) return failOver(ctx, request, request.liteLlmDown, left(), false);
	// Without an OpenRouter model the breaker cannot send the call anywhere else: LiteLLM is asked.
	const admission = breaker && failover?.body ? breaker.admit() : 'call';
	if (admission === 'skip') {
		const retryIn = Math.ceil((breaker?.status().retryInMs ?? 0) / 1000);
		return viaOpenRouter(
			ctx,
			failover!,
			failover!.body!,
			Math.min(request.timeoutMs, left()),
			`circuit open: litellm skipped (retry in ${retryIn}s)`,
		);
	}
	const outcome = await settle(
		liteLlmRequest<ChatCompletion>(ctx, request.litellm, {
			method: 'POST',
			path: '/chat/completions',
			body: request.body,
			timeoutMs: Math.max(1, Math.min(request.timeoutMs, left())),
		}),
	);
	if (outcome.ok) {
		breaker?.recordSuccess();
		const reason = admission === 'probe' ? 'primary (breaker probe)' : 'primary';
		return {
			route: 'litellm',
			reason,
			completion: outcome.value.data,
			response: outcome.value.response,
		};
	}
	const error = outcome.error;
	if (!(error instanceof GatewayError) || error.kind === 'cancelled') {
		if (admission === 'probe') breaker?.releaseProbe();
		throw error;
	}
	if (isProxyDown(error)) breaker?.recordFailure();
	else breaker?.recordSuccess();
	return failOver(ctx, request, error, left(), true);
}

/** After LiteLLM failed: OpenRouter once when the policy allows and time is left, else LiteLLM's error. */
async function failOver(
	ctx: HttpContext,
	request: RouteRequest,
	error: GatewayError,
	left: number,
	callSent: boolean,
): Promise<RoutedAnswer> {
	const { failover } = request;
	if (!failover || !triggersFailover(error)) throw error;
	const reason = failoverReason(error);
	if (!failover.body) throw new FailoverSkippedError(error, reason, 'no_openrouter_model');
	// One deadline for the whole call: OpenRouter gets what is left of it, and nothing when too little is.
	if (left < MIN_FAILOVER_MS) throw new FailoverSkippedError(error, reason, 'deadline');
	const answer = await viaOpenRouter(
		ctx,
		failover,
		failover.body,
		Math.min(request.timeoutMs, left),
		reason,
		error,
	);
	return { ...answer, liteLlmCallSent: callSent };
}

async function viaOpenRouter(
	ctx: HttpContext,
	failover: FailoverTarget,
	body: IDataObject,
	timeoutMs: number,
	reason: string,
	liteLlmError?: GatewayError,
): Promise<RoutedAnswer> {
	const outcome = await settle(
		openRouterRequest<ChatCompletion>(ctx, failover.connection, {
			method: 'POST',
			path: '/chat/completions',
			body,
			timeoutMs,
		}),
	);
	if (outcome.ok) {
		const { data, response } = outcome.value;
		return { route: 'openrouter', reason, completion: data, response, liteLlmError };
	}
	if (outcome.error instanceof GatewayError)
		throw new BothRoutesFailedError(liteLlmError, reason, outcome.error);
	throw outcome.error;
}
