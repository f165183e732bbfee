/**
 * The proxy's database, in memory: virtual keys (LiteLLM_VerificationToken, keyed by the sha256 `token`),
 * spend logs (LiteLLM_SpendLogs), and the deployments (config models now, `/model/new` rows later).
 *
 * Later route files (/key/*, /credentials, /model/new|update|delete, /spend/*) read and write this object;
 * register them on the same SimServer next to chat.ts, models.ts and health.ts. `credentials` is here already
 * so that `litellm_credential_name` has somewhere to resolve.
 */
import { createHash } from 'node:crypto';

import type { Deployment } from './config';

export function hashToken(key: string): string {
	return createHash('sha256').update(key).digest('hex');
}

/** LiteLLM's `abbreviate_api_key`: `sk-...abcd`. */
export function abbreviateKey(key: string): string {
	return `sk-...${key.slice(-4)}`;
}

/** A row of LiteLLM_VerificationToken (the fields the simulator uses; later issues may add more). */
export interface KeyRow {
	token: string;
	key_name: string;
	key_alias: string | null;
	spend: number;
	max_budget: number | null;
	soft_budget: number | null;
	budget_duration: string | null;
	budget_reset_at: string | null;
	/** ISO string, or null for never. */
	expires: string | null;
	models: string[];
	aliases: Record<string, string>;
	config: Record<string, unknown>;
	user_id: string | null;
	team_id: string | null;
	organization_id: string | null;
	permissions: Record<string, unknown>;
	max_parallel_requests: number | null;
	metadata: Record<string, unknown>;
	blocked: boolean | null;
	tpm_limit: number | null;
	rpm_limit: number | null;
	model_spend: Record<string, number>;
	model_max_budget: Record<string, unknown>;
	created_at: string;
	created_by: string | null;
	updated_at: string;
	updated_by: string | null;
	last_active: string | null;
	rotation_count: number;
	auto_rotate: boolean;
	rotation_interval: string | null;
	last_rotation_at: string | null;
	key_rotation_at: string | null;
}

/** A row of LiteLLM_SpendLogs. */
export interface SpendLogRow {
	request_id: string;
	call_type: 'acompletion';
	api_key: string;
	spend: number;
	total_tokens: number;
	prompt_tokens: number;
	completion_tokens: number;
	startTime: string;
	endTime: string;
	completionStartTime: string;
	request_duration_ms: number;
	model: string;
	model_id: string;
	model_group: string;
	custom_llm_provider: string;
	api_base: string;
	user: string;
	end_user: string;
	team_id: string;
	organization_id: string;
	metadata: {
		user_api_key: string;
		user_api_key_alias: string | null;
		user_api_key_team_id: string | null;
		user_api_key_user_id: string | null;
		spend_logs_metadata: Record<string, unknown> | null;
		requester_metadata: Record<string, unknown>;
		attempted_retries: number;
		max_retries: number;
		status: 'success' | 'failure';
		error_information?: { error_code: string; error_class: string; error_message: string };
	};
	cache_hit: 'False';
	cache_key: string;
	request_tags: string[];
	session_id: string | null;
	status: 'success' | 'failure';
	/** Unix ms of the row, for date filters of a later /spend/logs. */
	at: number;
}

export interface CredentialRow {
	credential_name: string;
	credential_values: Record<string, unknown>;
	credential_info: Record<string, unknown>;
}

export class ProxyState {
	readonly keys = new Map<string, KeyRow>();

	/**
	 * LiteLLM_DeprecatedVerificationToken: what `/key/regenerate` with a grace period leaves behind. The old
	 * key's hash points at the regenerated row (`active_token_id`) until `revoke_at`; it has no row of its own.
	 */
	readonly deprecated = new Map<string, { activeTokenId: string; revokeAt: number }>();

	readonly spendLogs: SpendLogRow[] = [];

	readonly credentials = new Map<string, CredentialRow>();

	/**
	 * False for a proxy started without DATABASE_URL: no virtual keys, spend logs or DB models; an unknown key
	 * is then refused with 400 no_db_connection instead of 401 (options.database).
	 */
	database = true;

	/** Spend of the master key (it has no DB row; LiteLLM reports it only in headers). */
	masterKeySpend = 0;

	constructor(public deployments: Deployment[]) {}

	keyByPlaintext(key: string): KeyRow | undefined {
		return this.keys.get(hashToken(key));
	}

	/** The row a key authenticates as: its own, or (regenerated, within the grace period) the active one. */
	authRow(token: string, now: number): KeyRow | undefined {
		const own = this.keys.get(token);
		if (own) return own;
		const deprecated = this.deprecated.get(token);
		return deprecated && deprecated.revokeAt > now
			? this.keys.get(deprecated.activeTokenId)
			: undefined;
	}

	/** Model group names in config order, each once. */
	modelGroups(): string[] {
		return [...new Set(this.deployments.map((d) => d.model_name))];
	}

	deploymentsOf(group: string): Deployment[] {
		return this.deployments.filter((d) => d.model_name === group);
	}
}

export interface NewKeyInput {
	key: string;
	key_alias?: string | null;
	models?: string[];
	max_budget?: number | null;
	soft_budget?: number | null;
	spend?: number;
	blocked?: boolean;
	/** ISO string or Date; null for never. */
	expires?: string | Date | null;
	team_id?: string | null;
	user_id?: string | null;
	metadata?: Record<string, unknown>;
	tpm_limit?: number | null;
	rpm_limit?: number | null;
	budget_duration?: string | null;
}

export function newKeyRow(input: NewKeyInput, createdBy: string | null = null): KeyRow {
	const now = new Date().toISOString();
	const expires =
		input.expires instanceof Date ? input.expires.toISOString() : (input.expires ?? null);
	return {
		token: hashToken(input.key),
		key_name: abbreviateKey(input.key),
		key_alias: input.key_alias ?? null,
		spend: input.spend ?? 0,
		max_budget: input.max_budget ?? null,
		soft_budget: input.soft_budget ?? null,
		budget_duration: input.budget_duration ?? null,
		budget_reset_at: null,
		expires,
		models: input.models ?? [],
		aliases: {},
		config: {},
		user_id: input.user_id ?? null,
		team_id: input.team_id ?? null,
		organization_id: null,
		permissions: {},
		max_parallel_requests: null,
		metadata: input.metadata ?? {},
		blocked: input.blocked ?? null,
		tpm_limit: input.tpm_limit ?? null,
		rpm_limit: input.rpm_limit ?? null,
		model_spend: {},
		model_max_budget: {},
		created_at: now,
		created_by: createdBy,
		updated_at: now,
		updated_by: createdBy,
		last_active: null,
		rotation_count: 0,
		auto_rotate: false,
		rotation_interval: null,
		last_rotation_at: null,
		key_rotation_at: null,
	};
}
