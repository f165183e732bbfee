/**
 * LiteLLM's error envelopes: `{"error":{"message","type","param","code":"<status as string>"}}`,
 * answered with HTTP status int(code).
 *
 * Choices where LiteLLM's documentation and code leave the answer open:
 * - Upstream errors carry `type: null` and `param: null` (as LiteLLM's own examples show).
 * - Router errors without a type of their own (no deployments, invalid model) carry the strings "None"
 *   (LiteLLM's `getattr(e, "type", "None")`).
 * - Status → class: 400 BadRequestError, 401 AuthenticationError, 403 PermissionDeniedError, 404 NotFoundError,
 *   408 Timeout, 422 UnprocessableEntityError, 429 RateLimitError, 500 InternalServerError, 503
 *   ServiceUnavailableError, anything else APIError (LiteLLM keeps the provider's status on it).
 * - Provider prefix: OpenAIException, AnthropicException, GeminiException (newer builds; older ones said
 *   VertexAIException), MistralException, else the provider name capitalised + "Exception".
 */
import type { SimResponse } from '../http/server';
import { pyStr } from './pyfloat';

export interface ProxyErrorBody {
	error: {
		message: string;
		type: string | null;
		param: string | null;
		code: string;
		provider_specific_fields?: Record<string, unknown>;
	};
}

/** An error the proxy answers; `headers` are the custom headers LiteLLM adds to failed LLM calls. */
export class ProxyError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly type: string | null,
		readonly param: string | null,
		readonly extra: { provider_specific_fields?: Record<string, unknown> } = {},
	) {
		super(message);
	}

	body(): ProxyErrorBody {
		return {
			error: {
				message: this.message,
				type: this.type,
				param: this.param,
				code: String(this.status),
				...this.extra,
			},
		};
	}

	toResponse(headers: Record<string, string> = {}): SimResponse {
		return { status: this.status, headers, body: this.body() };
	}
}

export function exceptionClass(status: number): string {
	switch (status) {
		case 400:
			return 'BadRequestError';
		case 401:
			return 'AuthenticationError';
		case 403:
			return 'PermissionDeniedError';
		case 404:
			return 'NotFoundError';
		case 408:
			return 'Timeout';
		case 422:
			return 'UnprocessableEntityError';
		case 429:
			return 'RateLimitError';
		case 500:
			return 'InternalServerError';
		case 503:
			return 'ServiceUnavailableError';
		default:
			return 'APIError';
	}
}

export function providerExceptionName(provider: string): string {
	const names: Record<string, string> = {
		openai: 'OpenAIException',
		anthropic: 'AnthropicException',
		gemini: 'GeminiException',
		vertex_ai: 'VertexAIException',
		mistral: 'MistralException',
		azure: 'AzureException',
		openrouter: 'OpenrouterException',
		together_ai: 'Together_aiException',
	};
	return names[provider] ?? `${provider.charAt(0).toUpperCase()}${provider.slice(1)}Exception`;
}

/**
 * A failure of one upstream call (one deployment, one attempt), before the router decides on retries and
 * fallbacks. `className` is the LiteLLM exception class (ContextWindowExceededError is a 400 subtype).
 */
export class UpstreamError extends Error {
	constructor(
		readonly status: number,
		readonly provider: string,
		readonly providerText: string,
		readonly className: string = exceptionClass(status),
	) {
		super(providerText);
	}

	/** `litellm.<Class>: <Class>: <Provider>Exception - <text>`, the message before the router's suffix. */
	litellmMessage(): string {
		return `litellm.${this.className}: ${this.className}: ${providerExceptionName(this.provider)} - ${this.providerText}`;
	}

	/**
	 * The proxy's answer once the router gave up on group `group`. LiteLLM appends the suffix to the message
	 * as is, so a provider text ending in '.' gives '..' (real LiteLLM messages show that too).
	 */
	toProxyError(group: string, fallbacks: string[] | undefined): ProxyError {
		const message =
			`${this.litellmMessage()}. Received Model Group=${group}\n` +
			`Available Model Group Fallbacks=${fallbacks && fallbacks.length ? pyStr(fallbacks) : 'None'}`;
		return new ProxyError(this.status, message, null, null);
	}
}

/** The typical provider text for a status, when a test does not give one. */
export function defaultProviderText(status: number): string {
	switch (status) {
		case 401:
			return 'Incorrect API key provided: sk-****3456. You can find your API key at https://platform.openai.com/account/api-keys.';
		case 403:
			return 'You are not allowed to sample from this model';
		case 404:
			return 'The model does not exist or you do not have access to it.';
		case 408:
			return 'Request timed out.';
		case 429:
			return 'Rate limit reached for requests. Please try again in 1s.';
		case 500:
			return 'The server had an error while processing your request. Sorry about that!';
		case 502:
			return 'Bad gateway.';
		case 503:
			return 'The engine is currently overloaded, please try again later.';
		default:
			return `Upstream error ${status}`;
	}
}
