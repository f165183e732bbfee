/**
 * Retries the revokes a rotation could not finish. A rotation whose old-key revoke failed records it in
 * the secret's metadata as `pendingRevoke` (nodes/shared/rotation/machine.ts), with the Infisical version
 * that holds the old key. The sweep reads that version back, revokes it through the provider's admin API
 * (404 counts as done), clears the entries that are done and leaves the others, one output item per entry,
 * masked. It holds the key's rotation lease while it works, so it never races a rotation's write of the
 * secret; a key whose lease is taken is reported and left for the next sweep. A key that is the current
 * value of any secret in the folder (stored again, or rolled back to) is never revoked: its entry is dropped.
 * The sweep covers the whole folder, so it runs once per execution, whatever the number of input items.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fingerprint, maskKey, redactText } from '../../../shared/redact';
import { acquireFreeLease, leaseName, releaseLease } from '../../../shared/rotation/lease';
import {
	formatMetadata,
	parseMetadata,
	type PendingRevoke,
} from '../../../shared/rotation/metadata';
import type { LeaseState } from '../../../shared/rotation/types';
import { settle } from '../../../shared/settle';
import type { SecretStore } from '../../../shared/transport/infisical';
import { openRouterConnection } from '../../../shared/transport/openrouter';
import { http, keyStore } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';
import { baseUrlOf, describeStored, providerKeys, type StoredKey } from '../../helpers/stored-keys';
import { type KeyAdmin, keyAdminFor, openRouterKeyAdmin } from '../../rotation/key-admin';

export const description: INodeProperties[] = shownFor(
	'providerKey',
	['sweepPendingRevokes'],
	[
		{
			displayName:
				'Retries every old key a rotation could not revoke (OpenRouter keys need the OpenRouter credential). One item per pending revoke.',
			name: 'sweepNotice',
			type: 'notice',
			default: '',
		},
	],
);

/** How long the sweep's lease blocks a rotation of the same key if the sweep stops midway. */
const LEASE_MS = 120_000;

type Outcome = 'revoked' | 'already_gone' | 'still_pending' | 'in_use';

interface EntryResult {
	entry: PendingRevoke;
	outcome: Outcome;
	detail?: string;
}

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	if (i > 0) return [];
	const { store } = await keyStore(ctx);
	const all = await store.list();
	const inUse = new Set(all.filter((s) => s.value).map((s) => fingerprint(s.value)));
	const pending = providerKeys(all).filter((k) => (k.meta.pendingRevoke ?? []).length > 0);
	const out: IDataObject[] = [];
	let openRouter: KeyAdmin | undefined;
	const openRouterAdmin = async () =>
		(openRouter ??= openRouterKeyAdmin(ctx, await openRouterConnection(ctx)));
	for (const key of pending) {
		const results = await sweepKey(ctx, store, key, openRouterAdmin, inUse);
		for (const r of results) {
			out.push({
				secretName: key.secret.name,
				provider: key.spec?.id ?? key.meta.provider ?? null,
				masked: r.entry.masked,
				fingerprint: r.entry.fingerprint,
				since: r.entry.since,
				rotationId: r.entry.rotationId,
				outcome: r.outcome,
				...(r.detail ? { detail: r.detail } : {}),
			});
		}
	}
	return out;
}

async function sweepKey(
	ctx: IExecuteFunctions,
	store: SecretStore,
	key: StoredKey,
	openRouterAdmin: () => Promise<KeyAdmin>,
	inUse: Set<string>,
): Promise<EntryResult[]> {
	const name = key.secret.name;
	const entries = key.meta.pendingRevoke ?? [];
	const fresh: LeaseState = {
		rotationId: `sweep-${ctx.getExecutionId() ?? Date.now()}`,
		owner: ctx.getExecutionId() ?? 'n8n',
		expiresAt: Date.now() + LEASE_MS,
		stage: 'leased',
	};
	// Only a free lease: a stopped rotation's lease (even run out) is left for that rotation's re-run.
	const lease = await acquireFreeLease(store, name, fresh, Date.now());
	if (!lease) {
		return entries.map((entry) => ({
			entry,
			outcome: 'still_pending',
			detail: 'A rotation of this key holds its lease: the next sweep retries',
		}));
	}
	const swept = await settle(revokeAll(ctx, store, name, openRouterAdmin, inUse));
	const released = await settle(releaseLease(store, name, lease));
	if (!swept.ok) {
		const reason = redactText(
			swept.error instanceof Error ? swept.error.message : String(swept.error),
		).slice(0, 200);
		return entries.map((entry) => ({ entry, outcome: 'still_pending', detail: reason }));
	}
	if (!released.ok) {
		for (const r of swept.value)
			r.detail = [
				r.detail,
				`The sweep's lease ${leaseName(name, lease.generation)} could not be released; it expires by itself`,
			]
				.filter(Boolean)
				.join('. ');
	}
	return swept.value;
}

/** Under the lease: the latest secret, each pending entry revoked, the done ones cleared in one write. */
async function revokeAll(
	ctx: IExecuteFunctions,
	store: SecretStore,
	name: string,
	openRouterAdmin: () => Promise<KeyAdmin>,
	inUse: Set<string>,
): Promise<EntryResult[]> {
	const latest = await store.get(name);
	if (!latest) return [];
	const key = describeStored(latest);
	inUse.add(fingerprint(latest.value));
	const results: EntryResult[] = [];
	for (const entry of key.meta.pendingRevoke ?? []) {
		if (inUse.has(entry.fingerprint)) {
			results.push({
				entry,
				outcome: 'in_use',
				detail:
					'This key is the current value of a stored secret: it was not revoked and the entry was dropped',
			});
			continue;
		}
		results.push(await revokeOne(ctx, store, key, entry, openRouterAdmin, inUse));
	}
	const done = new Set(
		results.filter((r) => r.outcome !== 'still_pending').map((r) => r.entry.fingerprint),
	);
	if (done.size > 0) {
		const meta = parseMetadata(latest.comment);
		const remaining = (meta.pendingRevoke ?? []).filter((p) => !done.has(p.fingerprint));
		const written = await settle(
			store.update(name, undefined, formatMetadata({ ...meta, pendingRevoke: remaining })),
		);
		if (!written.ok) {
			// Revoked but still listed: the next sweep finds the key gone (404) and clears it then.
			for (const r of results)
				if (done.has(r.entry.fingerprint))
					r.detail = 'Revoked, but the metadata could not be updated; the next sweep clears it';
		}
	}
	return results;
}

async function revokeOne(
	ctx: IExecuteFunctions,
	store: SecretStore,
	key: StoredKey,
	entry: PendingRevoke,
	openRouterAdmin: () => Promise<KeyAdmin>,
	inUse: Set<string>,
): Promise<EntryResult> {
	const spec = key.spec;
	const pending = (detail: string): EntryResult => ({ entry, outcome: 'still_pending', detail });
	if (!spec) return pending('The provider of this key is unknown');
	const old = await settle(store.get(key.secret.name, entry.version));
	if (!old.ok || !old.value?.value)
		return pending(`Infisical version ${entry.version} of the secret could not be read`);
	const oldKey = old.value.value;
	if (fingerprint(oldKey) !== entry.fingerprint)
		return pending(
			`Infisical version ${entry.version} holds ${maskKey(oldKey)}, not the recorded key`,
		);
	if (inUse.has(fingerprint(oldKey)))
		return {
			entry,
			outcome: 'in_use',
			detail:
				'This key is the current value of a stored secret: it was not revoked and the entry was dropped',
		};
	const secrets = [oldKey, key.secret.value];
	const admin = await settle(
		keyAdminFor(key.spec, baseUrlOf(key), http(ctx), () => key.secret.value, openRouterAdmin),
	);
	if (!admin.ok)
		return pending(
			redactText(
				admin.error instanceof Error ? admin.error.message : String(admin.error),
				secrets,
			).slice(0, 200),
		);
	if (!admin.value)
		return pending(
			`${spec.displayName} has no API to revoke keys: delete the old key in its console`,
		);
	const revoked = await settle(admin.value.revoke(oldKey));
	if (revoked.ok)
		return { entry, outcome: revoked.value === 'revoked' ? 'revoked' : 'already_gone' };
	return pending(
		redactText(
			revoked.error instanceof Error ? revoked.error.message : String(revoked.error),
			secrets,
		).slice(0, 200),
	);
}
