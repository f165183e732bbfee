import { randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { GatewayError } from '../../shared/errors/classes';
import type { ProviderHttp } from '../../shared/providers/http';
import { liteLlmKeyHash } from '../../shared/redact';
import type { RevokeOutcome, RotationTarget } from '../../shared/rotation/types';
import { settle } from '../../shared/settle';
import type { KeyRow, LiteLlmAdmin } from '../api/litellm-admin';

export type OldKeyAction = 'delete' | 'block' | 'expire';

export interface VirtualKeyTargetOptions {
	admin: LiteLlmAdmin;
	http: ProviderHttp;
	/** The old key's row: its settings are copied onto the new key. */
	oldRow: KeyRow;
	/** What happens to the old key once the new one is stored: delete, block, or expire after `gracePeriod`. */
	oldKeyAction: OldKeyAction;
	/** LiteLLM duration ("24h", "30m") the old key keeps working when `oldKeyAction` is expire. */
	gracePeriod?: string;
	/** A model group for the real call with the new key; without it the check is GET /v1/models. */
	verifyModel?: string;
	/**
	 * `/key/regenerate` (Enterprise): `auto` tries it and falls back to generate-and-retire when the proxy
	 * answers the Enterprise 500; `always` fails instead; `never` (the default) does not try.
	 */
	regenerate: 'auto' | 'always' | 'never';
	now?: () => number;
}

/** The settings of a key row that a replacement key inherits (GenerateKeyRequest fields). */
const COPIED = [
	'models',
	'max_budget',
	'soft_budget',
	'budget_duration',
	'tpm_limit',
	'rpm_limit',
	'max_parallel_requests',
	'user_id',
	'team_id',
	'organization_id',
	'metadata',
	'aliases',
	'permissions',
	'model_max_budget',
	'allowed_routes',
	'tags',
] as const;

/** The grace period when none is set. */
const DEFAULT_GRACE_PERIOD = '24h';

/**
 * The share of the old key's remaining budget it may still spend during its grace period. The new key is
 * charged the same amount up front, so the two keys together can never spend more than the old one could.
 */
export const GRACE_BUDGET_SHARE = 0.1;

/** Where the new key records the spend the old key is capped at (LiteLLM key metadata survives restarts). */
const CAP_FIELD = 'n8n_rotation_old_key_budget_cap';
/** Where the new key records the alias it takes over once the old key has let go of it. */
const ALIAS_FIELD = 'n8n_rotation_alias';

/** `open-webui`, `open-webui-rot-abc` or `open-webui-retired-abc` → `open-webui`. */
export const baseAlias = (alias: string | null | undefined, fallback: string) =>
	(alias || fallback).replace(/-(rot|retired)-[a-z0-9-]+$/, '');

const numberOr = (value: unknown, fallback: number) =>
	typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/**
 * LiteLLM virtual key rotation. The new key's value is chosen here (LiteLLM's `/key/generate` and
 * `/key/regenerate` accept it), so the rotation records it in its lease before LiteLLM mints it: a stop at
 * any moment leaves the key findable. Generate-and-retire (default): a new row with the old key's settings,
 * spend and budget (charged the old key's grace allowance), checked with a real call; once stored, the old
 * key is capped at that allowance, retired (expire, block or delete), and its alias moves to the new key.
 * Regenerate (Enterprise): the old row moves to the new key in place, the old key keeps authenticating as the
 * new row until its grace period ends (LiteLLM_DeprecatedVerificationToken), sharing its spend.
 */
export function virtualKeyTarget(options: VirtualKeyTargetOptions): RotationTarget {
	const { admin, oldRow } = options;
	const now = options.now ?? Date.now;
	const grace = options.gracePeriod || DEFAULT_GRACE_PERIOD;
	let regenerated = false;
	const graceEnd = () => new Date(now() + durationMs(grace)).toISOString();

	const generate = async (name: string, key: string) => {
		const body: IDataObject = { key, key_alias: name };
		for (const field of COPIED) {
			const value = oldRow[field];
			if (value !== undefined && value !== null) body[field] = value;
		}
		// What an earlier rotation recorded for itself is not copied on.
		const copied: IDataObject = { ...((oldRow.metadata as IDataObject | undefined) ?? {}) };
		delete copied[CAP_FIELD];
		delete copied[ALIAS_FIELD];
		const metadata: IDataObject = {
			...copied,
			...(oldRow.key_alias ? { [ALIAS_FIELD]: oldRow.key_alias } : {}),
		};
		body.metadata = metadata;
		if (oldRow.expires) body.duration = remainingDuration(oldRow.expires, now());
		const maxBudget = oldRow.max_budget;
		if (typeof maxBudget === 'number') {
			const spend = numberOr(oldRow.spend, 0);
			const allowance =
				options.oldKeyAction === 'expire' ? Math.max(0, maxBudget - spend) * GRACE_BUDGET_SHARE : 0;
			const cap = spend + allowance;
			body.spend = cap;
			body.metadata = { ...metadata, [CAP_FIELD]: cap };
		} else if (typeof oldRow.spend === 'number') {
			body.spend = oldRow.spend;
		}
		await admin.generateKey(body, [key]);
	};

	return {
		canRevokeNew: true,
		chooseKey: () => `sk-${randomBytes(24).toString('base64url')}`,
		async exists(key) {
			return (await admin.keyInfo(liteLlmKeyHash(key))) !== undefined;
		},
		async create(name, chosen) {
			const key = chosen!;
			if (options.regenerate !== 'never' && oldRow.token) {
				// The grace period keeps the old key working until the new one is stored and services reload.
				const outcome = await settle(
					admin.regenerateKey(oldRow.token, { new_key: key, grace_period: grace }, [key]),
				);
				if (outcome.ok) {
					regenerated = true;
					return { key, ref: oldRow.key_alias ?? undefined };
				}
				const enterpriseOnly =
					outcome.error instanceof GatewayError &&
					outcome.error.status === 500 &&
					/enterprise/i.test(outcome.error.message);
				if (options.regenerate === 'always' || !enterpriseOnly) throw outcome.error;
			}
			await generate(name, key);
			return { key, ref: name };
		},
		async keepOnRollback(key) {
			// This run regenerated, or (a resumed run) the new key's row carries the old key's own alias, which
			// the generate path never gives: either way it is the old key's row, and deleting it leaves none.
			const inPlace =
				regenerated ||
				(Boolean(oldRow.key_alias) &&
					(await admin.keyInfo(liteLlmKeyHash(key)))?.key_alias === oldRow.key_alias);
			return inPlace
				? `it replaced the old key in place (/key/regenerate), so deleting it would leave no key; the old key works until its grace period (${grace}) ends`
				: undefined;
		},
		async discardOrphan(name) {
			return (await admin.deleteKey({ alias: name })) === 'deleted' ? 'removed' : 'none';
		},
		async verify(key) {
			const row = await admin.keyInfo(liteLlmKeyHash(key));
			if (!row) throw new Error('LiteLLM does not know the new key (/key/info answered 404)');
			if (row.blocked) throw new Error('the new key is blocked');
			const base = admin.connection.baseUrl;
			const call = options.verifyModel
				? {
						method: 'POST' as const,
						url: `${base}/chat/completions`,
						body: {
							model: options.verifyModel,
							max_tokens: 1,
							messages: [{ role: 'user', content: 'ping' }],
						},
					}
				: { method: 'GET' as const, url: `${base}/v1/models` };
			const answer = await options.http({
				...call,
				headers: { Authorization: `Bearer ${key}` },
				timeoutMs: 30_000,
			});
			if (!answer.reached)
				throw new Error(`LiteLLM did not answer the check with the new key (${answer.reason})`);
			if (answer.status < 200 || answer.status >= 300)
				throw new Error(`LiteLLM refused the new key (HTTP ${answer.status})`);
		},
		// Services read the key from Infisical; there is nothing to switch in LiteLLM.
		async switchTo() {},
		async revoke(key, which, newKey): Promise<RevokeOutcome> {
			const hash = liteLlmKeyHash(key);
			if (which === 'new')
				return (await admin.deleteKey({ hash })) === 'deleted' ? 'revoked' : 'not_found';
			const row = await admin.keyInfo(hash);
			const newHash = newKey ? liteLlmKeyHash(newKey) : undefined;
			const newRow = newHash ? await admin.keyInfo(newHash) : undefined;
			const wanted = (newRow?.metadata as IDataObject | undefined)?.[ALIAS_FIELD];
			// Regenerated: the old hash has no row of its own; it authenticates as the new row (sharing its spend)
			// until the grace period ends, and nothing can block or delete it before that. Asked, not assumed.
			if (!row && (regenerated || (await authenticates(key)))) return { validUntil: graceEnd() };
			const outcome = row ? await retire(hash, row, newRow) : 'not_found';
			// The alias is free only once the old row no longer holds it.
			if (newHash && typeof wanted === 'string' && newRow?.key_alias !== wanted)
				await admin.updateKey(newHash, { key_alias: wanted });
			return outcome;
		},
	};

	/** True when LiteLLM still accepts the key (a zero-token GET /v1/models). */
	async function authenticates(key: string): Promise<boolean> {
		const answer = await options.http({
			method: 'GET',
			url: `${admin.connection.baseUrl}/v1/models`,
			headers: { Authorization: `Bearer ${key}` },
			timeoutMs: 30_000,
		});
		if (!answer.reached)
			throw new Error(`LiteLLM did not answer the check of the old key (${answer.reason})`);
		return answer.status >= 200 && answer.status < 300;
	}

	/** Caps, then expires, blocks or deletes the old row; its alias is set aside for the new key. */
	async function retire(
		hash: string,
		row: KeyRow,
		newRow: KeyRow | undefined,
	): Promise<RevokeOutcome> {
		const retiredAlias = row.key_alias
			? { key_alias: `${row.key_alias}-retired-${hash.slice(0, 8)}` }
			: {};
		if (options.oldKeyAction === 'delete') {
			await admin.deleteKey({ hash });
			return 'revoked';
		}
		const cap = budgetCap(row, newRow);
		if (options.oldKeyAction === 'block') {
			await admin.updateKey(hash, { ...retiredAlias, ...cap });
			await admin.blockKey(hash);
			return 'blocked';
		}
		await admin.updateKey(hash, { ...retiredAlias, ...cap, duration: grace });
		return { validUntil: graceEnd() };
	}

	/** The old key may spend no more than the new key was charged for it, and its budget no longer resets. */
	function budgetCap(row: KeyRow, newRow: KeyRow | undefined): IDataObject {
		if (typeof row.max_budget !== 'number') return {};
		const recorded = (newRow?.metadata as IDataObject | undefined)?.[CAP_FIELD];
		const cap = numberOr(recorded, numberOr(row.spend, 0));
		return { max_budget: Math.min(row.max_budget, cap), budget_duration: null };
	}
}

/** LiteLLM durations: 30s, 30m, 30h, 30d → ms (the node validates the format before). */
function durationMs(value: string): number {
	const match = /^(\d+)(s|m|h|d)$/.exec(value);
	if (!match) return 24 * 3_600_000;
	return Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's'];
}

/** The time an old key had left, as a LiteLLM duration, so the new key expires when the old one would. */
function remainingDuration(expires: string, now: number): string {
	const seconds = Math.max(60, Math.round((Date.parse(expires) - now) / 1000));
	return `${seconds}s`;
}
