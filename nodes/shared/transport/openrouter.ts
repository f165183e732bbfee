import { errorFromResponse, protocolError } from '../errors/from-response';
import { checkedBaseUrl } from './base-url';
import { type HttpCall, type HttpContext, type RawResponse, sendRequest } from './http';

export const OPENROUTER_CREDENTIAL = 'liteLlmOpenRouterApi';

export const OPENROUTER_DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

export interface OpenRouterConnection {
	baseUrl: string;
	secrets: string[];
}

export async function openRouterConnection(ctx: HttpContext): Promise<OpenRouterConnection> {
	const credentials = await ctx.getCredentials(OPENROUTER_CREDENTIAL);
	return {
		baseUrl: checkedBaseUrl(ctx.getNode(), credentials.baseUrl, 'LiteLLM OpenRouter API', {
			fallback: OPENROUTER_DEFAULT_BASE_URL,
		}),
		secrets: [String(credentials.apiKey ?? '')],
	};
}

export type OpenRouterCall = Omit<HttpCall, 'url'> & { path: string };

/**
 * A call to OpenRouter. Besides non-2xx answers, a 200 whose body is `{error:{code,…}}` is an error too:
 * OpenRouter reports failures after generation started that way; its `code` is the real status.
 */
export async function openRouterRequest<T>(
	ctx: HttpContext,
	connection: OpenRouterConnection,
	call: OpenRouterCall,
): Promise<{ data: T; response: RawResponse }> {
	const response = await sendRequest(
		ctx,
		OPENROUTER_CREDENTIAL,
		'openrouter',
		{ ...call, url: `${connection.baseUrl}${call.path}` },
		connection.secrets,
	);
	if (response.status < 200 || response.status >= 300) {
		throw errorFromResponse('openrouter', response, connection.secrets);
	}
	if (response.json === undefined) {
		throw protocolError(
			'openrouter',
			response,
			'the body is not valid JSON (truncated or not JSON)',
			connection.secrets,
		);
	}
	const failedStatus = statusOfErrorBody(response.json);
	if (failedStatus !== undefined)
		throw errorFromResponse('openrouter', response, connection.secrets, failedStatus);
	return { data: response.json as T, response };
}

/** The status of a 200 that carries `{error:{code}}` and no choices; undefined for a real success. */
function statusOfErrorBody(body: unknown): number | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const { error, choices } = body as { error?: { code?: unknown }; choices?: unknown };
	if (!error || (Array.isArray(choices) && choices.length > 0)) return undefined;
	const code = Number(error.code);
	return Number.isInteger(code) && code >= 400 ? code : 502;
}
