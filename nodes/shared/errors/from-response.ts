import type { RawResponse } from '../transport/http';
import { redactText } from '../redact';
import {
	AuthenticationError,
	BadRequestError,
	BudgetExceededError,
	ContentPolicyError,
	ContextWindowError,
	type GatewayError,
	type GatewayErrorInit,
	InsufficientCreditsError,
	InvalidModelError,
	ModelAccessDeniedError,
	NoDatabaseError,
	NoDeploymentsError,
	NotFoundError,
	PermissionDeniedError,
	ProtocolError,
	RateLimitError,
	ServiceUnavailableError,
	UnexpectedStatusError,
	UnprocessableError,
	UpstreamProviderError,
	type Upstream,
} from './classes';
import { bodyExcerpt, readEnvelope, retryAfterMs } from './envelope';

/** LiteLLM's wordings for "this proxy has no database" (litellm 1.83.7; they differ per route). */
const NO_DATABASE =
	/(database not connected|db not connected|not connected to db|no db connected|no connected db)/i;

/**
 * Builds the typed error for a non-2xx answer (or a 2xx carrying an error body, as OpenRouter does).
 * Works for LiteLLM and OpenRouter alike: the status decides first, then `error.type`, then the few
 * message prefixes LiteLLM gives no type for ("No deployments available", "Invalid model name",
 * "ContextWindowExceededError").
 */
export function errorFromResponse(
	upstream: Upstream,
	response: RawResponse,
	secrets: Array<string | undefined>,
	statusOverride?: number,
): GatewayError {
	const status = statusOverride ?? response.status;
	const envelope = readEnvelope(response.json);
	const rawMessage = envelope.message ?? `HTTP ${status}`;
	const message = redactText(rawMessage, secrets).slice(0, 500);
	const init: GatewayErrorInit = {
		upstream,
		status,
		message,
		errorType: envelope.type ?? (envelope.metadata?.reason as string | undefined),
		code: envelope.code,
		param: envelope.param,
		excerpt: bodyExcerpt(response.text, secrets),
		retryAfterMs: retryAfterMs(response.headers),
		httpStatus: status !== response.status ? response.status : undefined,
	};
	const type = envelope.type ?? '';
	if (upstream === 'litellm' && (type === 'no_db_connection' || NO_DATABASE.test(rawMessage)))
		return new NoDatabaseError(init);

	switch (status) {
		case 400:
			if (/Invalid model name/i.test(rawMessage)) return new InvalidModelError(init);
			if (/ContextWindowExceeded|context length|context window|maximum context/i.test(rawMessage))
				return new ContextWindowError(init);
			if (/ContentPolicyViolation/i.test(rawMessage)) return new ContentPolicyError(init);
			return new BadRequestError(init);
		case 401:
			return new AuthenticationError(init);
		case 402:
			return new InsufficientCreditsError(init);
		case 403:
			if (type === 'key_model_access_denied') return new ModelAccessDeniedError(init);
			return new PermissionDeniedError(init);
		case 404:
			return new NotFoundError(init);
		case 408:
			return new UpstreamProviderError(init);
		case 422:
			return new UnprocessableError(init);
		case 429:
			if (type === 'budget_exceeded') return new BudgetExceededError(init);
			if (/No deployments available/i.test(rawMessage)) return new NoDeploymentsError(init);
			return new RateLimitError(init);
		case 502:
		case 503:
		case 504:
			// LiteLLM's own envelope means the proxy is up and a provider behind it failed for this model group;
			// an HTML or empty page (a reverse proxy) or OpenRouter's answer means the gateway itself is down.
			if (upstream === 'litellm' && isLiteLlmEnvelope(response.json))
				return new UpstreamProviderError(init);
			return new ServiceUnavailableError(init);
		default:
			if (status >= 500) return new UpstreamProviderError(init);
			if (status >= 200 && status < 300) return new ProtocolError(init);
			return new UnexpectedStatusError(init);
	}
}

/** `{error:{message}}`: the body LiteLLM (FastAPI's exception handler) writes for every error it raises. */
function isLiteLlmEnvelope(body: unknown): boolean {
	const error = (body as { error?: unknown } | undefined)?.error;
	return (
		!!error &&
		typeof error === 'object' &&
		typeof (error as { message?: unknown }).message === 'string'
	);
}

/** A 2xx whose body is not the JSON promised (truncated, HTML, text). */
export function protocolError(
	upstream: Upstream,
	response: RawResponse,
	what: string,
	secrets: Array<string | undefined>,
): ProtocolError {
	return new ProtocolError({
		upstream,
		status: response.status,
		message: what,
		excerpt: bodyExcerpt(response.text, secrets),
	});
}
