import { GatewayError } from '../shared/errors/classes';
import { errorFromResponse } from '../shared/errors/from-response';
import { type BreakerSettings, breakerFor } from '../shared/failover/breaker';
import { failoverReason, isProxyDown, triggersFailover } from '../shared/failover/policy';
import { MIN_FAILOVER_MS } from '../shared/failover/route';
import { settle } from '../shared/settle';
import { toRawResponse, transportError } from '../shared/transport/http';
import type { Endpoint } from './model-options';
import type { FetchLike } from './null-fields';

/**
 * The Chat Node's failover policy for the Chat Model, at the HTTP seam of n8n's chat model: a chat request to
 * LiteLLM that fails with a sign the proxy is down (refused, reset, timed out, an HTML or empty 502-504,
 * "No deployments available") goes once to OpenRouter, with the model mapped and LiteLLM-only fields
 * removed; budget, rate limit, auth and bad-request answers go back to the agent untouched. The breaker is
 * the Chat node's (per LiteLLM base URL, per process), and one deadline bounds both tries.
 */
export interface ChatModelFailover {
	/** LiteLLM's OpenAI base (`<root>/v1`) and its root, the breaker's key (as the Chat node uses). */
	liteLlmBase: string;
	liteLlmRoot: string;
	openRouter: Endpoint;
	/** Undefined when no OpenRouter model is known for the model: then a failing call cannot fail over. */
	openRouterModel?: string;
	breaker: BreakerSettings;
	deadlineMs: number;
	/** The per-try timeout of the SDK, to tell its timeout from a cancelled execution. */
	timeoutMs: number;
	secrets: string[];
	/** Where the last call went and why (the node logs it and the error handler names it). */
	onRoute(route: 'litellm' | 'openrouter', reason: string, liteLlmError?: GatewayError): void;
}

/** LiteLLM-only body fields OpenRouter must not see: its own attribution and server-side fallbacks. */
const LITELLM_ONLY = ['tags', 'metadata', 'fallbacks', 'num_retries'];

function urlOf(input: string | URL | Request): string {
	return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

export function failoverFetch(base: FetchLike, f: ChatModelFailover): FetchLike {
	return async (input, init) => {
		const url = urlOf(input);
		if (!url.startsWith(`${f.liteLlmBase}/`) || (init?.method ?? 'GET').toUpperCase() !== 'POST')
			return base(input, init);
		const started = Date.now();
		const breaker = breakerFor(f.liteLlmRoot, f.breaker);
		const admission = f.openRouterModel ? breaker.admit() : 'call';
		const viaOpenRouter = async (reason: string, error?: GatewayError) => {
			f.onRoute('openrouter', reason, error);
			return openRouterCall(base, f, url, init, Math.max(1, f.deadlineMs - (Date.now() - started)));
		};
		if (admission === 'skip')
			return viaOpenRouter(
				`circuit open: litellm skipped (retry in ${Math.ceil(breaker.status().retryInMs / 1000)}s)`,
			);

		let failure: GatewayError;
		let answer: Response | undefined;
		const outcome = await settle(base(input, init));
		if (outcome.ok) {
			answer = outcome.value;
		} else {
			// The SDK aborts its own request at its timeout; any other abort is the execution being stopped.
			const timedOut = init?.signal?.aborted && Date.now() - started >= f.timeoutMs - 50;
			if (init?.signal?.aborted && !timedOut) {
				if (admission === 'probe') breaker.releaseProbe();
				throw outcome.error;
			}
			const cause = timedOut
				? Object.assign(new Error(`timeout of ${f.timeoutMs}ms exceeded`), { code: 'ETIMEDOUT' })
				: outcome.error;
			failure = transportError(cause, 'litellm', f.timeoutMs, f.secrets) as GatewayError;
		}
		if (answer) {
			if (
				answer.status < 429 ||
				(answer.status > 429 && answer.status < 502) ||
				answer.status > 504
			) {
				breaker.recordSuccess();
				f.onRoute('litellm', admission === 'probe' ? 'primary (breaker probe)' : 'primary');
				return answer;
			}
			const text = await answer.text();
			const headers: Record<string, string> = {};
			answer.headers.forEach((value, name) => (headers[name] = value));
			failure = errorFromResponse(
				'litellm',
				toRawResponse(answer.status, headers, text, started),
				f.secrets,
			);
			if (!triggersFailover(failure) || !f.openRouterModel) {
				if (isProxyDown(failure)) breaker.recordFailure();
				else breaker.recordSuccess();
				f.onRoute('litellm', 'primary', failure);
				return new Response(text, {
					status: answer.status,
					statusText: answer.statusText,
					headers: answer.headers,
				});
			}
		}
		if (isProxyDown(failure!)) breaker.recordFailure();
		else breaker.recordSuccess();
		const left = f.deadlineMs - (Date.now() - started);
		if (!f.openRouterModel || left < MIN_FAILOVER_MS) {
			f.onRoute('litellm', failoverReason(failure!), failure!);
			throw failure!;
		}
		return viaOpenRouter(failoverReason(failure!), failure!);
	};
}

/** The same request to OpenRouter: its URL, key and attribution headers, the mapped model, LiteLLM's fields out. */
async function openRouterCall(
	base: FetchLike,
	f: ChatModelFailover,
	url: string,
	init: RequestInit | undefined,
	timeoutMs: number,
): Promise<Response> {
	const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
	body.model = f.openRouterModel;
	for (const field of LITELLM_ONLY) delete body[field];
	const headers = new Headers(init?.headers);
	headers.set('authorization', `Bearer ${f.openRouter.apiKey}`);
	for (const [name, value] of Object.entries(f.openRouter.defaultHeaders ?? {}))
		headers.set(name, value);
	headers.delete('content-length');
	const target = `${f.openRouter.baseUrl}${url.slice(f.liteLlmBase.length)}`;
	return base(target, {
		...init,
		body: JSON.stringify(body),
		headers,
		signal: AbortSignal.timeout(timeoutMs),
	});
}
