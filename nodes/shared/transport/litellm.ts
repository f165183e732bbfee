import type { IAdditionalCredentialOptions } from 'n8n-workflow';

import { errorFromResponse, protocolError } from '../errors/from-response';
import { checkedBaseUrl } from './base-url';
import { type HttpCall, type HttpContext, type RawResponse, sendRequest } from './http';

export const LITELLM_CREDENTIAL = 'liteLlmApi';

/** Where the proxy is and which secrets must never show up in anything we print. */
export interface LiteLlmConnection {
	baseUrl: string;
	secrets: string[];
	/**
	 * The credential as read once per execution. Handing it to every request spares n8n a credential lookup
	 * and decryption per call, which a node sending thousands of items otherwise pays each time.
	 */
	credentialOptions: IAdditionalCredentialOptions;
}

export async function liteLlmConnection(ctx: HttpContext): Promise<LiteLlmConnection> {
	const credentials = await ctx.getCredentials(LITELLM_CREDENTIAL);
	const reference = ctx.getNode().credentials?.[LITELLM_CREDENTIAL];
	return {
		baseUrl: checkedBaseUrl(ctx.getNode(), credentials.baseUrl, 'LiteLLM API', { stripV1: true }),
		secrets: [String(credentials.apiKey ?? '')],
		credentialOptions: {
			credentialsDecrypted: {
				id: reference?.id ?? '',
				name: reference?.name ?? '',
				type: LITELLM_CREDENTIAL,
				data: credentials,
			},
		},
	};
}

export type LiteLlmCall = Omit<HttpCall, 'url'> & { path: string };

/** A call to the proxy; non-2xx answers become typed GatewayErrors, 2xx must be JSON. */
export async function liteLlmRequest<T>(
	ctx: HttpContext,
	connection: LiteLlmConnection,
	call: LiteLlmCall,
): Promise<{ data: T; response: RawResponse }> {
	const response = await sendRequest(
		ctx,
		LITELLM_CREDENTIAL,
		'litellm',
		{ ...call, url: `${connection.baseUrl}${call.path}` },
		connection.secrets,
		connection.credentialOptions,
	);
	if (response.status < 200 || response.status >= 300) {
		throw errorFromResponse('litellm', response, connection.secrets);
	}
	if (response.json === undefined) {
		throw protocolError(
			'litellm',
			response,
			'the body is not valid JSON (truncated or not JSON)',
			connection.secrets,
		);
	}
	return { data: response.json as T, response };
}
