/**
 * An OpenAI-compatible server that answers every chat call after a fixed latency, for the real-n8n bench.
 * The latency is part of the base URL (`<url>/latency/<ms>/v1`), so one server serves every row and every
 * node: n8n's OpenAI node and HTTP Request node, and the LiteLLM Chat node (which also asks
 * `GET /v1/models` once per execution; the list holds the bench model). The answer is fixed and small, with
 * LiteLLM's cost header, so every node parses the same bytes and the server's own work is negligible.
 *
 * As a `hostInChild` module: `start()` resolves `{ info: { url }, stop }`; the count of chat calls it
 * answered is at `GET <url>/calls`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const BENCH_MODEL = 'gpt-4o-mini';
export const BENCH_KEY = 'sk-bench-latency-server-0001';

export interface ChatLatencyServer {
	url: string;
}

/** The base URL (what a credential's URL field holds) for answers after `latencyMs`. */
export function latencyBaseUrl(serverUrl: string, latencyMs: number): string {
	return `${serverUrl}/latency/${latencyMs}/v1`;
}

/** LiteLLM serves its OpenAI routes with and without /v1 (the Chat node calls `/chat/completions`). */
const ROUTE = /^\/latency\/(\d+)(?:\/v1)?\/(chat\/completions|models)$/;

const ANSWER = JSON.stringify({
	id: 'chatcmpl-bench',
	object: 'chat.completion',
	created: 1_700_000_000,
	model: BENCH_MODEL,
	choices: [
		{
			index: 0,
			message: { role: 'assistant', content: 'A short answer.' },
			finish_reason: 'stop',
		},
	],
	usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 },
});
const MODELS = JSON.stringify({ object: 'list', data: [{ id: BENCH_MODEL, object: 'model' }] });

function send(res: ServerResponse, status: number, body: string, cost?: string): void {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (cost) headers['x-litellm-response-cost'] = cost;
	res.writeHead(status, headers).end(body);
}

export async function start() {
	let calls = 0;
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		// The body is read (as a real server would) before answering.
		req.resume();
		req.once('end', () => {
			const url = req.url ?? '';
			if (url === '/calls') return send(res, 200, JSON.stringify({ calls }));
			const match = ROUTE.exec(url);
			if (!match) return send(res, 404, '{"error":{"message":"not found"}}');
			if (req.headers.authorization !== `Bearer ${BENCH_KEY}`)
				return send(res, 401, '{"error":{"message":"bad key"}}');
			if (match[2] === 'models') return send(res, 200, MODELS);
			calls++;
			const latency = Number(match[1]);
			if (latency === 0) return send(res, 200, ANSWER, '0.000012');
			setTimeout(() => send(res, 200, ANSWER, '0.000012'), latency);
		});
	});
	server.keepAliveTimeout = 60_000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const info: ChatLatencyServer = {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
	};
	return {
		info,
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
