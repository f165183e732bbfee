import { fingerprint, maskKey, redactText } from '../redact';
import { settle } from '../settle';
import type { StoredSecret } from '../transport/infisical';
import { RotationFailedError } from './errors';
import { acquireLease, leaseName, releaseLease, writeLease } from './lease';
import { formatMetadata, parseMetadata, type PendingRevoke } from './metadata';
import { type LeaseState, type OldKeyFate, type RotationInput, type RotationReport, type Stage, STAGES } from './types';

const reached = (state: LeaseState, stage: Stage) => STAGES.indexOf(state.stage) >= STAGES.indexOf(stage);

/** A short tag from the rotation id: new keys are named with it, so a re-run finds what a stopped run made. */
function rotationTag(rotationId: string): string {
	const tag = rotationId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(-16);
	return tag || 'rotation';
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * The staged rotation of one stored key (docs/architecture.md, Rotation): lease → create → stash → verify → persist →
 * switch → revoke → release. The working key is never lost: the old key is only revoked after the new one
 * is verified, stored and in use. Every stage is recorded in the lease (an Infisical secret), so a run that
 * stopped anywhere is resumed by running again with the same rotation id. When persisting or switching
 * fails, the new key is revoked and the old one restored (compensation). A revoke of the old key that fails
 * does not fail the rotation: the old key is marked pending-revoke in the secret's metadata.
 */
export async function rotate(input: RotationInput): Promise<RotationReport> {
	const { store, target, secretName, rotationId } = input;
	const now = input.now ?? Date.now;
	const stages: Stage[] = [];
	const fresh: LeaseState = { rotationId, owner: input.owner, expiresAt: now() + input.leaseMs, stage: 'leased' };
	const acquired = await acquireLease(store, secretName, fresh, now());
	let state = acquired.state;
	const save = async (stage: Stage, patch: Partial<LeaseState> = {}) => {
		const next = { ...state, ...patch, stage, expiresAt: now() + input.leaseMs };
		await writeLease(store, secretName, next, state);
		state = next;
		stages.push(stage);
	};
	const record = async (stage: Stage, patch: Partial<LeaseState> = {}) => {
		await save(stage, patch);
		await input.afterStage?.(stage);
	};
	await input.afterStage?.('leased');

	/**
	 * Stops before anything was changed in this run. The lease is released, unless it holds a new key minted
	 * by a stopped run (possibly the only copy): then it stays and the key is named masked.
	 */
	const stopAtRead = async (text: string): Promise<never> => {
		const pending = state.pendingKey;
		if (!pending) {
			await releaseLease(store, secretName, state);
			throw new RotationFailedError(text, 'read', [], 'not found');
		}
		const held = `${maskKey(pending)} (${fingerprint(pending)})`;
		await settle(keepLeaseForRerun());
		throw new RotationFailedError(
			`${text}. The lease ${leaseName(secretName)} holds the new key ${held} of rotation ${state.rotationId}; it was kept: restore the secret and run again with that Rotation ID, or take the key from the lease by hand`,
			'read',
			[held],
			'not found',
		);
	};

	/** A lease kept for its key is marked run out, so the next run (any execution) may resume it at once. */
	const keepLeaseForRerun = () => writeLease(store, secretName, { ...state, expiresAt: now() }, state);

	const current = await store.get(secretName);
	if (!current) return stopAtRead(`The secret ${secretName} does not exist: store the key first`);
	const meta = parseMetadata(current.comment);
	if (state.stage === 'leased' && !state.pendingKey && meta.lastRotationId === state.rotationId) {
		await releaseLease(store, secretName, state);
		return { rotationId, secretName, status: 'already_rotated', resumed: true, orphansRemoved: 0, stages, newKey: describe(current.value, current.version) };
	}
	const oldVersion = state.oldVersion ?? current.version;
	const old = oldVersion === current.version ? current : await store.get(secretName, oldVersion);
	if (!old) return stopAtRead(`Version ${oldVersion} of ${secretName} is gone`);
	const tag = rotationTag(state.rotationId);

	// create + stash: the new key goes from the minting answer straight into the lease secret.
	let orphansRemoved = 0;
	if (!state.pendingKey) {
		if (await target.discardOrphan(tag)) orphansRemoved++;
		const created = await settle(target.create(tag));
		if (!created.ok) {
			// Nothing was minted and nothing changed: the lease goes, so the next run starts afresh.
			await settle(releaseLease(store, secretName, state));
			const text = redactText(message(created.error), [old.value]);
			throw new RotationFailedError(
				`Rotation of ${secretName} failed at "create": no new key was made; the old key ${maskKey(old.value)} is still stored and in use. Cause: ${text}`,
				'create',
				[],
				text,
			);
		}
		const minted = created.value;
		const stashed = await settle(save('created', { pendingKey: minted.key, oldVersion }));
		if (!stashed.ok) await failAndCompensate('stash', stashed.error, minted.key, old, false);
		await input.afterStage?.('created');
	}
	const newKey = state.pendingKey!;

	if (!reached(state, 'verified')) {
		const verified = await settle(target.verify(newKey));
		if (!verified.ok) await failAndCompensate('verify', verified.error, newKey, old, false);
		await record('verified');
	}

	let stored: StoredSecret | undefined;
	if (!reached(state, 'persisted')) {
		const latest = await store.get(secretName);
		if (latest?.value === newKey) stored = latest;
		else {
			const comment = formatMetadata({
				...meta,
				...(input.metadata ?? {}),
				lastRotated: new Date(now()).toISOString(),
				lastRotationId: state.rotationId,
				fingerprint: fingerprint(newKey),
			});
			const persisted = await settle(store.update(secretName, newKey, comment));
			if (!persisted.ok) await failAndCompensate('persist', persisted.error, newKey, old, false);
			stored = (persisted as { ok: true; value: StoredSecret }).value;
		}
		await record('persisted');
	}

	if (!reached(state, 'switched')) {
		const switched = await settle(target.switchTo(newKey));
		if (!switched.ok) await failAndCompensate('switch', switched.error, newKey, old, true);
		await record('switched');
	}

	let fate: OldKeyFate = 'unchanged';
	let detail: string | undefined;
	if (old.value && old.value !== newKey) {
		if (!target.revoke) {
			fate = 'revoke_by_hand';
			detail = target.manualRevokeHint;
		} else {
			const revoked = await settle(target.revoke(old.value, 'old'));
			if (revoked.ok) fate = revoked.value === 'revoked' ? 'revoked' : 'already_gone';
			else {
				fate = 'pending_revoke';
				detail = redactText(message(revoked.error), [old.value, newKey]).slice(0, 200);
				await markPendingRevoke(old, detail);
			}
		}
	}
	stages.push('revoked');
	await input.afterStage?.('revoked');
	await releaseLease(store, secretName, state);

	return {
		rotationId: state.rotationId,
		secretName,
		status: 'rotated',
		resumed: acquired.resumed,
		newKey: describe(newKey, stored?.version),
		oldKey: old.value ? { ...describe(old.value), fate, ...(detail ? { detail } : {}) } : undefined,
		orphansRemoved,
		stages,
	};

	async function markPendingRevoke(oldSecret: StoredSecret, reason: string): Promise<void> {
		const latest = await store.get(secretName);
		if (!latest) return;
		const latestMeta = parseMetadata(latest.comment);
		const entry: PendingRevoke = {
			version: oldSecret.version,
			masked: maskKey(oldSecret.value),
			fingerprint: fingerprint(oldSecret.value),
			since: new Date(now()).toISOString(),
			rotationId: state.rotationId,
			reason,
		};
		const list = (latestMeta.pendingRevoke ?? []).filter((p) => p.fingerprint !== entry.fingerprint);
		// A failed bookkeeping write must not fail a rotation that already succeeded.
		await settle(store.update(secretName, undefined, formatMetadata({ ...latestMeta, pendingRevoke: [...list, entry] })));
	}

	/** Rolls back: gateway to the old key, the secret to the old value, the new key revoked, lease released. */
	async function failAndCompensate(step: string, cause: unknown, newKeyValue: string, oldSecret: StoredSecret, switched: boolean): Promise<never> {
		const orphans: string[] = [];
		const masked = `${maskKey(newKeyValue)} (${fingerprint(newKeyValue)})`;
		if (switched && target.switchBack && oldSecret.value) await settle(target.switchBack(oldSecret.value));
		const latest = await settle(store.get(secretName));
		if (latest.ok && latest.value && latest.value.value === newKeyValue) {
			await settle(store.update(secretName, oldSecret.value, oldSecret.comment));
		}
		// A key that replaced the old one in place is never revoked here; when unsure whether it did, keep it.
		const keep = target.keepOnRollback ? await settle(target.keepOnRollback(newKeyValue)) : undefined;
		const keptNote = keep ? (keep.ok ? keep.value : 'it may have replaced the old key in place, so it was kept') : undefined;
		if (!keptNote && target.canRevokeNew) {
			const revoked = target.revoke ? await settle(target.revoke(newKeyValue, 'new')) : undefined;
			if (!revoked?.ok) orphans.push(masked);
		}
		// The lease is the only copy of a kept key: it stays, so a re-run with the same rotation id resumes.
		const leaseHoldsKey = state.pendingKey === newKeyValue;
		if (!keptNote || !leaseHoldsKey) await settle(releaseLease(store, secretName, state));
		else await settle(keepLeaseForRerun());
		// A cause may echo a request that carried a key (LiteLLM's 422 repeats the body): both keys go.
		const text = redactText(message(cause), [oldSecret.value, newKeyValue]);
		const outcome = keptNote
			? `failed at "${step}": the new key ${masked} was kept (${keptNote}); ${
				leaseHoldsKey
					? `it is held in ${leaseName(secretName)}: fix the cause and run again with the same Rotation ID to finish`
					: 'its plaintext could not be stored: rotate again before the old key stops working'
			}; the old key ${maskKey(oldSecret.value)} is still stored`
			: `failed at "${step}" and was rolled back: the old key ${maskKey(oldSecret.value)} is still stored and in use${orphans.length ? `; remove by hand: ${orphans.join(', ')}` : ''}`;
		throw new RotationFailedError(`Rotation of ${secretName} ${outcome}. Cause: ${text}`, step, orphans, text);
	}
}

function describe(key: string, version?: number) {
	return { masked: maskKey(key), fingerprint: fingerprint(key), ...(version !== undefined ? { version } : {}) };
}
