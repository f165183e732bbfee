import type { IDataObject } from 'n8n-workflow';

import { GatewayError } from '../../shared/errors/classes';
import type { ProviderHttp } from '../../shared/providers/http';
import { settle } from '../../shared/settle';
import { liteLlmKeyHash } from '../../shared/redact';
import type { Minted, RevokeOutcome, RotationTarget } from '../../shared/rotation/types';
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
	 * answers the Enterprise 500; `always` fails instead; `never` does not try.
	 */
	regenerate: 'auto' | 'always' | 'never';
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

/** The grace period `/key/regenerate` gets when none is set. */
const DEFAULT_GRACE_PERIOD = '24h';

/** `open-webui` or `open-webui-rot-abc` → `open-webui`: each rotation gets a fresh, unique alias. */
const baseAlias = (alias: string | null | undefined, fallback: string) =>
	(alias || fallback).replace(/-rot-[a-z0-9]+$/, '');

/**
 * LiteLLM virtual key rotation without the Enterprise `/key/regenerate`: generate a key with the old key's
 * settings under the alias `<base>-rot-<tag>`, check it with a real call, and retire the old key by hash.
 */
export function virtualKeyTarget(options: VirtualKeyTargetOptions): RotationTarget {
	const { admin, oldRow } = options;
	const aliasFor = (tag: string) => `${baseAlias(oldRow.key_alias, 'n8n-key')}-rot-${tag}`;
	// Regenerating rewrites the old key's row in place: without a grace period the old key dies right away,
	// before the new one is verified and stored. So there always is one.
	const regenerateGrace = options.gracePeriod || DEFAULT_GRACE_PERIOD;
	let regenerated = false;
	return {
		canRevokeNew: true,
		async create(tag) {
			if (options.regenerate !== 'never' && oldRow.token) {
				const outcome = await settle(admin.regenerateKey(oldRow.token, { grace_period: regenerateGrace }));
				if (outcome.ok) {
					regenerated = true;
					return { key: outcome.value.key, ref: oldRow.key_alias ?? undefined };
				}
				const enterpriseOnly = outcome.error instanceof GatewayError && outcome.error.status === 500 && /enterprise/i.test(outcome.error.message);
				if (options.regenerate === 'always' || !enterpriseOnly) throw outcome.error;
			}
			const body: IDataObject = { key_alias: aliasFor(tag) };
			for (const field of COPIED) {
				const value = oldRow[field];
				if (value !== undefined && value !== null) body[field] = value;
			}
			if (oldRow.expires) body.duration = remainingDuration(oldRow.expires);
			const generated = await admin.generateKey(body);
			return { key: generated.key, ref: aliasFor(tag) } satisfies Minted;
		},
		async keepOnRollback(key) {
			// This run regenerated, or (a resumed run) the new key's row carries the old key's own alias, which
			// the generate path never gives: either way it is the old key's row, and deleting it leaves none.
			const inPlace = regenerated || (Boolean(oldRow.key_alias) && (await admin.keyInfo(liteLlmKeyHash(key)))?.key_alias === oldRow.key_alias);
			return inPlace
				? `it replaced the old key in place (/key/regenerate), so deleting it would leave no key; the old key works until its grace period (${regenerateGrace}) ends`
				: undefined;
		},
		async discardOrphan(tag) {
			return (await admin.deleteKey({ alias: aliasFor(tag) })) === 'deleted';
		},
		async verify(key) {
			const row = await admin.keyInfo(liteLlmKeyHash(key));
			if (!row) throw new Error('LiteLLM does not know the new key (/key/info answered 404)');
			if (row.blocked) throw new Error('the new key is blocked');
			const base = admin.connection.baseUrl;
			const call = options.verifyModel
				? { method: 'POST' as const, url: `${base}/chat/completions`, body: { model: options.verifyModel, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] } }
				: { method: 'GET' as const, url: `${base}/v1/models` };
			const answer = await options.http({ ...call, headers: { Authorization: `Bearer ${key}` }, timeoutMs: 30_000 });
			if (!answer.reached) throw new Error(`LiteLLM did not answer the check with the new key (${answer.reason})`);
			if (answer.status < 200 || answer.status >= 300) throw new Error(`LiteLLM refused the new key (HTTP ${answer.status})`);
		},
		// Services read the key from Infisical; there is nothing to switch in LiteLLM.
		async switchTo() {},
		async revoke(key, which): Promise<RevokeOutcome> {
			const hash = liteLlmKeyHash(key);
			if (options.oldKeyAction === 'expire' && which === 'old') {
				const outcome = await admin.keyInfo(hash);
				if (!outcome) return 'not_found';
				await admin.updateKey(hash, { duration: options.gracePeriod || '24h' });
				return 'revoked';
			}
			if (options.oldKeyAction === 'block' && which === 'old') {
				if (!(await admin.keyInfo(hash))) return 'not_found';
				await admin.blockKey(hash);
				return 'revoked';
			}
			const deleted = await admin.deleteKey({ hash });
			return deleted === 'deleted' ? 'revoked' : 'not_found';
		},
	};
}

/** The time an old key had left, as a LiteLLM duration, so the new key expires when the old one would. */
function remainingDuration(expires: string): string {
	const seconds = Math.max(60, Math.round((Date.parse(expires) - Date.now()) / 1000));
	return `${seconds}s`;
}
