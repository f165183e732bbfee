import { type INode, NodeApiError, type JsonObject } from 'n8n-workflow';

import { redactText } from '../redact';
import { causeText } from './cause-text';
import type { GatewayError } from './classes';
import { withFacts } from './error-item';

const NAMES: Record<string, string> = {
	litellm: 'LiteLLM',
	openrouter: 'OpenRouter',
	infisical: 'Infisical',
};

/** LiteLLM and OpenRouter relay to LLM providers; Infisical (the key store) does not. */
const isProxy = (error: GatewayError) => error.upstream !== 'infisical';

/** What a person should do about each kind of failure. */
function advice(error: GatewayError, who: string): string {
	switch (error.kind) {
		case 'connection':
			return `Could not reach ${who} (${causeText(error.causeCode)}): check that it runs and that the credential's Base URL is right`;
		case 'cancelled':
			return `The request to ${who} was cancelled because the execution was stopped`;
		case 'timeout':
			if (!isProxy(error))
				return `${who} did not answer in time: check that it runs and is not overloaded`;
			return `${who} did not answer in time: raise the timeout or check the upstream model's health`;
		case 'authentication':
			return `${who} rejected the API key (401): check the key in the credential (it may be unknown, expired or blocked)`;
		case 'model_access_denied':
			return `This ${who} key may not use this model (403): add the model to the key's models or pick another model`;
		case 'permission_denied':
			return `${who} refused the request (403): the key lacks the permission for it`;
		case 'budget_exceeded':
			return `The ${who} budget is exceeded (429 budget_exceeded): raise max_budget or wait for the budget reset`;
		case 'rate_limited':
			return `Rate limited by ${who} (429): slow down, or raise the key's rpm/tpm limits`;
		case 'no_deployments':
			return `${who} has no healthy deployment for this model right now (429, all cooling down): retry later or enable failover`;
		case 'insufficient_credits':
			return `${who} has no credits left for this key (402): top up credits or raise the key's limit`;
		case 'invalid_model':
			return `${who} does not know this model (400): pick a model from the list`;
		case 'context_window':
			return `The prompt is longer than the model's context window (400): shorten it or choose a model with a larger window`;
		case 'content_policy':
			return `The provider refused the content (400 content policy)`;
		case 'bad_request':
			return `${who} rejected the request (400): check the node's options`;
		case 'not_found':
			return `${who} answered 404 Not Found`;
		case 'unprocessable':
			return `${who} could not process the request (422): check the node's options`;
		case 'service_unavailable':
			return `${who} is unavailable (${error.status})`;
		case 'upstream_provider':
			// Only a proxy has an LLM provider behind it; a 5xx of the key store is the key store's own failure.
			if (!isProxy(error)) return `${who} failed with a server error (${error.status})`;
			return `The upstream LLM provider failed behind ${who} (${error.status})`;
		case 'no_database':
			return `${who} runs without a database: virtual keys, spend logs and stored credentials need one. Give the proxy a Postgres in DATABASE_URL (general_settings.database_url) and restart it`;
		case 'protocol':
			return `${who} answered ${error.status ?? ''} with a body that is not the JSON expected: ${error.message}`;
		default:
			return `${who} answered ${error.status ?? 'an error'}`;
	}
}

/**
 * The NodeApiError a user sees: an actionable message, and a description with the status, the server's own
 * message and a short excerpt, all redacted. The original request (and its Authorization header) is never
 * attached, unlike n8n's default wrapping of HTTP errors.
 */
export function toNodeApiError(
	node: INode,
	error: GatewayError,
	itemIndex: number,
	secrets: Array<string | undefined> = [],
	prefix = '',
): NodeApiError {
	const who = NAMES[error.upstream] ?? error.upstream;
	const retryAfterSeconds =
		error.retryAfterMs !== undefined ? Math.ceil(error.retryAfterMs / 1000) : undefined;
	const retry = retryAfterSeconds !== undefined ? ` (retry after ${retryAfterSeconds} s)` : '';
	const inBody =
		error.httpStatus !== undefined
			? ` (sent as an error in the body of an HTTP ${error.httpStatus} answer, code ${error.status}: the provider failed after the answer started)`
			: '';
	const message = redactText(`${prefix}${advice(error, who)}${inBody}${retry}`, secrets);
	const parts = [
		error.status !== undefined ? `HTTP ${error.httpStatus ?? error.status}` : undefined,
		error.httpStatus !== undefined ? `error code in body ${error.status}` : undefined,
		error.causeCode ? `cause ${error.causeCode}` : undefined,
		error.errorType ? `type ${error.errorType}` : undefined,
		error.message ? `message: ${redactText(error.message, secrets)}` : undefined,
		error.excerpt ? `body: ${error.excerpt}` : undefined,
	].filter(Boolean);
	const body: JsonObject = { message, kind: error.kind, upstream: error.upstream };
	const apiError = new NodeApiError(node, body, {
		message,
		description: redactText(parts.join(' | '), secrets),
		httpCode: error.status !== undefined ? String(error.status) : undefined,
		itemIndex,
	});
	return withFacts(apiError, {
		kind: error.kind,
		upstream: error.upstream,
		causeCode: error.causeCode,
		errorType: error.errorType,
		retryAfterSeconds,
	});
}
