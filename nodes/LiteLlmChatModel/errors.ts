import type { INode } from 'n8n-workflow';

import { GatewayError, type Upstream } from '../shared/errors/classes';
import { errorFromResponse } from '../shared/errors/from-response';
import { toNodeApiError } from '../shared/errors/to-node-error';
import { transportError } from '../shared/transport/http';

/**
 * The Chat Model's errors, as specific as the Chat node's. The OpenAI SDK inside n8n's chat model turns
 * every failure into its own error ("Connection error.", "429 …"), and n8n then words it by status alone
 * (a spent budget reads as a rate limit, an unknown model as "Bad request"). n8n's failed-attempt handler
 * calls the model's own `onFailedAttempt` first and keeps a NodeApiError it throws as it is, so this handler
 * rebuilds the typed GatewayError from the SDK error (status, body, headers, or the network cause) and
 * throws the same actionable, key-masked NodeApiError the Chat node would.
 */

/** What the OpenAI SDK's errors carry (APIError: status, error body, headers; connection errors: cause). */
interface SdkError {
	status?: number;
	error?: unknown;
	headers?: unknown;
	name?: string;
	message?: string;
	cause?: unknown;
	retriesLeft?: number;
}

/** Worth another try of the SDK's own retries (Max Retries), when any are left. */
const RETRYABLE = new Set([
	'connection',
	'timeout',
	'service_unavailable',
	'rate_limited',
	'no_deployments',
	'upstream_provider',
]);

/** The SDK's headers (a fetch Headers object, or a plain record in older SDKs), names in lower case. */
function headerRecord(headers: unknown): Record<string, string> {
	if (!headers || typeof headers !== 'object') return {};
	const entries =
		typeof (headers as Headers).entries === 'function'
			? [...(headers as Headers).entries()]
			: Object.entries(headers);
	const out: Record<string, string> = {};
	for (const [name, value] of entries)
		if (value !== undefined) out[name.toLowerCase()] = String(value);
	return out;
}

/** The SDK error with a status: itself, or the one LangChain wrapped (context overflow). */
function withStatus(error: SdkError): SdkError | undefined {
	if (typeof error.status === 'number') return error;
	const cause = error.cause as SdkError | undefined;
	return cause && typeof cause === 'object' && typeof cause.status === 'number' ? cause : undefined;
}

export function gatewayErrorOf(
	error: unknown,
	upstream: Upstream,
	secrets: string[],
	timeoutMs: number,
): GatewayError | undefined {
	if (!error || typeof error !== 'object') return undefined;
	const sdk = error as SdkError;
	if (sdk.name === 'AbortError' || /^(Cancel|AbortError)/.test(sdk.message ?? '')) return undefined;
	// Thrown by the failover fetch: already typed.
	if (sdk.cause instanceof GatewayError) return sdk.cause;
	const answered = withStatus(sdk);
	if (answered) {
		const json = answered.error === undefined ? undefined : { error: answered.error };
		const text = json === undefined ? '' : JSON.stringify(json);
		return errorFromResponse(
			upstream,
			{
				status: answered.status!,
				headers: headerRecord(answered.headers),
				text,
				json,
				latencyMs: 0,
			},
			secrets,
		);
	}
	// No answer: a timeout (the SDK's, as LangChain renames it) or the network cause under "Connection error.".
	const timedOut = sdk.name === 'TimeoutError' || /timed out/i.test(sdk.message ?? '');
	return transportError(
		timedOut
			? Object.assign(new Error(`timeout of ${timeoutMs}ms exceeded`), { code: 'ETIMEDOUT' })
			: (sdk.cause ?? error),
		upstream,
		timeoutMs,
		secrets,
	) as GatewayError;
}

/** Where the model's last call went, set by the failover fetch: an error after a failover is OpenRouter's. */
export interface LastRoute {
	route: 'litellm' | 'openrouter';
	reason: string;
}

export function specificErrors(
	node: INode,
	upstream: Upstream,
	secrets: string[],
	timeoutMs: number,
	last?: LastRoute,
): (error: unknown) => void {
	return (error) => {
		const failedOver = last?.route === 'openrouter';
		const gateway = gatewayErrorOf(error, failedOver ? 'openrouter' : upstream, secrets, timeoutMs);
		if (!gateway) return;
		if (((error as SdkError).retriesLeft ?? 0) > 0 && RETRYABLE.has(gateway.kind)) return;
		const prefix = failedOver
			? `LiteLLM failed over (${last.reason}) and OpenRouter failed too. `
			: '';
		throw toNodeApiError(node, gateway, 0, secrets, prefix);
	};
}
