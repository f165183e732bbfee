/**
 * A streamed chat call to LiteLLM through n8n's request helper (proxy settings and SSRF rules apply as for
 * every other call): the answer's status and headers, and its body as a byte stream. An error status is
 * read to the end and becomes the same typed GatewayError a buffered call gets.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { errorFromResponse, protocolError } from '../errors/from-response';
import { helperRequest, type HttpContext, type RawResponse, toRawResponse } from './http';
import { LITELLM_CREDENTIAL, type LiteLlmConnection } from './litellm';

/** The answer's body as n8n's helper hands it over with `encoding: 'stream'` (a Node readable stream). */
export interface ByteStream extends AsyncIterable<Buffer | string> {
	destroy(): void;
	readonly destroyed: boolean;
}

export interface OpenedStream {
	/** Status and headers; `text` and `json` are empty (the body is still to be read). */
	response: RawResponse;
	body: ByteStream;
}

async function readAll(body: ByteStream): Promise<string> {
	const parts: Buffer[] = [];
	for await (const part of body)
		parts.push(Buffer.isBuffer(part) ? part : Buffer.from(String(part)));
	return Buffer.concat(parts).toString('utf8');
}

export async function openLiteLlmStream(
	ctx: HttpContext,
	connection: LiteLlmConnection,
	body: IDataObject,
	timeoutMs: number,
): Promise<OpenedStream> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `${connection.baseUrl}/chat/completions`,
		body,
		json: true,
		headers: { Accept: 'text/event-stream' },
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Until the answer's headers arrive; the gaps between chunks are bounded by the stall timeout.
		timeout: timeoutMs,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	const { raw, started } = await helperRequest(
		ctx,
		LITELLM_CREDENTIAL,
		'litellm',
		options,
		connection.secrets,
		connection.credentialOptions,
	);
	const stream = raw.body as ByteStream;
	const head = toRawResponse(raw.statusCode, raw.headers, '', started);
	const isEventStream = /text\/event-stream/i.test(head.headers['content-type'] ?? '');
	if (head.status < 200 || head.status >= 300 || !isEventStream) {
		const full = toRawResponse(raw.statusCode, raw.headers, await readAll(stream), started);
		if (head.status < 200 || head.status >= 300)
			throw errorFromResponse('litellm', full, connection.secrets);
		throw protocolError(
			'litellm',
			full,
			'asked for a stream, the proxy answered without one (no text/event-stream)',
			connection.secrets,
		);
	}
	return { response: head, body: stream };
}
