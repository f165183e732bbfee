/**
 * Slack incoming-webhook receiver: `POST /services/T000/B000/XXXX`-style paths, JSON bodies (`text`,
 * `blocks`, …) or `application/x-www-form-urlencoded` with a `payload=` JSON field, as Slack accepts both.
 * Answers like Slack: **200 `ok` text/plain** on success; errors are text/plain codes from Slack's
 * incoming-webhook docs: 400 `invalid_payload` (body not JSON), 400 `no_text` (neither text nor blocks),
 * 404 `no_service` (unknown webhook when `webhookPaths` is set), 429 `rate_limited` with `Retry-After`.
 * Choice: an injected 500 answers `internal_error` (Slack documents no body for it).
 */
import { SimServer, type LedgerEntry, type SimRequest, type SimResponse } from '../http/server';

export interface SlackMessage {
	/** `/services/T…/B…/…` the message was posted to. */
	path: string;
	text?: string;
	blocks?: unknown[];
	/** The whole parsed payload. */
	payload: Record<string, unknown>;
	at: number;
}

export interface SlackReceiverOptions {
	/** Accepted webhook paths; any `/services/a/b/c` when omitted. */
	webhookPaths?: string[];
}

const text = (status: number, body: string, headers?: Record<string, string>): SimResponse => ({
	status,
	headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
	body,
});

export class SlackReceiver {
	readonly server = new SimServer('slack');

	readonly messages: SlackMessage[] = [];

	constructor(private readonly options: SlackReceiverOptions = {}) {
		this.server.route('POST', '/services/:team/:bot/:secret', (req) => this.receive(req));
	}

	start(port = 0): Promise<string> {
		return this.server.start(port);
	}

	stop(): Promise<void> {
		return this.server.stop();
	}

	get url(): string {
		return this.server.url;
	}

	get ledger(): LedgerEntry[] {
		return this.server.ledger;
	}

	/** A full webhook URL for this receiver. */
	webhookUrl(path = '/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX'): string {
		return `${this.url}${path}`;
	}

	/** Next `times` posts answer 429 `rate_limited` with `Retry-After: <seconds>`. */
	rateLimitNext(retryAfterSeconds = 1, times = 1): void {
		this.server.faults.add(
			{
				kind: 'status',
				status: 429,
				body: 'rate_limited',
				headers: { 'retry-after': String(retryAfterSeconds) },
			},
			{ method: 'POST', path: '/services/', times },
		);
	}

	/** Next `times` posts answer 500 `internal_error`. */
	failNext(times = 1, status = 500): void {
		this.server.faults.add(
			{ kind: 'status', status, body: 'internal_error' },
			{ method: 'POST', path: '/services/', times },
		);
	}

	private receive(req: SimRequest): SimResponse {
		if (this.options.webhookPaths && !this.options.webhookPaths.includes(req.path))
			return text(404, 'no_service');
		const payload = parsePayload(req);
		if (!payload) return text(400, 'invalid_payload');
		const hasText = typeof payload.text === 'string' && payload.text.length > 0;
		const blocks = Array.isArray(payload.blocks) ? payload.blocks : undefined;
		if (!hasText && !blocks?.length) return text(400, 'no_text');
		this.messages.push({
			path: req.path,
			text: hasText ? (payload.text as string) : undefined,
			blocks,
			payload,
			at: Date.now(),
		});
		return text(200, 'ok');
	}
}

function parsePayload(req: SimRequest): Record<string, unknown> | undefined {
	const contentType = String(req.headers['content-type'] ?? '');
	let value: unknown = req.body;
	if (contentType.startsWith('application/x-www-form-urlencoded')) {
		const raw = new URLSearchParams(req.rawBody).get('payload');
		try {
			value = raw ? JSON.parse(raw) : undefined;
		} catch {
			value = undefined;
		}
	}
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}
