/**
 * Typed gateway errors, built from the status code and the error envelope (openai-node's APIError.generate,
 * ky's one class per kind). Failover and the node's messages branch on the class, never on message text.
 * No instance ever holds a key or a request body: `excerpt` is already short and redacted.
 */
export type Upstream = 'litellm' | 'openrouter' | 'infisical' | (string & {});

export interface GatewayErrorInit {
	upstream: Upstream;
	message: string;
	status?: number;
	/** `error.type` of LiteLLM's envelope, or OpenRouter's metadata reason. */
	errorType?: string;
	/** `error.code` as the server sent it (LiteLLM: the status as a string). */
	code?: string;
	param?: string;
	/** A short, redacted excerpt of the body, for the error description. */
	excerpt?: string;
	/** Low-level cause code, e.g. ECONNREFUSED. */
	causeCode?: string;
	retryAfterMs?: number;
	/** The HTTP status actually received, when `status` was read from the body (OpenRouter's 200 with an error). */
	httpStatus?: number;
}

export abstract class GatewayError extends Error {
	abstract readonly kind: string;

	readonly upstream: Upstream;

	readonly status?: number;

	readonly errorType?: string;

	readonly code?: string;

	readonly param?: string;

	readonly excerpt?: string;

	readonly causeCode?: string;

	readonly retryAfterMs?: number;

	readonly httpStatus?: number;

	constructor(init: GatewayErrorInit) {
		super(init.message);
		this.name = new.target.name;
		this.upstream = init.upstream;
		this.status = init.status;
		this.errorType = init.errorType;
		this.code = init.code;
		this.param = init.param;
		this.excerpt = init.excerpt;
		this.causeCode = init.causeCode;
		this.retryAfterMs = init.retryAfterMs;
		this.httpStatus = init.httpStatus;
	}
}

/** Refused, reset, DNS or TLS failure: the server was not reached or dropped the connection. */
export class ConnectionError extends GatewayError {
	readonly kind = 'connection';
}

/** The execution was stopped while the request was in flight. Carries nothing of the request. */
export class CancelledError extends GatewayError {
	readonly kind = 'cancelled';
}

/** No answer within the per-try timeout. */
export class TimeoutError extends GatewayError {
	readonly kind = 'timeout';
}

/** 401: unknown, expired, blocked or malformed key. */
export class AuthenticationError extends GatewayError {
	readonly kind = 'authentication';
}

/** 403 `key_model_access_denied`: the key's `models` allow-list does not include the model. */
export class ModelAccessDeniedError extends GatewayError {
	readonly kind = 'model_access_denied';
}

/** 403 of any other kind (not a proxy admin, moderation on OpenRouter). */
export class PermissionDeniedError extends GatewayError {
	readonly kind = 'permission_denied';
}

/** 429 `budget_exceeded`: a key, user or team budget is spent. Retrying elsewhere would dodge the budget. */
export class BudgetExceededError extends GatewayError {
	readonly kind = 'budget_exceeded';
}

/** 429 that is a real rate limit (tpm/rpm, provider limit). */
export class RateLimitError extends GatewayError {
	readonly kind = 'rate_limited';
}

/** 429 "No deployments available": every deployment of the group is cooling down. */
export class NoDeploymentsError extends GatewayError {
	readonly kind = 'no_deployments';
}

/** 402 on OpenRouter: no credits, or the key's credit limit is reached. */
export class InsufficientCreditsError extends GatewayError {
	readonly kind = 'insufficient_credits';
}

/** 400 "Invalid model name passed in model=…". */
export class InvalidModelError extends GatewayError {
	readonly kind = 'invalid_model';
}

/** 400 ContextWindowExceededError: the prompt does not fit the model. */
export class ContextWindowError extends GatewayError {
	readonly kind = 'context_window';
}

/** 400 ContentPolicyViolationError. */
export class ContentPolicyError extends GatewayError {
	readonly kind = 'content_policy';
}

/** Any other 400. */
export class BadRequestError extends GatewayError {
	readonly kind = 'bad_request';
}

export class NotFoundError extends GatewayError {
	readonly kind = 'not_found';
}

export class UnprocessableError extends GatewayError {
	readonly kind = 'unprocessable';
}

/** 502, 503, 504: a gateway or the proxy itself is unavailable (often an HTML page from a reverse proxy). */
export class ServiceUnavailableError extends GatewayError {
	readonly kind = 'service_unavailable';
}

/**
 * The upstream LLM provider failed behind the proxy (LiteLLM's `litellm.<Class>` messages, 500, and 408, which
 * LiteLLM answers when the provider timed out: the proxy itself is up).
 */
export class UpstreamProviderError extends GatewayError {
	readonly kind = 'upstream_provider';
}

/**
 * LiteLLM runs without a database (no DATABASE_URL): virtual keys, spend logs and stored credentials or models
 * are unavailable. It answers 500 "Database not connected", "DB not connected", "Not connected to DB!" or
 * "No DB Connected" on management routes, and 400 `no_db_connection` to a virtual key (docs/upstreams.md).
 */
export class NoDatabaseError extends GatewayError {
	readonly kind = 'no_database';
}

/** 2xx whose body is not the JSON promised: truncated, HTML, plain text, or too large. */
export class ProtocolError extends GatewayError {
	readonly kind = 'protocol';
}

/** Any other status. */
export class UnexpectedStatusError extends GatewayError {
	readonly kind = 'unexpected_status';
}

export type GatewayErrorKind = GatewayError['kind'];
