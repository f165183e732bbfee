/**
 * LiteLLM's Router: deployments grouped by `model_name`, retries inside a group, then the
 * fallback lists, and cooldowns that take a failing deployment out of every pick.
 *
 * Choices where LiteLLM's docs are silent or the behaviour is random:
 * - Picking: round-robin over the group's deployments that are not cooling down (LiteLLM's default
 *   `simple-shuffle` is random; tests need determinism).
 * - Retries: no wait between tries unless `retryDelayMs` is set (LiteLLM waits 0 when another healthy
 *   deployment exists, else a short backoff). Not retried: 400s (ContextWindowExceeded included), 404,
 *   a 401 or 429 with no other healthy deployment (LiteLLM's `should_retry_this_error`). When the tries run
 *   out, the FIRST error is raised, as LiteLLM's `async_function_with_retries` does.
 * - Cooldown, as litellm 1.83.7's default ("v2") logic does (router_utils/cooldown_handlers.py): a 401 or 404
 *   cools the deployment down at once, even the only deployment of its group; a 429 at once in a group with
 *   more than one deployment; 408 and 5xx in such a group when more than half of at least 5 calls this minute
 *   failed. Other 4xx never cool down. With `allowed_fails` set to anything but LiteLLM's default 3, the legacy
 *   rule applies instead: more than `allowed_fails` failures this minute. Lasts `litellm_params.cooldown_time`,
 *   else `router_settings.cooldown_time`.
 * - "No deployments available" (429) is not retried; the group's fallbacks are still tried, and it keeps its
 *   own message (no "Received Model Group" suffix: LiteLLM appends that only to exceptions with `.message`).
 * - Each fallback group runs its own retry cycle (BerriAI/litellm#19985 describes exactly that).
 */
import type { Deployment, ProxyConfig } from './config';
import { ProxyError, UpstreamError } from './errors';
import { pyStr } from './pyfloat';
import type { ProxyState } from './state';

export interface FallbackErrorEntry {
	message: string;
	type: string | null;
	param: string | null;
	code: string;
}

export interface RouteRequest {
	group: string;
	numRetries: number;
	/** Client-side `fallbacks` (model names), overriding the configured ones when given. */
	clientFallbacks?: string[];
	/** `mock_testing_fallbacks`: the requested group fails so its fallbacks run. */
	mockTestingFallbacks?: boolean;
}

export interface RouteSuccess<T> {
	value: T;
	deployment: Deployment;
	/** The group that answered (the fallback's after a fallback). */
	group: string;
	attemptedRetries: number;
	attemptedFallbacks: number;
	fallbackErrors: FallbackErrorEntry[];
}

export interface RouteFailure {
	error: ProxyError;
	attemptedRetries: number;
	attemptedFallbacks: number;
}

/** One upstream try, as the ledger of the simulator records it. */
export interface UpstreamCall {
	at: number;
	callId: string;
	modelGroup: string;
	modelId: string;
	provider: string;
	/** 'request' when the body carried `api_key` (BYOK), else the deployment's configured key. */
	apiKeySource: 'config' | 'request';
	/** HTTP status the upstream gave (200, or the failure). */
	status: number;
}

class GroupFailure extends Error {
	constructor(
		readonly cause: UpstreamError | ProxyError,
		readonly retries: number,
	) {
		super(cause.message);
	}
}

interface MinuteStats {
	minute: number;
	fails: number;
	total: number;
}

export type Attempt<T> = (deployment: Deployment, group: string) => Promise<T>;

/** 4xx that may cool a deployment down (LiteLLM's `_is_cooldown_required`); 401 and 404 are not retried, so they do at once. */
const COOLDOWN_ELIGIBLE = new Set([429, 401, 404, 408]);
const NOT_RETRYABLE = new Set([401, 404]);
const LITELLM_DEFAULT_ALLOWED_FAILS = 3;

export class Router {
	/** Deployment id → cooldown end (ms). */
	readonly cooldowns = new Map<string, number>();

	private readonly stats = new Map<string, MinuteStats>();

	private readonly cursor = new Map<string, number>();

	constructor(
		private readonly config: ProxyConfig,
		private readonly state: ProxyState,
		private readonly retryDelayMs = 0,
		private readonly clock: () => number = Date.now,
	) {}

	isCooling(d: Deployment): boolean {
		const until = this.cooldowns.get(d.model_info.id);
		if (until === undefined) return false;
		if (until <= this.clock()) {
			this.cooldowns.delete(d.model_info.id);
			return false;
		}
		return true;
	}

	/** Every deployment cooling down now (LiteLLM lists them all in "No deployments available"). */
	private coolingIds(): string[] {
		return this.state.deployments.filter((d) => this.isCooling(d)).map((d) => d.model_info.id);
	}

	healthy(group: string): Deployment[] {
		return this.state.deploymentsOf(group).filter((d) => !this.isCooling(d));
	}

	configuredFallbacks(group: string): string[] | undefined {
		return this.config.router.fallbacks[group];
	}

	private pick(group: string): Deployment | undefined {
		const healthy = this.healthy(group);
		if (healthy.length === 0) return undefined;
		const n = this.cursor.get(group) ?? 0;
		this.cursor.set(group, n + 1);
		return healthy[n % healthy.length];
	}

	private minuteStats(d: Deployment): MinuteStats {
		const minute = Math.floor(this.clock() / 60_000);
		let s = this.stats.get(d.model_info.id);
		if (!s || s.minute !== minute) {
			s = { minute, fails: 0, total: 0 };
			this.stats.set(d.model_info.id, s);
		}
		return s;
	}

	private recordSuccess(d: Deployment): void {
		this.minuteStats(d).total += 1;
	}

	private recordFailure(d: Deployment, error: UpstreamError): void {
		const s = this.minuteStats(d);
		s.fails += 1;
		s.total += 1;
		if (this.config.router.disable_cooldowns) return;
		const status = error.status;
		if (!COOLDOWN_ELIGIBLE.has(status) && status < 500) return;
		const shared = this.state.deploymentsOf(d.model_name).length > 1;
		const trips =
			this.config.router.allowed_fails !== LITELLM_DEFAULT_ALLOWED_FAILS
				? s.fails > this.config.router.allowed_fails
				: NOT_RETRYABLE.has(status) ||
					(status === 429 && shared) ||
					(shared && s.total >= 5 && s.fails / s.total > 0.5);
		if (!trips) return;
		const seconds = d.litellm_params.cooldown_time ?? this.config.router.cooldown_time;
		this.cooldowns.set(d.model_info.id, this.clock() + seconds * 1000);
	}

	private shouldRetry(error: UpstreamError, group: string): boolean {
		if (error.status === 400 || error.status === 404) return false;
		const healthy = this.healthy(group).length;
		if (error.status === 429 && healthy <= 0 && this.state.deploymentsOf(group).length <= 1)
			return false;
		if (error.status === 401 && healthy <= 0) return false;
		return true;
	}

	private noDeployments(group: string): ProxyError {
		return new ProxyError(
			429,
			`No deployments available for selected model, Try again in ${pyStr(this.config.router.cooldown_time)} seconds. Passed model=${group}. pre-call-checks=False, cooldown_list=[${this.coolingIds()
				.map((id) => `'${id}'`)
				.join(', ')}]`,
			'None',
			'None',
		);
	}

	private async tryGroup<T>(
		group: string,
		numRetries: number,
		attempt: Attempt<T>,
		forceFail?: UpstreamError,
	): Promise<{ value: T; deployment: Deployment; retries: number }> {
		let first: UpstreamError | undefined;
		let retries = 0;
		for (;;) {
			const deployment = this.pick(group);
			if (!deployment) throw new GroupFailure(first ?? this.noDeployments(group), retries);
			try {
				if (forceFail) throw forceFail;
				const value = await attempt(deployment, group);
				this.recordSuccess(deployment);
				return { value, deployment, retries };
			} catch (error) {
				if (!(error instanceof UpstreamError)) throw error;
				if (!forceFail) this.recordFailure(deployment, error);
				first ??= error;
				if (forceFail || retries >= numRetries || !this.shouldRetry(error, group))
					throw new GroupFailure(first, retries);
				retries += 1;
				if (this.retryDelayMs > 0)
					await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
			}
		}
	}

	private fallbackListFor(
		error: UpstreamError | ProxyError,
		req: RouteRequest,
	): string[] | undefined {
		if (error instanceof UpstreamError && error.className === 'ContextWindowExceededError') {
			const cw = this.config.router.context_window_fallbacks[req.group];
			if (cw) return cw;
		}
		if (error instanceof UpstreamError && error.className === 'ContentPolicyViolationError') {
			const cp = this.config.router.content_policy_fallbacks[req.group];
			if (cp) return cp;
		}
		return req.clientFallbacks ?? this.configuredFallbacks(req.group);
	}

	async run<T>(req: RouteRequest, attempt: Attempt<T>): Promise<RouteSuccess<T> | RouteFailure> {
		let original: GroupFailure;
		try {
			const forced = req.mockTestingFallbacks
				? new UpstreamError(
						500,
						'openai',
						`This is a mock exception for model=${req.group}, to trigger a fallback.`,
						'InternalServerError',
					)
				: undefined;
			const ok = await this.tryGroup(req.group, req.numRetries, attempt, forced);
			return {
				...ok,
				group: req.group,
				attemptedRetries: ok.retries,
				attemptedFallbacks: 0,
				fallbackErrors: [],
			};
		} catch (error) {
			if (!(error instanceof GroupFailure)) throw error;
			original = error;
		}

		const list = this.fallbackListFor(original.cause, req) ?? [];
		const fallbackErrors: FallbackErrorEntry[] = [entryOf(original.cause)];
		let attemptedFallbacks = 0;
		for (const fallback of list.slice(0, this.config.router.max_fallbacks)) {
			if (this.state.deploymentsOf(fallback).length === 0) continue;
			attemptedFallbacks += 1;
			try {
				const ok = await this.tryGroup(fallback, req.numRetries, attempt);
				return {
					value: ok.value,
					deployment: ok.deployment,
					group: fallback,
					attemptedRetries: ok.retries,
					attemptedFallbacks,
					fallbackErrors,
				};
			} catch (error) {
				if (!(error instanceof GroupFailure)) throw error;
				fallbackErrors.push(entryOf(error.cause));
			}
		}
		const cause = original.cause;
		const finalError =
			cause instanceof UpstreamError
				? cause.toProxyError(req.group, list.length ? list : undefined)
				: cause;
		return { error: finalError, attemptedRetries: original.retries, attemptedFallbacks };
	}
}

function entryOf(error: UpstreamError | ProxyError): FallbackErrorEntry {
	if (error instanceof UpstreamError) {
		return { message: error.litellmMessage(), type: null, param: null, code: String(error.status) };
	}
	const body = error.body().error;
	return { message: body.message, type: body.type, param: body.param, code: body.code };
}

export function isFailure<T>(result: RouteSuccess<T> | RouteFailure): result is RouteFailure {
	return 'error' in result;
}
