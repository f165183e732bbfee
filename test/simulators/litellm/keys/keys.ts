/**
 * `/key/*` of the LiteLLM double: generate, update, delete, info, list, block,
 * unblock, regenerate (Enterprise switch). Rows live in ProxyState.keys by sha256 token, so the chat routes
 * enforce what these routes set (blocked, expires, budgets, model lists). `spend` is accepted by generate and
 * update (GenerateRequestBase/UpdateKeyRequest carry it), as LiteLLM does.
 *
 * `/key/regenerate` follows LiteLLM's regenerate_key_fn (1.83.7): the row moves to the new hash in place (same
 * alias, spend, budget; rotation_count untouched), a copy of the old row goes to the deleted-keys table,
 * `new_key` sets the new value, and with a `grace_period` the old hash goes into
 * LiteLLM_DeprecatedVerificationToken pointing at the new row until `revoke_at`: the old key then
 * authenticates *as the new row*, while /key/info, /key/block and /key/delete find no row for it (404).
 *
 * Choices where LiteLLM's documentation and code leave the answer open: generated keys are `sk-` + 22 url-safe characters; `/key/list`
 * sorts by created_at ascending; `/key/update` with `duration` sets `expires` from now; the deleted-key
 * table is kept for `/key/list?status=deleted`; errors of HTTPException details use type/param "None".
 */
import { randomBytes } from 'node:crypto';

import type { SimServer } from '../../http/server';
import type { LiteLlmContext } from '../context';
import { ProxyError } from '../errors';
import { hashToken, type KeyRow, newKeyRow } from '../state';
import { asAdmin, bodyOf, detailError, durationMs } from './common';

const UPDATABLE = [
	'key_alias',
	'models',
	'spend',
	'max_budget',
	'soft_budget',
	'budget_duration',
	'user_id',
	'team_id',
	'metadata',
	'tpm_limit',
	'rpm_limit',
	'blocked',
	'max_parallel_requests',
] as const;

export interface KeyRouteOptions {
	/** `/key/regenerate` works only with an Enterprise licence; default false (answers 500). */
	enterprise: () => boolean;
	deleted: KeyRow[];
}

function rowOf(ctx: LiteLlmContext, keyOrHash: unknown): KeyRow | undefined {
	if (typeof keyOrHash !== 'string') return undefined;
	return ctx.state.keys.get(keyOrHash) ?? ctx.state.keys.get(hashToken(keyOrHash));
}

function publicRow(row: KeyRow): Record<string, unknown> {
	return { ...row, litellm_budget_table: null };
}

function applyFields(ctx: LiteLlmContext, row: KeyRow, body: Record<string, unknown>): void {
	for (const field of UPDATABLE)
		if (field in body) (row as unknown as Record<string, unknown>)[field] = body[field] ?? null;
	if (typeof body.duration === 'string') {
		const ms = durationMs(body.duration);
		row.expires = ms === undefined ? row.expires : new Date(ctx.options.clock() + ms).toISOString();
	}
	row.updated_at = new Date(ctx.options.clock()).toISOString();
}

function validate(
	ctx: LiteLlmContext,
	body: Record<string, unknown>,
	self?: KeyRow,
): ProxyError | undefined {
	if (typeof body.max_budget === 'number' && body.max_budget < 0) {
		return new ProxyError(400, 'max_budget cannot be negative', 'bad_request_error', 'max_budget');
	}
	if (typeof body.key_alias === 'string') {
		const taken = [...ctx.state.keys.values()].some(
			(r) => r.key_alias === body.key_alias && r !== self,
		);
		if (taken)
			return new ProxyError(
				400,
				`Key with alias '${body.key_alias}' already exists. Unique key aliases across all keys are required.`,
				'bad_request_error',
				'key_alias',
			);
	}
	if (typeof body.duration === 'string' && durationMs(body.duration) === undefined) {
		return new ProxyError(
			400,
			`Invalid duration format: ${body.duration}`,
			'bad_request_error',
			'duration',
		);
	}
	return undefined;
}

function mint(): string {
	return `sk-${randomBytes(16).toString('base64url').slice(0, 22)}`;
}

export function registerKeyRoutes(
	server: SimServer,
	ctx: LiteLlmContext,
	options: KeyRouteOptions,
): void {
	server.route('POST', '/key/generate', (req) =>
		asAdmin(ctx, req, '/key/generate', () => {
			const body = bodyOf(req);
			const problem = validate(ctx, body);
			if (problem) return problem.toResponse();
			const key = typeof body.key === 'string' ? body.key : mint();
			if (!key.startsWith('sk-'))
				return new ProxyError(
					400,
					"Invalid key format. LiteLLM Virtual Key must start with 'sk-'.",
					'bad_request_error',
					'key',
				).toResponse();
			const row = newKeyRow({ key }, 'default_user_id');
			applyFields(ctx, row, body);
			ctx.state.keys.set(row.token, row);
			return {
				status: 200,
				body: { ...publicRow(row), key, token: row.token, token_id: row.token },
			};
		}),
	);

	server.route('POST', '/key/update', (req) =>
		asAdmin(ctx, req, '/key/update', () => {
			const body = bodyOf(req);
			const row = rowOf(ctx, body.key);
			if (!row) return detailError(404, 'Team not found, passed team_id=None');
			const problem = validate(ctx, body, row);
			if (problem) return problem.toResponse();
			applyFields(ctx, row, body);
			return { status: 200, body: { key: body.key, ...publicRow(row) } };
		}),
	);

	server.route('POST', '/key/delete', (req) =>
		asAdmin(ctx, req, '/key/delete', () => {
			const body = bodyOf(req);
			const byKey = Array.isArray(body.keys) ? (body.keys as unknown[]) : [];
			const byAlias = Array.isArray(body.key_aliases) ? (body.key_aliases as unknown[]) : [];
			const rows = [
				...byKey.map((k) => rowOf(ctx, k)),
				...[...ctx.state.keys.values()].filter(
					(r) => r.key_alias !== null && byAlias.includes(r.key_alias),
				),
			].filter((r): r is KeyRow => r !== undefined);
			if (!rows.length) return detailError(404, 'No keys found');
			for (const row of rows) {
				ctx.state.keys.delete(row.token);
				options.deleted.push(row);
			}
			return { status: 200, body: { deleted_keys: byKey.length ? byKey : byAlias } };
		}),
	);

	server.route('GET', '/key/info', (req) =>
		asAdmin(ctx, req, '/key/info', () => {
			const key = req.query.get('key') ?? '';
			const row = rowOf(ctx, key);
			if (!row)
				return new ProxyError(
					404,
					`Key not found. Passed key=${key.startsWith('sk-') ? `sk-...${key.slice(-4)}` : key}`,
					'not_found_error',
					'key',
				).toResponse();
			const { token: _token, ...info } = publicRow(row);
			return { status: 200, body: { key, info } };
		}),
	);

	server.route('GET', '/key/list', (req) =>
		asAdmin(ctx, req, '/key/list', () => {
			const q = req.query;
			const page = Math.max(1, Number(q.get('page') ?? 1));
			const size = Math.min(100, Math.max(1, Number(q.get('size') ?? 10)));
			const source = q.get('status') === 'deleted' ? options.deleted : [...ctx.state.keys.values()];
			const rows = source
				.filter((r) => !q.get('key_alias') || r.key_alias === q.get('key_alias'))
				.filter((r) => !q.get('team_id') || r.team_id === q.get('team_id'))
				.filter((r) => !q.get('user_id') || r.user_id === q.get('user_id'))
				.filter((r) => !q.get('key_hash') || r.token === q.get('key_hash'))
				.sort((a, b) => a.created_at.localeCompare(b.created_at));
			const slice = rows.slice((page - 1) * size, page * size);
			const full = q.get('return_full_object') === 'true';
			return {
				status: 200,
				body: {
					keys: full ? slice.map(publicRow) : slice.map((r) => r.token),
					total_count: rows.length,
					current_page: page,
					total_pages: Math.ceil(rows.length / size),
				},
			};
		}),
	);

	for (const [path, blocked] of [
		['/key/block', true],
		['/key/unblock', false],
	] as const) {
		server.route('POST', path, (req) =>
			asAdmin(ctx, req, path, () => {
				const key = bodyOf(req).key;
				if (typeof key !== 'string' || !(key.startsWith('sk-') || /^[0-9a-f]{64}$/.test(key))) {
					return new ProxyError(
						400,
						'Invalid key format.',
						'bad_request_error',
						'key',
					).toResponse();
				}
				const row = rowOf(ctx, key);
				if (!row)
					return new ProxyError(404, 'Key not found.', 'not_found_error', 'key').toResponse();
				row.blocked = blocked;
				return { status: 200, body: publicRow(row) };
			}),
		);
	}

	const regenerate =
		(keyParam: string | undefined) => (req: Parameters<Parameters<SimServer['route']>[2]>[0]) =>
			asAdmin(ctx, req, '/key/regenerate', () => {
				if (!options.enterprise()) {
					return new ProxyError(
						500,
						'Regenerating Virtual Keys is an Enterprise feature, You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/enterprise#trial. \nPricing: https://www.litellm.ai/#pricing',
						'internal_server_error',
						'None',
					).toResponse();
				}
				const body = bodyOf(req);
				const row = rowOf(ctx, keyParam ?? body.key);
				if (!row)
					return new ProxyError(404, 'Key not found.', 'not_found_error', 'key').toResponse();
				const key = typeof body.new_key === 'string' ? body.new_key : mint();
				if (!key.startsWith('sk-'))
					return new ProxyError(
						400,
						"New key must start with 'sk-'.",
						'bad_request_error',
						'new_key',
					).toResponse();
				if (ctx.state.keys.has(hashToken(key)))
					return new ProxyError(
						400,
						'Key already exists.',
						'bad_request_error',
						'new_key',
					).toResponse();
				ctx.state.keys.delete(row.token);
				const grace =
					typeof body.grace_period === 'string' ? durationMs(body.grace_period) : undefined;
				// A copy of the old row is kept for attributing old spend logs; the row itself is re-keyed in place.
				// rotation_count and last_rotation_at belong to LiteLLM's auto-rotation job, not to this endpoint.
				options.deleted.push({ ...row });
				const next: KeyRow = { ...row, token: hashToken(key), key_name: `sk-...${key.slice(-4)}` };
				ctx.state.keys.set(next.token, next);
				// Earlier deprecated hashes of this row follow it to the new row; the old hash joins them for the grace period.
				for (const entry of ctx.state.deprecated.values())
					if (entry.activeTokenId === row.token) entry.activeTokenId = next.token;
				if (grace)
					ctx.state.deprecated.set(row.token, {
						activeTokenId: next.token,
						revokeAt: ctx.options.clock() + grace,
					});
				return {
					status: 200,
					body: { ...publicRow(next), key, token: null, token_id: next.token },
				};
			});
	server.route('POST', '/key/regenerate', regenerate(undefined));
	server.route('POST', '/key/:key/regenerate', (req) => regenerate(req.params.key)(req));
}
