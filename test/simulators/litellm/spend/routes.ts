/**
 * LiteLLM's spend and usage routes, admin-only, over a row source (seeded or the simulator's own
 * ProxyState.spendLogs), the key table and a team table:
 *   GET /spend/logs/ui        {data,total,page,page_size,total_pages}, page_size ≤ 100, newest first
 *   GET /spend/logs           raw rows (no dates), day summaries (dates, summarize=true), or rows (summarize=false)
 *   GET /user/daily/activity  {results:[{date,metrics,breakdown}],metadata}
 *   GET /team/daily/activity  the same, breakdown.entities per team
 *   GET /key/list             {keys,total_count,current_page,total_pages}
 *   GET /team/list            [team rows]
 *
 * Choices where LiteLLM's documentation and code leave the answer open:
 * - Costs are written with Python's float repr (`2.1e-05`), as LiteLLM's JSON encoder does.
 * - `/spend/logs/ui` needs both dates (400 otherwise, LiteLLM's message); `page_size` above 100 is FastAPI's
 *   422 validation error; a page past the end answers `data: []`. Dates are UTC, both ends inclusive.
 * - `/spend/logs` and the daily-activity routes take `YYYY-MM-DD` dates, inclusive whole days.
 * - Daily activity lists days ascending; `page_size` defaults to 50 (max 1000) and pages over days; its
 *   metadata totals cover every page.
 * - A key other than the master key gets 401 `auth_error` on these routes (they are admin routes); the key is
 *   never echoed.
 * - `/team/list` answers a bare list of `{team_id,team_alias,spend,max_budget,budget_duration,budget_reset_at,
 *   blocked,models,members_with_roles:[]}` (the older, unwrapped shape).
 */
import type { SimResponse, SimServer } from '../../http/server';
import { pyFloat } from '../pyfloat';
import type { KeyRow, SpendLogRow } from '../state';

/** Rows newest first, by index. */
export interface SpendLogSource {
	count: number;
	rowAt(i: number): SpendLogRow;
	/** [lo, hi) of rows with startMs ≤ time ≤ endMs. */
	indexRange(startMs: number, endMs: number): [number, number];
}

/** A source over stored rows (ProxyState.spendLogs is oldest first). */
export function arraySource(rows: SpendLogRow[]): SpendLogSource {
	const sorted = () => [...rows].sort((a, b) => b.at - a.at);
	return {
		get count() {
			return rows.length;
		},
		rowAt: (i) => sorted()[i],
		indexRange(startMs, endMs) {
			const s = sorted();
			const lo = s.findIndex((r) => r.at <= endMs);
			if (lo < 0) return [s.length, s.length];
			let hi = lo;
			while (hi < s.length && s[hi].at >= startMs) hi++;
			return [lo, hi];
		},
	};
}

export interface TeamRow {
	team_id: string;
	team_alias: string | null;
	spend: number;
	max_budget: number | null;
	budget_duration: string | null;
	budget_reset_at: string | null;
	blocked: boolean;
	models: string[];
}

export interface SpendRouteState {
	masterKey: string;
	logs: SpendLogSource;
	keys: Map<string, KeyRow>;
	teams: TeamRow[];
}

function envelope(
	status: number,
	message: string,
	type: string | null,
	param: string | null = null,
): SimResponse {
	return { status, body: { error: { message, type, param, code: String(status) } } };
}

function adminOnly(
	headers: Record<string, string | string[] | undefined>,
	masterKey: string,
): SimResponse | undefined {
	const auth = headers.authorization;
	const value = typeof auth === 'string' ? auth : undefined;
	if (!value)
		return envelope(401, 'Authentication Error, No api key passed in.', 'auth_error', 'None');
	const key = value.replace(/^(Bearer|bearer) /, '');
	if (key !== masterKey)
		return envelope(
			401,
			'Authentication Error, Only proxy admin can access this route.',
			'auth_error',
			'None',
		);
	return undefined;
}

/** `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (UTC) → ms; `endOfDay` for a date-only end. */
function parseWhen(text: string | null, endOfDay = false): number | undefined {
	if (!text) return undefined;
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
	const ms = Date.parse(dateOnly ? `${text}T00:00:00Z` : `${text.replace(' ', 'T')}Z`);
	if (!Number.isFinite(ms)) return undefined;
	return dateOnly && endOfDay ? ms + 86_399_999 : ms;
}

/** A row as LiteLLM's JSON encoder writes it: the internal `at` dropped, spend as a Python float. */
export function serialiseRow(row: SpendLogRow): string {
	const { at: _at, spend, ...rest } = row;
	const text = JSON.stringify(rest);
	return `{"spend":${pyFloat(spend)},${text.slice(1)}`;
}

function jsonText(text: string): SimResponse {
	return { status: 200, headers: { 'content-type': 'application/json' }, body: text };
}

interface DayMetrics {
	spend: number;
	prompt_tokens: number;
	completion_tokens: number;
	cache_read_input_tokens: number;
	cache_creation_input_tokens: number;
	total_tokens: number;
	api_requests: number;
	successful_requests: number;
	failed_requests: number;
}

const zero = (): DayMetrics => ({
	spend: 0,
	prompt_tokens: 0,
	completion_tokens: 0,
	cache_read_input_tokens: 0,
	cache_creation_input_tokens: 0,
	total_tokens: 0,
	api_requests: 0,
	successful_requests: 0,
	failed_requests: 0,
});

function addRow(m: DayMetrics, r: SpendLogRow): void {
	m.spend += r.spend;
	m.prompt_tokens += r.prompt_tokens;
	m.completion_tokens += r.completion_tokens;
	m.total_tokens += r.total_tokens;
	m.api_requests += 1;
	if (r.status === 'failure') m.failed_requests += 1;
	else m.successful_requests += 1;
}

type Breakdown = Record<string, { metrics: DayMetrics; metadata: Record<string, unknown> }>;

function bump(b: Breakdown, id: string, metadata: Record<string, unknown>, r: SpendLogRow): void {
	b[id] ??= { metrics: zero(), metadata };
	addRow(b[id].metrics, r);
}

function dailyActivity(
	state: SpendRouteState,
	query: URLSearchParams,
	teams: boolean,
): SimResponse {
	const start = parseWhen(query.get('start_date'));
	const end = parseWhen(query.get('end_date'), true);
	if (start === undefined || end === undefined)
		return envelope(400, 'Please provide start_date and end_date', 'bad_request_error');
	const pageSize = Number(query.get('page_size') ?? 50);
	const page = Number(query.get('page') ?? 1);
	if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
		return {
			status: 422,
			body: {
				detail: [
					{
						type: 'less_than_equal',
						loc: ['query', 'page_size'],
						msg: 'Input should be less than or equal to 1000',
						input: String(pageSize),
					},
				],
			},
		};
	}
	const wanted = teams ? (query.get('team_ids') ?? '').split(',').filter(Boolean) : [];
	const days = new Map<string, { metrics: DayMetrics; breakdown: Record<string, Breakdown> }>();
	const [lo, hi] = state.logs.indexRange(start, end);
	for (let i = lo; i < hi; i++) {
		const r = state.logs.rowAt(i);
		if (teams && wanted.length && !wanted.includes(r.team_id)) continue;
		if (teams && !r.team_id) continue;
		const date = new Date(r.at).toISOString().slice(0, 10);
		let day = days.get(date);
		if (!day) {
			day = {
				metrics: zero(),
				breakdown: {
					models: {},
					model_groups: {},
					providers: {},
					endpoints: {},
					api_keys: {},
					mcp_servers: {},
					entities: {},
				},
			};
			days.set(date, day);
		}
		addRow(day.metrics, r);
		bump(day.breakdown.models, r.model, {}, r);
		bump(day.breakdown.model_groups, r.model_group, {}, r);
		bump(day.breakdown.providers, r.custom_llm_provider, {}, r);
		bump(
			day.breakdown.api_keys,
			r.api_key,
			{
				key_alias: r.metadata.user_api_key_alias,
				team_id: r.team_id || null,
				user_id: r.user || null,
			},
			r,
		);
		if (teams)
			bump(
				day.breakdown.entities,
				r.team_id,
				{ team_alias: state.teams.find((t) => t.team_id === r.team_id)?.team_alias ?? null },
				r,
			);
	}
	const all = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
	const totals = zero();
	for (const [, d] of all) {
		for (const k of Object.keys(totals) as Array<keyof DayMetrics>) totals[k] += d.metrics[k];
	}
	const totalPages = Math.max(1, Math.ceil(all.length / pageSize));
	const results = all
		.slice((page - 1) * pageSize, page * pageSize)
		.map(([date, d]) => ({ date, metrics: d.metrics, breakdown: d.breakdown }));
	return {
		status: 200,
		body: {
			results,
			metadata: {
				total_spend: totals.spend,
				total_prompt_tokens: totals.prompt_tokens,
				total_completion_tokens: totals.completion_tokens,
				total_tokens: totals.total_tokens,
				total_api_requests: totals.api_requests,
				total_successful_requests: totals.successful_requests,
				total_failed_requests: totals.failed_requests,
				total_cache_read_input_tokens: 0,
				total_cache_creation_input_tokens: 0,
				page,
				total_pages: totalPages,
				has_more: page < totalPages,
			},
		},
	};
}

export interface SpendRouteOptions {
	/** Also serve /key/list and /team/list (default true). Off when another route file serves /key/list. */
	keyRoutes?: boolean;
}

export function registerSpendRoutes(
	server: SimServer,
	state: SpendRouteState,
	options: SpendRouteOptions = {},
): void {
	server.route('GET', '/spend/logs/ui', (req) => {
		const denied = adminOnly(req.headers, state.masterKey);
		if (denied) return denied;
		const start = parseWhen(req.query.get('start_date'));
		const end = parseWhen(req.query.get('end_date'), true);
		if (start === undefined || end === undefined)
			return envelope(400, 'Please provide start_date and end_date', 'bad_request_error');
		const page = Number(req.query.get('page') ?? 1);
		const pageSize = Number(req.query.get('page_size') ?? 50);
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
			return {
				status: 422,
				body: {
					detail: [
						{
							type: 'less_than_equal',
							loc: ['query', 'page_size'],
							msg: 'Input should be less than or equal to 100',
							input: String(pageSize),
						},
					],
				},
			};
		}
		if (!Number.isInteger(page) || page < 1) {
			return {
				status: 422,
				body: {
					detail: [
						{
							type: 'greater_than_equal',
							loc: ['query', 'page'],
							msg: 'Input should be greater than or equal to 1',
							input: String(page),
						},
					],
				},
			};
		}
		const [lo, hi] = state.logs.indexRange(start, end);
		const total = hi - lo;
		const from = lo + (page - 1) * pageSize;
		const to = Math.min(hi, from + pageSize);
		const parts: string[] = [];
		for (let i = from; i < to; i++) parts.push(serialiseRow(state.logs.rowAt(i)));
		return jsonText(
			`{"data":[${parts.join(',')}],"total":${total},"page":${page},"page_size":${pageSize},"total_pages":${Math.ceil(total / pageSize)}}`,
		);
	});

	server.route('GET', '/spend/logs', (req) => {
		const denied = adminOnly(req.headers, state.masterKey);
		if (denied) return denied;
		const startText = req.query.get('start_date');
		const endText = req.query.get('end_date');
		if (!startText || !endText) {
			const parts: string[] = [];
			for (let i = 0; i < state.logs.count; i++) parts.push(serialiseRow(state.logs.rowAt(i)));
			return jsonText(`[${parts.join(',')}]`);
		}
		const start = parseWhen(startText);
		const end = parseWhen(endText, true);
		if (start === undefined || end === undefined)
			return envelope(400, 'start_date and end_date must be YYYY-MM-DD', 'bad_request_error');
		const [lo, hi] = state.logs.indexRange(start, end);
		if (req.query.get('summarize') === 'false') {
			const parts: string[] = [];
			for (let i = lo; i < hi; i++) parts.push(serialiseRow(state.logs.rowAt(i)));
			return jsonText(`[${parts.join(',')}]`);
		}
		const days = new Map<
			string,
			Record<string, unknown> & {
				spend: number;
				users: Record<string, number>;
				models: Record<string, number>;
			}
		>();
		for (let ms = Date.parse(`${startText}T00:00:00Z`); ms <= end; ms += 86_400_000) {
			const date = new Date(ms).toISOString().slice(0, 10);
			days.set(date, { startTime: date, spend: 0, users: {}, models: {} });
		}
		for (let i = lo; i < hi; i++) {
			const r = state.logs.rowAt(i);
			const day = days.get(new Date(r.at).toISOString().slice(0, 10));
			if (!day) continue;
			day.spend += r.spend;
			day[r.api_key] = ((day[r.api_key] as number | undefined) ?? 0) + r.spend;
			day.users[r.user] = (day.users[r.user] ?? 0) + r.spend;
			day.models[r.model] = (day.models[r.model] ?? 0) + r.spend;
		}
		return { status: 200, body: [...days.values()] };
	});

	server.route(
		'GET',
		'/user/daily/activity',
		(req) => adminOnly(req.headers, state.masterKey) ?? dailyActivity(state, req.query, false),
	);
	server.route(
		'GET',
		'/team/daily/activity',
		(req) => adminOnly(req.headers, state.masterKey) ?? dailyActivity(state, req.query, true),
	);

	if (options.keyRoutes === false) return;
	server.route('GET', '/key/list', (req) => {
		const denied = adminOnly(req.headers, state.masterKey);
		if (denied) return denied;
		const page = Number(req.query.get('page') ?? 1);
		const size = Number(req.query.get('size') ?? 10);
		if (!Number.isInteger(size) || size < 1 || size > 100) {
			return {
				status: 422,
				body: {
					detail: [
						{
							type: 'less_than_equal',
							loc: ['query', 'size'],
							msg: 'Input should be less than or equal to 100',
							input: String(size),
						},
					],
				},
			};
		}
		const rows = [...state.keys.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
		const full = req.query.get('return_full_object') === 'true';
		const slice = rows.slice((page - 1) * size, page * size);
		return {
			status: 200,
			body: {
				keys: full ? slice : slice.map((r) => r.token),
				total_count: rows.length,
				current_page: page,
				total_pages: Math.max(1, Math.ceil(rows.length / size)),
			},
		};
	});
	server.route('GET', '/team/list', (req) => {
		const denied = adminOnly(req.headers, state.masterKey);
		if (denied) return denied;
		return { status: 200, body: state.teams.map((t) => ({ ...t, members_with_roles: [] })) };
	});
}
