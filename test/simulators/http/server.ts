/**
 * The plumbing every simulator shares: a node:http server on 127.0.0.1 with an ephemeral port, a route
 * table, a request ledger, fault injection, and clean shutdown (keep-alive sockets included, or jest hangs).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { applyFault, type Fault, FaultPlan, isAfterEffect } from './faults';

export interface SimRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	/** Raw body text ('' when none). */
	rawBody: string;
	/** Parsed JSON body, or undefined when the body is empty or not JSON. */
	body: unknown;
	/** Path parameters captured by `:name` segments of the route pattern. */
	params: Record<string, string>;
}

export interface SimResponse {
	status: number;
	headers?: Record<string, string>;
	/** Objects and arrays are sent as JSON; strings as given (set content-type yourself). */
	body?: unknown;
}

/**
 * `res` is the raw response, for handlers that stream (SSE) and answer 'stream-handled'. Prefer it to
 * `streamTarget`, which a concurrent request can overwrite while a handler awaits.
 */
export type RouteHandler = (
	req: SimRequest,
	res: ServerResponse,
) => SimResponse | Promise<SimResponse | 'stream-handled'> | 'stream-handled';

export interface Route {
	method: string;
	/** e.g. `/key/:hash/regenerate`; matched segment by segment. */
	pattern: string;
	handler: RouteHandler;
}

/** One line of the ledger: what arrived and what was answered. Tests assert order and content. */
export interface LedgerEntry {
	at: number;
	method: string;
	path: string;
	query: string;
	headers: IncomingMessage['headers'];
	body: unknown;
	status: number;
	fault?: Fault['kind'];
}

export interface RawResponder {
	res: ServerResponse;
}

export class SimServer {
	readonly ledger: LedgerEntry[] = [];

	readonly faults = new FaultPlan();

	private readonly routes: Route[] = [];

	private readonly sockets = new Set<Socket>();

	/** Requests a `hang` fault holds unanswered. */
	private readonly hung = new Set<ServerResponse>();

	private server?: Server;

	private baseUrl = '';

	/** Handlers that need the raw response (SSE streaming) receive it here. */
	streamTarget?: ServerResponse;

	constructor(private readonly name: string) {}

	get url(): string {
		if (!this.baseUrl) throw new Error(`${this.name} simulator is not started`);
		return this.baseUrl;
	}

	get port(): number {
		return (this.server?.address() as AddressInfo).port;
	}

	route(method: string, pattern: string, handler: RouteHandler): this {
		this.routes.push({ method: method.toUpperCase(), pattern, handler });
		return this;
	}

	/** Starts on 127.0.0.1; `port` 0 (default) picks a free one. */
	async start(port = 0): Promise<string> {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 5_000;
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, '127.0.0.1', () => resolve());
		});
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		for (const socket of this.sockets) socket.destroy();
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Cuts every request a `hang` fault holds (the caller sees a reset), as when a stalled peer gives up. */
	dropHung(): void {
		for (const res of this.hung) res.socket?.destroy();
		this.hung.clear();
	}

	/** Requests seen on one path (and method, when given). */
	calls(path: string, method?: string): LedgerEntry[] {
		return this.ledger.filter(
			(e) => e.path === path && (!method || e.method === method.toUpperCase()),
		);
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const rawBody = await readBody(req);
		const url = new URL(req.url ?? '/', 'http://sim');
		const entry: LedgerEntry = {
			at: Date.now(),
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.search,
			headers: req.headers,
			body: parseJson(rawBody),
			status: 0,
		};
		this.ledger.push(entry);

		const fault = this.faults.take(entry.method, entry.path);
		const holds =
			fault && (fault.kind === 'hang' || (isAfterEffect(fault) && fault.then === 'hang'));
		if (holds) this.hung.add(res);
		if (fault && !isAfterEffect(fault)) {
			entry.fault = fault.kind;
			const handledByFault = await applyFault(fault, res);
			if (handledByFault) {
				entry.status = res.statusCode;
				return;
			}
		}

		const match = this.match(entry.method, url.pathname);
		if (!match) {
			send(res, { status: 404, body: { detail: 'Not Found' } });
			entry.status = 404;
			return;
		}
		const simReq: SimRequest = {
			method: entry.method,
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			rawBody,
			body: entry.body,
			params: match.params,
		};
		try {
			this.streamTarget = res;
			const answer = await match.route.handler(simReq, res);
			this.streamTarget = undefined;
			if (fault && isAfterEffect(fault) && answer !== 'stream-handled') {
				entry.fault = fault.kind;
				entry.status = answer.status;
				await applyFault(fault, res);
				return;
			}
			if (answer === 'stream-handled') {
				entry.status = res.statusCode;
				return;
			}
			send(res, answer);
			entry.status = answer.status;
		} catch (error) {
			// A streaming handler may fail after its headers went out: nothing valid can follow, so cut the socket.
			if (res.headersSent) {
				res.destroy();
				entry.status = res.statusCode;
				return;
			}
			send(res, {
				status: 500,
				body: { error: { message: `simulator bug: ${(error as Error).message}` } },
			});
			entry.status = 500;
		}
	}

	private match(
		method: string,
		path: string,
	): { route: Route; params: Record<string, string> } | undefined {
		const parts = path.split('/').filter(Boolean);
		for (const route of this.routes) {
			if (route.method !== method) continue;
			const pattern = route.pattern.split('/').filter(Boolean);
			if (pattern.length !== parts.length) continue;
			const params: Record<string, string> = {};
			const ok = pattern.every((seg, i) => {
				if (seg.startsWith(':')) {
					params[seg.slice(1)] = decodeURIComponent(parts[i]);
					return true;
				}
				return seg === parts[i];
			});
			if (ok) return { route, params };
		}
		return undefined;
	}
}

export function send(res: ServerResponse, answer: SimResponse): void {
	const headers: Record<string, string> = { ...(answer.headers ?? {}) };
	let payload = '';
	if (answer.body !== undefined) {
		if (typeof answer.body === 'string') {
			payload = answer.body;
			headers['content-type'] ??= 'text/plain; charset=utf-8';
		} else {
			payload = JSON.stringify(answer.body);
			headers['content-type'] ??= 'application/json';
		}
	}
	headers['content-length'] = String(Buffer.byteLength(payload));
	res.writeHead(answer.status, headers);
	res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
