/**
 * OpenRouter's management-key API (`/api/v1/keys`), registrable onto any SimServer so the OpenRouter
 * chat simulator (test/simulators/openrouter, another room) can share its key table: pass
 * `onCreate`/`onDelete`/`onUpdate`, or ask `isActive(key)` from the chat side.
 *
 * From the OpenRouter docs and SDK models :
 *   GET    {prefix}/keys?offset&include_disabled → {data:[record…]} (100 per page)
 *   POST   {prefix}/keys {name, limit?, limit_reset?, include_byok_in_limit?, expires_at?}
 *          → **201** {data: record, key: "sk-or-v1-…"} (the only time the plaintext is shown)
 *   GET    {prefix}/keys/:hash → {data: record}
 *   PATCH  {prefix}/keys/:hash {name?, disabled?, limit?, limit_reset?, include_byok_in_limit?} → {data}
 *   DELETE {prefix}/keys/:hash → {deleted: true}
 * record = {hash, name, label:"sk-or-v1-abc...wxyz", disabled, limit, limit_remaining, limit_reset,
 *   include_byok_in_limit, usage, usage_daily/weekly/monthly, byok_usage(+_daily/_weekly/_monthly),
 *   created_at, updated_at, expires_at}.
 * Choices (not documented): `hash` is the sha256 hex of the key; errors use OpenRouter's envelope
 * `{error:{code, message}}` — no auth 401 "No auth credentials found", a non-management key 401 "Only
 * management keys can perform this operation", unknown hash 404 "Key not found", bad body 400.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { SimRequest, SimResponse, SimServer } from '../http/server';

export interface OpenRouterKeyRecord {
	hash: string;
	name: string;
	label: string;
	disabled: boolean;
	limit: number | null;
	limit_remaining: number | null;
	limit_reset: 'daily' | 'weekly' | 'monthly' | null;
	include_byok_in_limit: boolean;
	usage: number;
	usage_daily: number;
	usage_weekly: number;
	usage_monthly: number;
	byok_usage: number;
	byok_usage_daily: number;
	byok_usage_weekly: number;
	byok_usage_monthly: number;
	created_at: string;
	updated_at: string | null;
	expires_at: string | null;
}

export interface OpenRouterKeysOptions {
	/** Where `/keys` hangs; default `/api/v1`. */
	prefix?: string;
	isManagementKey: (bearer: string) => boolean;
	onCreate?: (key: string, record: OpenRouterKeyRecord) => void;
	onUpdate?: (key: string, record: OpenRouterKeyRecord) => void;
	onDelete?: (key: string, record: OpenRouterKeyRecord) => void;
}

const orError = (code: number, message: string): SimResponse => ({
	status: code,
	body: { error: { code, message } },
});
const RESETS = ['daily', 'weekly', 'monthly'];

export class OpenRouterKeysApi {
	private readonly byHash = new Map<string, { key: string; record: OpenRouterKeyRecord }>();

	constructor(private readonly options: OpenRouterKeysOptions) {}

	/** Seeds a key that already exists upstream (no ledger line). Returns its hash. */
	add(key: string, name = 'seeded'): string {
		return this.insert(key, { name }).hash;
	}

	hashOf(key: string): string {
		return createHash('sha256').update(key).digest('hex');
	}

	records(): OpenRouterKeyRecord[] {
		return [...this.byHash.values()].map((e) => e.record);
	}

	/** Plaintext of a key by hash (tests only: the real API never shows it again). */
	keyOf(hash: string): string | undefined {
		return this.byHash.get(hash)?.key;
	}

	/** Exists, not disabled, not expired: what a chat endpoint should accept. */
	isActive(key: string): boolean {
		const record = this.byHash.get(this.hashOf(key))?.record;
		if (!record || record.disabled) return false;
		return !record.expires_at || Date.parse(record.expires_at) > Date.now();
	}

	register(server: SimServer): this {
		const base = `${this.options.prefix ?? '/api/v1'}/keys`;
		server.route('GET', base, (req) => this.guard(req, () => this.list(req)));
		server.route('POST', base, (req) => this.guard(req, () => this.create(req)));
		server.route('GET', `${base}/:hash`, (req) =>
			this.guard(req, () => this.withKey(req, (e) => ({ status: 200, body: { data: e.record } }))),
		);
		server.route('PATCH', `${base}/:hash`, (req) =>
			this.guard(req, () => this.withKey(req, (e) => this.update(req, e))),
		);
		server.route('DELETE', `${base}/:hash`, (req) =>
			this.guard(req, () =>
				this.withKey(req, (e) => {
					this.byHash.delete(e.record.hash);
					this.options.onDelete?.(e.key, e.record);
					return { status: 200, body: { deleted: true } };
				}),
			),
		);
		return this;
	}

	private guard(req: SimRequest, handler: () => SimResponse): SimResponse {
		const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
		if (!token) return orError(401, 'No auth credentials found');
		if (!this.options.isManagementKey(token))
			return orError(401, 'Only management keys can perform this operation');
		return handler();
	}

	private list(req: SimRequest): SimResponse {
		const offset = Number(req.query.get('offset') ?? 0) || 0;
		const includeDisabled = req.query.get('include_disabled') === 'true';
		const data = this.records().filter((r) => includeDisabled || !r.disabled);
		return { status: 200, body: { data: data.slice(offset, offset + 100) } };
	}

	private create(req: SimRequest): SimResponse {
		const body = (req.body ?? {}) as Record<string, unknown>;
		if (typeof body.name !== 'string' || !body.name.trim()) return orError(400, 'name is required');
		if (
			body.limit_reset !== undefined &&
			body.limit_reset !== null &&
			!RESETS.includes(String(body.limit_reset))
		) {
			return orError(400, 'limit_reset must be one of daily, weekly, monthly or null');
		}
		if (
			body.expires_at !== undefined &&
			body.expires_at !== null &&
			Number.isNaN(Date.parse(String(body.expires_at)))
		) {
			return orError(400, 'expires_at must be an ISO 8601 UTC timestamp');
		}
		const key = `sk-or-v1-${randomBytes(32).toString('hex')}`;
		const record = this.insert(key, body);
		this.options.onCreate?.(key, record);
		return { status: 201, body: { data: record, key } };
	}

	private update(
		req: SimRequest,
		entry: { key: string; record: OpenRouterKeyRecord },
	): SimResponse {
		const body = (req.body ?? {}) as Record<string, unknown>;
		const r = entry.record;
		if (typeof body.name === 'string') r.name = body.name;
		if (typeof body.disabled === 'boolean') r.disabled = body.disabled;
		if (body.limit === null || typeof body.limit === 'number') {
			r.limit = body.limit;
			r.limit_remaining = body.limit === null ? null : Math.max(0, body.limit - r.usage);
		}
		if (body.limit_reset === null || RESETS.includes(String(body.limit_reset)))
			r.limit_reset = body.limit_reset as OpenRouterKeyRecord['limit_reset'];
		if (typeof body.include_byok_in_limit === 'boolean')
			r.include_byok_in_limit = body.include_byok_in_limit;
		r.updated_at = new Date().toISOString();
		this.options.onUpdate?.(entry.key, r);
		return { status: 200, body: { data: r } };
	}

	private withKey(
		req: SimRequest,
		fn: (entry: { key: string; record: OpenRouterKeyRecord }) => SimResponse,
	): SimResponse {
		const entry = this.byHash.get(req.params.hash);
		return entry ? fn(entry) : orError(404, 'Key not found');
	}

	private insert(key: string, body: Record<string, unknown>): OpenRouterKeyRecord {
		const limit = typeof body.limit === 'number' ? body.limit : null;
		const record: OpenRouterKeyRecord = {
			hash: this.hashOf(key),
			name: String(body.name),
			label: `${key.slice(0, 12)}...${key.slice(-4)}`,
			disabled: false,
			limit,
			limit_remaining: limit,
			limit_reset: (RESETS.includes(String(body.limit_reset))
				? body.limit_reset
				: null) as OpenRouterKeyRecord['limit_reset'],
			include_byok_in_limit: body.include_byok_in_limit === true,
			usage: 0,
			usage_daily: 0,
			usage_weekly: 0,
			usage_monthly: 0,
			byok_usage: 0,
			byok_usage_daily: 0,
			byok_usage_weekly: 0,
			byok_usage_monthly: 0,
			created_at: new Date().toISOString(),
			updated_at: null,
			expires_at:
				typeof body.expires_at === 'string' ? new Date(body.expires_at).toISOString() : null,
		};
		this.byHash.set(record.hash, { key, record });
		return record;
	}
}

/** Registers `/keys` routes on `server` and returns the key table. */
export function registerOpenRouterKeysApi(
	server: SimServer,
	options: OpenRouterKeysOptions,
): OpenRouterKeysApi {
	return new OpenRouterKeysApi(options).register(server);
}
