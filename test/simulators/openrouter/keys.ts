/**
 * OpenRouter API keys, in memory, keyed by sha256 `hash` (the id OpenRouter's /api/v1/keys management API
 * uses; a later issue adds those routes over this store). Each key carries its account's credits, as the
 * simulator has one account per key.
 *
 * Choices where the docs are silent:
 * - `label` defaults to OpenRouter's masked form, `sk-or-v1-abc...xyz`.
 * - `credits` is the account's total purchased credits (USD, default 10); 0 means "never purchased" and makes
 *   `is_free_tier` true. Remaining credits = credits - usage.
 * - Usage added by the simulator counts toward usage_daily/weekly/monthly too; the initial `usage` only toward
 *   the total.
 */
import { createHash } from 'node:crypto';

export interface OpenRouterKey {
	hash: string;
	key: string;
	name: string;
	label: string;
	disabled: boolean;
	limit: number | null;
	limit_reset: 'daily' | 'weekly' | 'monthly' | null;
	include_byok_in_limit: boolean;
	expires_at: string | null;
	usage: number;
	usage_daily: number;
	usage_weekly: number;
	usage_monthly: number;
	byok_usage: number;
	byok_usage_daily: number;
	byok_usage_weekly: number;
	byok_usage_monthly: number;
	credits: number;
	isManagementKey: boolean;
	created_at: string;
	updated_at: string | null;
	/** The account's user id, echoed as `user_id` in error bodies. */
	userId: string;
}

export interface NewOpenRouterKey {
	key: string;
	label?: string;
	name?: string;
	limit?: number | null;
	limit_reset?: 'daily' | 'weekly' | 'monthly' | null;
	usage?: number;
	credits?: number;
	isManagementKey?: boolean;
	disabled?: boolean;
	expires_at?: string | null;
}

export function hashKey(key: string): string {
	return createHash('sha256').update(key).digest('hex');
}

export function maskedLabel(key: string): string {
	const prefix = key.startsWith('sk-or-v1-') ? 'sk-or-v1-' : key.slice(0, 3);
	const body = key.slice(prefix.length);
	return `${prefix}${body.slice(0, 3)}...${body.slice(-3)}`;
}

export function newKey(input: NewOpenRouterKey): OpenRouterKey {
	const hash = hashKey(input.key);
	return {
		hash,
		key: input.key,
		name: input.name ?? input.label ?? 'default',
		label: input.label ?? maskedLabel(input.key),
		disabled: input.disabled ?? false,
		limit: input.limit ?? null,
		limit_reset: input.limit_reset ?? null,
		include_byok_in_limit: false,
		expires_at: input.expires_at ?? null,
		usage: input.usage ?? 0,
		usage_daily: 0,
		usage_weekly: 0,
		usage_monthly: 0,
		byok_usage: 0,
		byok_usage_daily: 0,
		byok_usage_weekly: 0,
		byok_usage_monthly: 0,
		credits: input.credits ?? 10,
		isManagementKey: input.isManagementKey ?? false,
		created_at: new Date().toISOString(),
		updated_at: null,
		userId: `user_${hash.slice(0, 27)}`,
	};
}

export class KeyStore {
	readonly byHash = new Map<string, OpenRouterKey>();

	add(input: NewOpenRouterKey): OpenRouterKey {
		const row = newKey(input);
		this.byHash.set(row.hash, row);
		return row;
	}

	find(key: string): OpenRouterKey | undefined {
		return this.byHash.get(hashKey(key));
	}

	charge(row: OpenRouterKey, cost: number): void {
		row.usage += cost;
		row.usage_daily += cost;
		row.usage_weekly += cost;
		row.usage_monthly += cost;
	}
}
