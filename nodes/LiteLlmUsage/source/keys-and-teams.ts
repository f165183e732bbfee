/**
 * Virtual keys (`GET /key/list?return_full_object=true`, paged by `page`/`size`) and teams (`GET /team/list`),
 * read whole: both are small tables (one row per key or team). The key rows carry the sha256 `token`, never
 * the plaintext; `key_name` is LiteLLM's own mask (`sk-...abcd`).
 */
import { costOrNull } from '../../shared/cost';
import type { HttpContext } from '../../shared/transport/http';
import { type LiteLlmConnection, liteLlmRequest } from '../../shared/transport/litellm';
import { PageFailedError, withOneRetry } from './spend-logs';

export interface KeyInfo {
	token: string;
	keyName: string;
	keyAlias: string | null;
	spendUsd: number;
	maxBudgetUsd: number | null;
	softBudgetUsd: number | null;
	budgetDuration: string | null;
	budgetResetAt: string | null;
	expires: string | null;
	blocked: boolean;
	teamId: string | null;
	userId: string | null;
	metadata: Record<string, unknown>;
	/** When the key last made a call (LiteLLM's `last_active`); null when never or on builds without it. */
	lastActive: string | null;
}

export interface TeamInfo {
	teamId: string;
	teamAlias: string | null;
	spendUsd: number;
	maxBudgetUsd: number | null;
	budgetDuration: string | null;
	budgetResetAt: string | null;
	blocked: boolean;
}

type Row = Record<string, unknown>;

function str(value: unknown): string | null {
	return typeof value === 'string' && value ? value : null;
}

function record(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};
}

function readKeyRow(row: Row): KeyInfo {
	return {
		token: String(row.token ?? ''),
		keyName: String(row.key_name ?? ''),
		keyAlias: str(row.key_alias),
		spendUsd: costOrNull(row.spend) ?? 0,
		maxBudgetUsd: costOrNull(row.max_budget),
		softBudgetUsd: costOrNull(row.soft_budget ?? record(row.litellm_budget_table).soft_budget),
		budgetDuration: str(row.budget_duration),
		budgetResetAt: str(row.budget_reset_at),
		expires: str(row.expires),
		blocked: row.blocked === true,
		teamId: str(row.team_id),
		userId: str(row.user_id),
		metadata: record(row.metadata),
		lastActive: str(row.last_active),
	};
}

export async function listKeys(
	ctx: HttpContext,
	connection: LiteLlmConnection,
	timeoutMs?: number,
): Promise<KeyInfo[]> {
	const keys: KeyInfo[] = [];
	let totalPages: number | undefined;
	for (let page = 1; ; page++) {
		const outcome = await withOneRetry(
			async () =>
				await liteLlmRequest<{ keys?: unknown[]; total_pages?: number }>(ctx, connection, {
					method: 'GET',
					path: '/key/list',
					qs: { return_full_object: 'true', page, size: 100 },
					timeoutMs,
				}),
			() => undefined,
		);
		if (!outcome.ok) throw new PageFailedError(page, totalPages, outcome.error);
		const body = outcome.value.data;
		if (!Array.isArray(body?.keys))
			throw new PageFailedError(page, totalPages, new Error('the answer has no "keys" array'));
		totalPages ??= Number.isInteger(body.total_pages) ? Number(body.total_pages) : 1;
		for (const row of body.keys)
			if (row && typeof row === 'object') keys.push(readKeyRow(row as Row));
		if (page >= totalPages || body.keys.length === 0) break;
	}
	return keys;
}

export async function listTeams(
	ctx: HttpContext,
	connection: LiteLlmConnection,
	timeoutMs?: number,
): Promise<TeamInfo[]> {
	const outcome = await withOneRetry(
		async () =>
			await liteLlmRequest<unknown>(ctx, connection, {
				method: 'GET',
				path: '/team/list',
				timeoutMs,
			}),
		() => undefined,
	);
	if (!outcome.ok) throw new PageFailedError(1, 1, outcome.error);
	const body = outcome.value.data;
	// Older builds answer a bare list; newer ones may wrap it in `{teams:[…]}`.
	const rows = Array.isArray(body)
		? body
		: Array.isArray((body as { teams?: unknown })?.teams)
			? (body as { teams: unknown[] }).teams
			: undefined;
	if (!rows) throw new PageFailedError(1, 1, new Error('the answer is not a list of teams'));
	return rows
		.filter((r): r is Row => !!r && typeof r === 'object' && typeof (r as Row).team_id === 'string')
		.map((r) => ({
			teamId: String(r.team_id),
			teamAlias: str(r.team_alias),
			spendUsd: costOrNull(r.spend) ?? 0,
			maxBudgetUsd: costOrNull(r.max_budget),
			budgetDuration: str(r.budget_duration),
			budgetResetAt: str(r.budget_reset_at),
			blocked: r.blocked === true,
		}));
}
