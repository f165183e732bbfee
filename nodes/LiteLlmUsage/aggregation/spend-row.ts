/**
 * Reading one LiteLLM spend-log row (the `LiteLLM_SpendLogs` table, served by `/spend/logs`) into the dimensions a report groups by.
 * Rows come from a JSON page, so every field is checked rather than trusted.
 */
import { parseCost } from '../../shared/cost';
import { TAG_PREFIX } from '../../shared/attribution';

export type Grouping =
	| 'key'
	| 'model'
	| 'provider'
	| 'team'
	| 'user'
	| 'endUser'
	| 'tag'
	| 'workflow'
	| 'day';

export const GROUPINGS: Grouping[] = [
	'key',
	'model',
	'provider',
	'team',
	'user',
	'endUser',
	'tag',
	'workflow',
	'day',
];

/** The fields of a row the report reads; the rest is ignored. */
export interface SpendLogRowLike {
	api_key?: unknown;
	spend?: unknown;
	prompt_tokens?: unknown;
	completion_tokens?: unknown;
	total_tokens?: unknown;
	startTime?: unknown;
	model?: unknown;
	model_group?: unknown;
	custom_llm_provider?: unknown;
	user?: unknown;
	end_user?: unknown;
	team_id?: unknown;
	request_tags?: unknown;
	status?: unknown;
	metadata?: unknown;
}

export const NONE = {
	key: '(no key)',
	model: '(no model)',
	provider: '(unknown provider)',
	team: '(no team)',
	user: '(no user)',
	endUser: '(no end user)',
	tag: '(untagged)',
	workflow: '(not from n8n)',
	day: '(no date)',
} as const;

function text(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function count(value: unknown): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
	return Number.isFinite(n) && n > 0 ? n : 0;
}

function record(value: unknown): Record<string, unknown> {
	if (value && typeof value === 'object' && !Array.isArray(value))
		return value as Record<string, unknown>;
	if (typeof value === 'string' && value.startsWith('{')) {
		try {
			return record(JSON.parse(value));
		} catch {
			return {};
		}
	}
	return {};
}

/** `request_tags` is a JSON column: an array, or in some builds the array as a JSON string. */
export function rowTags(row: SpendLogRowLike): string[] {
	let tags = row.request_tags;
	if (typeof tags === 'string' && tags.startsWith('[')) {
		try {
			tags = JSON.parse(tags);
		} catch {
			return [];
		}
	}
	return Array.isArray(tags)
		? tags.filter((t): t is string => typeof t === 'string' && t.length > 0)
		: [];
}

/** The numbers of a row, with its spend parsed exactly (numbers, strings, `2.1e-05`). */
export interface RowNumbers {
	/** undefined when the spend is absent or unreadable. */
	spend: number | undefined;
	promptTokens: number;
	completionTokens: number;
	totalTokens: number;
	failed: boolean;
}

export function rowNumbers(row: SpendLogRowLike): RowNumbers {
	const promptTokens = count(row.prompt_tokens);
	const completionTokens = count(row.completion_tokens);
	const total = count(row.total_tokens);
	const status = text(row.status) || text(record(row.metadata).status);
	return {
		spend: parseCost(row.spend),
		promptTokens,
		completionTokens,
		totalTokens: total || promptTokens + completionTokens,
		failed: status === 'failure',
	};
}

/** A group's identity: `id` to aggregate on, `label` for people. */
export interface GroupKey {
	id: string;
	label: string;
}

/**
 * The group(s) of a row for one dimension. Only `tag` can give several (a row counts once in each of its tags).
 * Keys are shown by alias and the first 12 hex of their hash (LiteLLM stores sha256(key) in `api_key`; its
 * prefix is the same fingerprint nodes/shared/redact.ts gives the plaintext), never by plaintext.
 */
export function rowGroups(row: SpendLogRowLike, grouping: Grouping): GroupKey[] {
	const metadata = record(row.metadata);
	switch (grouping) {
		case 'key': {
			const hash = text(row.api_key);
			const alias = text(metadata.user_api_key_alias);
			if (!hash) return [{ id: NONE.key, label: NONE.key }];
			const fp = hash.startsWith('sk-') ? hash.slice(-4) : hash.slice(0, 12);
			return [{ id: hash, label: alias ? `${alias} (${fp})` : `key ${fp}` }];
		}
		case 'model': {
			const model = text(row.model_group) || text(row.model) || NONE.model;
			return [{ id: model, label: model }];
		}
		case 'provider': {
			const provider = text(row.custom_llm_provider) || NONE.provider;
			return [{ id: provider, label: provider }];
		}
		case 'team': {
			const team = text(row.team_id) || text(metadata.user_api_key_team_id);
			const alias = text(metadata.user_api_key_team_alias);
			return [
				{ id: team || NONE.team, label: team ? (alias ? `${alias} (${team})` : team) : NONE.team },
			];
		}
		case 'user': {
			const user = text(row.user) || text(metadata.user_api_key_user_id) || NONE.user;
			return [{ id: user, label: user }];
		}
		case 'endUser': {
			const endUser = text(row.end_user) || NONE.endUser;
			return [{ id: endUser, label: endUser }];
		}
		case 'tag': {
			const tags = rowTags(row);
			return tags.length
				? tags.map((t) => ({ id: t, label: t }))
				: [{ id: NONE.tag, label: NONE.tag }];
		}
		case 'workflow': {
			const ids = record(metadata.spend_logs_metadata);
			const fromTag = rowTags(row)
				.find((t) => t.startsWith(TAG_PREFIX.workflow))
				?.slice(TAG_PREFIX.workflow.length);
			const id = text(ids.n8n_workflow_id) || fromTag || '';
			if (!id) return [{ id: NONE.workflow, label: NONE.workflow }];
			const name = text(ids.n8n_workflow_name);
			return [{ id: `wf:${id}`, label: name ? `${name} (${id})` : `workflow ${id}` }];
		}
		case 'day': {
			const ms = Date.parse(text(row.startTime));
			const day = Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : NONE.day;
			return [{ id: day, label: day }];
		}
	}
}
