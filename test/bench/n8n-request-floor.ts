/**
 * The floor of n8n's own request path: the same requests sent through the function n8n's
 * `helpers.httpRequest` / `httpRequestWithAuthentication` end in (`httpRequest` of @n8n/backend-network, axios
 * with a new agent per request, i.e. a new connection per call), with the options the package's transport
 * passes, `limit` at a time, and nothing else. A node using n8n's helpers cannot be faster than this; the gap
 * between it and a bare undici loop (pooled keep-alive connections) is n8n's, not the node's.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import type { IHttpRequestOptions } from 'n8n-workflow';

export type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/** Not in the package's `exports`: loaded by file path from the installed n8n version. */
export function n8nHttpRequest(): HttpRequest {
	const require = createRequire(__filename);
	const entry = require.resolve('@n8n/backend-network');
	const file = path.join(path.dirname(entry), 'http', 'axios', 'request.js');
	return (require(file) as { httpRequest: HttpRequest }).httpRequest;
}

export interface FloorRequest {
	url: string;
	method: string;
	headers: Record<string, string>;
	body?: string;
}

/** Sends every request through n8n's request function, `limit` at a time; returns the wall time in ms. */
export async function n8nRequestFloor(requests: FloorRequest[], limit: number): Promise<number> {
	const httpRequest = n8nHttpRequest();
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: limit }, async () => {
			while (next < requests.length) {
				const r = requests[next++];
				await httpRequest({
					url: r.url,
					method: r.method as IHttpRequestOptions['method'],
					headers: { Accept: 'application/json', ...r.headers },
					body: r.body,
					encoding: 'text',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: 15_000,
				});
			}
		}),
	);
	return performance.now() - started;
}
