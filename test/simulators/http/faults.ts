/**
 * Fault injection shared by the simulators, modelled on Toxiproxy's toxics:
 * latency, a status with a body, connection reset, accept-and-hang, truncated JSON, non-JSON text and an
 * HTML error page from a reverse proxy. Faults match a path (prefix) and method, and last `times` requests
 * (default: until cleared).
 */
import type { ServerResponse } from 'node:http';

export type Fault =
	| { kind: 'latency'; ms: number }
	/** Any status and body, e.g. a 503 or a LiteLLM 429 envelope. */
	| { kind: 'status'; status: number; body: unknown; headers?: Record<string, string> }
	/** Destroys the socket before any byte is answered (ECONNRESET at the client). */
	| { kind: 'reset' }
	/** Accepts the request and never answers (until the simulator stops). */
	| { kind: 'hang' }
	/** 200 with half of a JSON body, then the connection closes. */
	| { kind: 'truncated'; body: unknown }
	/** 200 with a text/plain body that is not JSON. */
	| { kind: 'non_json'; text?: string }
	/** A reverse proxy's HTML error page, e.g. nginx's 502. */
	| { kind: 'html'; status?: number }
	/**
	 * The request takes effect (the route's handler runs), then the answer is lost: `reset` destroys the
	 * socket (a timeout or reset after commit), `hang` never answers (the caller died waiting).
	 */
	| { kind: 'after_effect'; then: 'reset' | 'hang' };

/** Faults that let the request take effect first (the server applies them after the handler). */
export const isAfterEffect = (fault: Fault): fault is Extract<Fault, { kind: 'after_effect' }> =>
	fault.kind === 'after_effect';

interface Armed {
	fault: Fault;
	method?: string;
	pathPrefix?: string;
	/** Matching requests let through before the fault applies. */
	skip: number;
	/** Match the path exactly instead of as a prefix. */
	exact: boolean;
	remaining: number;
	when?: () => boolean;
}

export class FaultPlan {
	private armed: Armed[] = [];

	/** Arms a fault. `times` counts requests it applies to (default Infinity). */
	add(
		fault: Fault,
		options: {
			method?: string;
			path?: string;
			times?: number;
			skip?: number;
			exact?: boolean;
			/** Applies only while this holds, checked at each request (a fault aimed at a later step of a run). */
			when?: () => boolean;
		} = {},
	): this {
		this.armed.push({
			fault,
			method: options.method?.toUpperCase(),
			pathPrefix: options.path,
			skip: options.skip ?? 0,
			exact: options.exact ?? false,
			remaining: options.times ?? Infinity,
			when: options.when,
		});
		return this;
	}

	clear(): void {
		this.armed = [];
	}

	/**
	 * The first armed fault matching this request, consumed once. Every matching fault counts the request
	 * against its own `skip`, so two faults aimed at the 2nd and 4th call of one path each hit theirs.
	 */
	take(method: string, path: string): Fault | undefined {
		const matching = this.armed.filter(
			(a) =>
				a.remaining > 0 &&
				(!a.method || a.method === method) &&
				(!a.pathPrefix || (a.exact ? path === a.pathPrefix : path.startsWith(a.pathPrefix))) &&
				(!a.when || a.when()),
		);
		const hit = matching.find((a) => a.skip === 0);
		for (const a of matching) if (a !== hit && a.skip > 0) a.skip -= 1;
		if (!hit) return undefined;
		hit.remaining -= 1;
		return hit.fault;
	}
}

const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.27.4</center>\r\n</body>\r\n</html>\r\n';

/** Applies a fault. Returns true when the fault answered (or killed) the request; false lets it go on. */
export async function applyFault(fault: Fault, res: ServerResponse): Promise<boolean> {
	switch (fault.kind) {
		case 'after_effect':
			if (fault.then === 'reset') res.socket?.destroy();
			return true;
		case 'latency':
			await new Promise((resolve) => setTimeout(resolve, fault.ms));
			return false;
		case 'status': {
			const text = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
			res.writeHead(fault.status, {
				'content-type': typeof fault.body === 'string' ? 'text/plain' : 'application/json',
				'content-length': String(Buffer.byteLength(text)),
				...(fault.headers ?? {}),
			});
			res.end(text);
			return true;
		}
		case 'reset':
			res.socket?.destroy();
			return true;
		case 'hang':
			return true;
		case 'truncated': {
			const text = JSON.stringify(fault.body);
			const half = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write(half);
			res.end();
			return true;
		}
		case 'non_json': {
			const text = fault.text ?? 'upstream connect error or disconnect/reset before headers';
			res.writeHead(200, {
				'content-type': 'text/plain',
				'content-length': String(Buffer.byteLength(text)),
			});
			res.end(text);
			return true;
		}
		case 'html':
			res.writeHead(fault.status ?? 502, {
				'content-type': 'text/html',
				'content-length': String(Buffer.byteLength(HTML_502)),
			});
			res.end(HTML_502);
			return true;
	}
}
