import { randomBytes } from 'crypto';

import { fingerprint, maskKey, redactText } from '../redact';
import { settle } from '../settle';
import type { StoredSecret } from '../transport/infisical';
import { RotationFailedError, RotationInProgressError, type RotationOutcome } from './errors';
import { acquireLease, LeaseLostError, leaseName, releaseLease, writeLease } from './lease';
import { formatMetadata, parseMetadata, type PendingRevoke } from './metadata';
import {
	type LeaseState,
	type OldKeyFate,
	type RevokeOutcome,
	type RotationInput,
	type RotationReport,
	type Stage,
	STAGES,
} from './types';

const reached = (state: LeaseState, stage: Stage) =>
	STAGES.indexOf(state.stage) >= STAGES.indexOf(stage);

/** Leases written before minted keys carried a random part: their tag came from the rotation id. */
function legacyTag(rotationId: string): string {
	const tag = rotationId
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '')
		.slice(-16);
	return tag || 'rotation';
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

const held = (key: string) => `${maskKey(key)} (${fingerprint(key)})`;

/**
 * The staged rotation of one stored key: lease → create (the new key recorded in the lease before or with
 * its minting) → verify → persist → switch → retire the old key → release. Invariants, each enforced here:
 * - the old key is retired only after the new one is verified, stored and in use;
 * - every side effect is preceded by proof that this run still holds the lease (re-read and renew), and a
 *   run that lost its lease stops without touching anything, rollback included;
 * - a rollback revokes the new key only after the restore of the old one is confirmed (secret re-read,
 *   LiteLLM switched back); otherwise nothing is revoked, the lease keeps the new key, and the error says
 *   the rotation is incomplete: a re-run with the same rotation id finishes it;
 * - a key minted by a run that stopped is found by the re-run (lease or name) or named in the output.
 * A retire that fails does not fail the rotation: the old key is marked pending-revoke in the metadata.
 */
export async function rotate(input: RotationInput): Promise<RotationReport> {
	const { store, target, secretName } = input;
	const now = input.now ?? Date.now;
	const stages: Stage[] = [];
	const fresh: LeaseState = {
		rotationId: input.rotationId,
		owner: input.owner,
		expiresAt: now() + input.leaseMs,
		stage: 'leased',
		nonce: randomNonce(),
	};
	const acquired = await settle(acquireLease(store, secretName, fresh, now()));
	if (!acquired.ok) {
		if (acquired.error instanceof RotationInProgressError) throw acquired.error;
		const text = redactText(message(acquired.error));
		throw fail(
			'lease',
			`could not take the rotation lease, so nothing was changed (a lease written before the error expires by itself)`,
			text,
			'nothing_changed',
		);
	}
	let state = acquired.value.state;
	const nonce = state.nonce ?? legacyTag(state.rotationId);
	const keyName = `${input.keyNamePrefix}-rot-${nonce}`;

	/** Writes the next lease state after proving it is still ours (LeaseLostError otherwise) and renews it. */
	const save = async (stage: Stage, patch: Partial<LeaseState> = {}) => {
		const next = { ...state, ...patch, stage, expiresAt: now() + input.leaseMs };
		// An answer lost after the write landed counts as written: writeLease reads the lease back to tell.
		state = await writeLease(store, secretName, next, state, now);
	};
	const record = async (stage: Stage, patch: Partial<LeaseState> = {}) => {
		await save(stage, patch);
		stages.push(stage);
		if (input.onStage) await settle(input.onStage(stage));
		// The test seam's throw is a crash: it passes every catch below untouched (no compensation runs).
		await settle((async () => input.afterStage?.(stage))()).then((done) => {
			if (!done.ok) throw new Crash(done.error);
		});
	};
	/** Proof of ownership before a side effect: re-read the lease and renew it. */
	const own = () => save(state.stage);
	/** A lease kept for its key is marked run out, so the next run (any execution) may resume it at once. */
	const keepLeaseForRerun = () =>
		writeLease(store, secretName, { ...state, expiresAt: now() }, state, now);
	await input.afterStage?.('leased');

	const current = await settle(store.get(secretName));
	if (!current.ok || !current.value) {
		const text = current.ok
			? `The secret ${secretName} does not exist: store the key first`
			: `Infisical could not be read: ${redactText(message(current.error))}`;
		return stopBeforeChange(text);
	}
	const meta = parseMetadata(current.value.comment);
	if (
		state.stage === 'leased' &&
		!state.pendingKey &&
		!state.minting &&
		meta.lastRotationId === state.rotationId
	) {
		// Done before, but its old key may still wait to be retired: a re-run finishes that too.
		const retired = await retirePending(current.value);
		await settle(releaseLease(store, secretName, state, now));
		const report: RotationReport = {
			rotationId: state.rotationId,
			secretName,
			status: 'already_rotated',
			resumed: true,
			orphansRemoved: 0,
			stages,
		};
		return {
			...report,
			newKey: describe(current.value.value, current.value.version),
			...(retired ? { oldKey: retired } : {}),
		};
	}
	const oldVersion = state.oldVersion ?? current.value.version;
	const oldRead =
		oldVersion === current.value.version
			? { ok: true as const, value: current.value }
			: await settle(store.get(secretName, oldVersion));
	if (!oldRead.ok || !oldRead.value)
		return stopBeforeChange(`Version ${oldVersion} of ${secretName} could not be read`);
	const old = oldRead.value;

	// Keys an earlier rollback could not revoke come first: nobody else holds them.
	const leftOver = await revokeLeftOvers();
	// create: the new key is in the lease before (chosen keys) or right after (provider-minted keys) its mint.
	let orphansRemoved = 0;
	const orphansToCheck: string[] = [];
	if (!state.minted) {
		if (state.minting && !state.pendingKey) {
			// A run stopped while the provider minted: look for what it may have left under that name.
			const found = await settle(target.discardOrphan(state.minting));
			if (found.ok && found.value === 'removed') orphansRemoved++;
			else if (!found.ok || found.value === 'unlistable') orphansToCheck.push(state.minting);
		}
		await mint();
	}
	let newKey = state.pendingKey!;
	const tried = { switch: false };
	let step = 'verify';
	let stored: StoredSecret | undefined;
	try {
		// A resumed run checks the key again before storing it: a stopped run may have revoked it.
		if (!reached(state, 'verified') || (acquired.value.resumed && !reached(state, 'persisted'))) {
			await own();
			const checked = await settle(target.verify(newKey));
			if (
				!checked.ok &&
				acquired.value.resumed &&
				!reached(state, 'persisted') &&
				target.canRevokeNew
			) {
				// A key left by a stopped run that fails its check (revoked by its run, which could not clear the
				// lease) was never stored: it moves to the keys to revoke, and a new one is minted, once.
				await save('leased', {
					pendingKey: undefined,
					minted: false,
					minting: undefined,
					revokeLater: [...(state.revokeLater ?? []), newKey],
				});
				leftOver.push(...(await revokeLeftOvers()).filter((k) => !leftOver.includes(k)));
				await mint();
				newKey = state.pendingKey!;
				await own();
				await target.verify(newKey);
			} else if (!checked.ok) throw checked.error;
			await record('verified');
		}
		// A resumed run does not trust the recorded stage for persist and switch: a rollback of the stopped run
		// may have put the old key back. Both steps are idempotent, so they are simply done again.
		const resumed = acquired.value.resumed;
		if (!reached(state, 'persisted') || resumed) {
			step = 'persist';
			await own();
			const latest = await store.get(secretName);
			stored =
				latest?.value === newKey
					? latest
					: await store.update(
							secretName,
							newKey,
							persistedComment(latest?.comment ?? current.value.comment, newKey),
						);
			if (!reached(state, 'persisted')) await record('persisted');
		}
		if (!reached(state, 'switched') || resumed) {
			step = 'switch';
			await own();
			tried.switch = true;
			await target.switchTo(newKey);
			if (!reached(state, 'switched')) await record('switched');
		}
	} catch (error) {
		if (error instanceof Crash) throw error.inner;
		return rollBack(step, error, newKey, old, tried);
	}

	const retired = await retireOld(old, newKey);
	stages.push('revoked');
	if (input.onStage) await settle(input.onStage('revoked'));
	await input.afterStage?.('revoked');
	await settle(releaseLease(store, secretName, state, now));

	return {
		rotationId: state.rotationId,
		secretName,
		status: 'rotated',
		resumed: acquired.value.resumed,
		newKey: describe(newKey, stored?.version),
		oldKey: old.value ? { ...describe(old.value), ...retired } : undefined,
		orphansRemoved,
		...(orphansToCheck.length ? { orphansToCheck } : {}),
		...(leftOver.length ? { orphansToRevoke: leftOver.map(held) } : {}),
		stages,
	};

	/** Mints the new key so that a stop at any moment leaves it findable (lease, or the name recorded first). */
	async function mint(): Promise<void> {
		if (target.chooseKey) {
			const chosen = state.pendingKey ?? target.chooseKey();
			const resumedChoice = Boolean(state.pendingKey);
			// Unique per key: a key a rollback could not revoke may still hold the rotation's first name.
			const name = state.minting ?? `${keyName}-${fingerprint(chosen).slice(0, 6)}`;
			await guard('create', () =>
				save('leased', { pendingKey: chosen, minted: false, minting: name, oldVersion }),
			);
			const already = resumedChoice
				? await settle(target.exists!(chosen))
				: { ok: true as const, value: false };
			if (!already.ok) return stopUnsure(chosen, already.error);
			if (!already.value) {
				const made = await settle(target.create(name, chosen));
				if (!made.ok) {
					// The answer may be lost while the key was made: ask before calling it nothing.
					const exists = await settle(target.exists!(chosen));
					if (!exists.ok) return stopUnsure(chosen, made.error);
					if (!exists.value) return stopNothingMade(made.error);
				}
			}
			await guard('create', () => record('created', { minted: true }));
			return;
		}
		await guard('create', () => save('leased', { minting: keyName, oldVersion }));
		const made = await settle(target.create(keyName));
		if (!made.ok) {
			// Only the lease's owner may delete keys under its name: another run may have taken over and minted.
			const owned = await settle(own());
			if (!owned.ok && owned.error instanceof LeaseLostError) {
				throw fail(
					'create',
					`lost its lease to another run while minting; a key named "${keyName}" may have been minted: the run that took over looks for it`,
					message(made.error),
					'stopped',
				);
			}
			if (!owned.ok) return stopMaybeMinted(keyName, made.error);
			const found = await settle(target.discardOrphan(keyName));
			if (found.ok && found.value !== 'unlistable') return stopNothingMade(made.error);
			return stopMaybeMinted(keyName, made.error);
		}
		const minted = made.value.key;
		const stashed = await settle(
			record('created', { pendingKey: minted, minted: true, minting: undefined }),
		);
		if (stashed.ok) return;
		if (stashed.error instanceof Crash) throw stashed.error.inner;
		// Not recorded anywhere: only this run knows the key, so it must not outlive the run, unless another
		// run took the lease over meanwhile (then the key is left alone and named).
		const owned = await settle(own());
		if (!owned.ok && owned.error instanceof LeaseLostError) {
			throw fail(
				'create',
				`lost its lease to another run right after minting; the new key ${held(minted)} was left alone: if no run stores it, delete it at the provider`,
				message(stashed.error),
				'stopped',
				[held(minted)],
			);
		}
		const revoked =
			target.canRevokeNew && target.revoke ? await settle(target.revoke(minted, 'new')) : undefined;
		const orphans = revoked?.ok ? [] : [held(minted)];
		await settle(releaseLease(store, secretName, state, now));
		const text = redactText(message(stashed.error), [old.value, minted]);
		throw fail(
			'create',
			`failed at "create": the new key could not be recorded in ${leaseName(secretName, state.generation)}, so it was ${orphans.length ? `not stored: delete ${orphans[0]} at the provider` : 'revoked'}; the old key ${maskKey(old.value)} is still stored and in use`,
			text,
			'rolled_back',
			orphans,
		);
	}

	/** Runs a lease write of the create step; failing, the rotation stops with nothing made. */
	async function guard(stepName: string, write: () => Promise<void>): Promise<void> {
		const done = await settle(write());
		if (done.ok) return;
		if (done.error instanceof Crash) throw done.error.inner;
		if (done.error instanceof LeaseLostError)
			throw fail(
				stepName,
				'lost its lease to another run (this one outlived it) and stopped without changing anything more',
				message(done.error),
				'stopped',
			);
		// A lease write that failed may still have landed: the lease keeps what it holds and expires by itself.
		throw fail(
			stepName,
			`could not record its progress in ${leaseName(secretName, state.generation)}; no key was stored, the old key ${maskKey(old.value)} is still in use${state.pendingKey ? `; the lease holds the chosen key ${held(state.pendingKey)}: run again with the same Rotation ID` : ''}`,
			redactText(message(done.error)),
			'nothing_changed',
		);
	}

	async function stopNothingMade(error: unknown): Promise<never> {
		await settle(releaseLease(store, secretName, state, now));
		const text = redactText(message(error), [old.value, state.pendingKey]);
		throw fail(
			'create',
			`failed at "create": no new key was made; the old key ${maskKey(old.value)} is still stored and in use`,
			text,
			'nothing_changed',
		);
	}

	async function stopUnsure(chosen: string, error: unknown): Promise<never> {
		await settle(keepLeaseForRerun());
		const text = redactText(message(error), [old.value, chosen]);
		throw fail(
			'create',
			`is incomplete at "create": it is not known whether the new key ${held(chosen)} was made; it is held in ${leaseName(secretName, state.generation)} and nothing was stored; the old key ${maskKey(old.value)} is still stored and in use. Run again with the same Rotation ID to finish`,
			text,
			'incomplete',
		);
	}

	async function stopMaybeMinted(name: string, error: unknown): Promise<never> {
		await settle(keepLeaseForRerun());
		const text = redactText(message(error), [old.value]);
		throw fail(
			'create',
			`is incomplete at "create": the provider may have minted a key named "${name}" before its answer was lost; nothing was stored, the old key ${maskKey(old.value)} is still in use. The name is kept in ${leaseName(secretName, state.generation)}: run again with the same Rotation ID to have it looked for and deleted (a provider that cannot list keys, such as Perplexity, names it for a look in its console)`,
			text,
			'incomplete',
		);
	}

	async function stopBeforeChange(text: string): Promise<never> {
		const pending = state.pendingKey;
		if (!pending) {
			await settle(releaseLease(store, secretName, state, now));
			throw fail('read', text, text, 'nothing_changed');
		}
		await settle(keepLeaseForRerun());
		throw fail(
			'read',
			`${text}. The lease ${leaseName(secretName, state.generation)} holds the new key ${held(pending)} of rotation ${state.rotationId}; it was kept: restore the secret and run again with that Rotation ID, or take the key from the lease by hand`,
			text,
			'incomplete',
			[held(pending)],
		);
	}

	/** The comment of the persisted new key: rotation facts, and no pending revoke of the key now stored. */
	function persistedComment(latestComment: string | undefined, key: string): string {
		const latestMeta = parseMetadata(latestComment);
		const pendingRevoke = (latestMeta.pendingRevoke ?? []).filter(
			(p) => p.fingerprint !== fingerprint(key),
		);
		return formatMetadata({
			...latestMeta,
			...(input.metadata ?? {}),
			pendingRevoke,
			lastRotated: new Date(now()).toISOString(),
			lastRotationId: state.rotationId,
			fingerprint: fingerprint(key),
		});
	}

	/** Retires the old key this rotation recorded as pending-revoke; what became of it, if there was one. */
	async function retirePending(
		latest: StoredSecret,
	): Promise<RotationReport['oldKey'] | undefined> {
		const entry = (parseMetadata(latest.comment).pendingRevoke ?? []).find(
			(p) => p.rotationId === state.rotationId,
		);
		if (!entry || !target.revoke) return undefined;
		const old = await settle(store.get(secretName, entry.version));
		if (!old.ok || !old.value?.value || fingerprint(old.value.value) !== entry.fingerprint)
			return undefined;
		const oldKey = old.value.value;
		const base = { masked: entry.masked, fingerprint: entry.fingerprint };
		if (oldKey === latest.value) return { ...base, fate: 'unchanged' };
		const revoked = await settle(own().then(() => target.revoke!(oldKey, 'old', latest.value)));
		if (!revoked.ok)
			return {
				...base,
				fate: 'pending_revoke',
				detail: redactText(message(revoked.error), [oldKey, latest.value]).slice(0, 200),
			};
		const fresh = await settle(store.get(secretName));
		if (fresh.ok && fresh.value) {
			const freshMeta = parseMetadata(fresh.value.comment);
			const pendingRevoke = (freshMeta.pendingRevoke ?? []).filter(
				(p) => p.fingerprint !== entry.fingerprint,
			);
			await settle(
				store.update(secretName, undefined, formatMetadata({ ...freshMeta, pendingRevoke })),
			);
		}
		return { ...base, ...fateOf(revoked.value) };
	}

	/** Revokes what earlier rollbacks left in the lease; returns the keys that still could not be revoked. */
	async function revokeLeftOvers(): Promise<string[]> {
		const pending = state.revokeLater ?? [];
		if (!pending.length || !target.revoke) return pending;
		const left: string[] = [];
		for (const key of pending) {
			const revoked = await settle(own().then(() => target.revoke!(key, 'new')));
			if (!revoked.ok) left.push(key);
		}
		await settle(save(state.stage, { revokeLater: left }));
		return left;
	}

	async function retireOld(
		oldSecret: StoredSecret,
		key: string,
	): Promise<{ fate: OldKeyFate; stillValidUntil?: string; detail?: string }> {
		if (!oldSecret.value || oldSecret.value === key) return { fate: 'unchanged' };
		if (!target.revoke)
			return {
				fate: 'revoke_by_hand',
				...(target.manualRevokeHint ? { detail: target.manualRevokeHint } : {}),
			};
		const owned = await settle(own());
		if (!owned.ok) {
			// Another run took over after the switch: it retires the old key. Unsure: leave it to the sweep.
			const detail =
				owned.error instanceof LeaseLostError
					? 'another run took over the rotation and retires the old key'
					: `the lease could not be renewed before the revoke (${redactText(message(owned.error), [oldSecret.value, key]).slice(0, 120)})`;
			if (!(owned.error instanceof LeaseLostError)) await markPendingRevoke(oldSecret, detail);
			return { fate: 'pending_revoke', detail };
		}
		const revoked = await settle(target.revoke(oldSecret.value, 'old', key));
		if (revoked.ok) return fateOf(revoked.value);
		const detail = redactText(message(revoked.error), [oldSecret.value, key]).slice(0, 200);
		await markPendingRevoke(oldSecret, detail);
		return { fate: 'pending_revoke', detail };
	}

	async function markPendingRevoke(oldSecret: StoredSecret, reason: string): Promise<void> {
		const latest = await settle(store.get(secretName));
		if (!latest.ok || !latest.value) return;
		const latestMeta = parseMetadata(latest.value.comment);
		const entry: PendingRevoke = {
			version: oldSecret.version,
			masked: maskKey(oldSecret.value),
			fingerprint: fingerprint(oldSecret.value),
			since: new Date(now()).toISOString(),
			rotationId: state.rotationId,
			reason,
		};
		const list = (latestMeta.pendingRevoke ?? []).filter(
			(p) => p.fingerprint !== entry.fingerprint,
		);
		// A failed bookkeeping write must not fail a rotation that already succeeded.
		await settle(
			store.update(
				secretName,
				undefined,
				formatMetadata({ ...latestMeta, pendingRevoke: [...list, entry] }),
			),
		);
	}

	/** Puts the secret back on the old key; undefined when confirmed by a re-read, else what is unsure. */
	async function restoreSecret(oldSecret: StoredSecret, key: string): Promise<string | undefined> {
		const latest = await settle(store.get(secretName));
		if (!latest.ok) return 'Infisical could not be read to check which key the secret holds';
		if (latest.value?.value !== key) return undefined;
		await settle(store.update(secretName, oldSecret.value, oldSecret.comment));
		const check = await settle(store.get(secretName));
		if (check.ok && check.value?.value === oldSecret.value) return undefined;
		return 'the secret could not be confirmed back on the old key';
	}

	/**
	 * Rolls back after a failure at verify, persist or switch. Only a confirmed restore lets the new key be
	 * revoked; a run that lost its lease touches nothing.
	 */
	async function rollBack(
		stepName: string,
		cause: unknown,
		key: string,
		oldSecret: StoredSecret,
		attempted: { switch: boolean },
	): Promise<never> {
		const text = redactText(message(cause), [oldSecret.value, key]);
		if (cause instanceof LeaseLostError) {
			throw fail(
				stepName,
				`lost its lease to another run (this one outlived it) and stopped without rolling anything back; that run finishes the rotation`,
				text,
				'stopped',
			);
		}
		const owned = await settle(own());
		if (!owned.ok) {
			if (owned.error instanceof LeaseLostError)
				throw fail(
					stepName,
					'failed and then found its lease taken over by another run: it rolled nothing back; that run finishes the rotation',
					text,
					'stopped',
				);
			await settle(keepLeaseForRerun());
			throw fail(
				stepName,
				`is incomplete: it failed at "${stepName}" and could not renew its lease to roll back, so nothing was revoked; the new key ${held(key)} is held in ${leaseName(secretName, state.generation)}; the old key ${maskKey(oldSecret.value)} still works. Run again with the same Rotation ID to finish`,
				text,
				'incomplete',
			);
		}
		const unsure: string[] = [];
		if (attempted.switch && target.switchBack && oldSecret.value) {
			const back = await settle(target.switchBack(oldSecret.value));
			if (!back.ok) unsure.push('LiteLLM could not be switched back to the old key');
		}
		// Always checked: a write whose answer was lost, or a stopped run's write, may have landed.
		const restored = await restoreSecret(oldSecret, key);
		if (restored) unsure.push(restored);
		if (unsure.length) {
			await settle(keepLeaseForRerun());
			throw fail(
				stepName,
				`is incomplete: it failed at "${stepName}" and the rollback could not be confirmed (${unsure.join('; ')}). No key was revoked: both the old key ${maskKey(oldSecret.value)} and the new key ${held(key)} still work, and the new key is held in ${leaseName(secretName, state.generation)}. Run again with the same Rotation ID to finish the rotation`,
				text,
				'incomplete',
			);
		}
		const keep = target.keepOnRollback ? await settle(target.keepOnRollback(key)) : undefined;
		const keptNote = keep
			? keep.ok
				? keep.value
				: 'it may have replaced the old key in place, so it was kept'
			: undefined;
		if (keptNote) {
			await settle(keepLeaseForRerun());
			throw fail(
				stepName,
				`failed at "${stepName}": the new key ${held(key)} was kept (${keptNote}); it is held in ${leaseName(secretName, state.generation)}: fix the cause and run again with the same Rotation ID to finish; the old key ${maskKey(oldSecret.value)} is still stored`,
				text,
				'incomplete',
			);
		}
		const orphans: string[] = [];
		if (target.canRevokeNew && target.revoke) {
			// The lease moves the key from "pending" to "to revoke" first: a lease left behind must never hand a
			// revoked key to a re-run as its new key, and a key whose revoke fails stays held for the next run.
			const toRevoke = [...(state.revokeLater ?? []), key];
			const moved = await settle(
				save('leased', {
					pendingKey: undefined,
					minted: false,
					minting: undefined,
					revokeLater: toRevoke,
				}),
			);
			if (!moved.ok) {
				await settle(keepLeaseForRerun());
				throw fail(
					stepName,
					`is incomplete: it failed at "${stepName}"; the old key ${maskKey(oldSecret.value)} is stored and in use again; the new key ${held(key)} was not revoked and is held in the lease ${leaseName(secretName, state.generation)}. Run again with the same Rotation ID`,
					text,
					'incomplete',
				);
			}
			const revoked = await settle(target.revoke(key, 'new'));
			if (!revoked.ok) {
				await settle(keepLeaseForRerun());
				throw fail(
					stepName,
					`failed at "${stepName}" and was rolled back: the old key ${maskKey(oldSecret.value)} is still stored and in use; the new key ${held(key)} could not be revoked: it is held in the lease ${leaseName(secretName, state.generation)} and the next run with the same Rotation ID revokes it`,
					text,
					'rolled_back',
					[held(key)],
				);
			}
			if (toRevoke.length > 1) {
				// Older left-overs still wait: the lease stays (run out) to hold them for the next run.
				await settle(save('leased', { revokeLater: toRevoke.slice(0, -1) }));
				await settle(keepLeaseForRerun());
				throw fail(
					stepName,
					`failed at "${stepName}" and was rolled back: the old key ${maskKey(oldSecret.value)} is still stored and in use; keys of earlier attempts wait in ${leaseName(secretName, state.generation)} to be revoked by the next run`,
					text,
					'rolled_back',
					toRevoke.slice(0, -1).map(held),
				);
			}
		}
		await settle(releaseLease(store, secretName, state, now));
		throw fail(
			stepName,
			`failed at "${stepName}" and was rolled back: the old key ${maskKey(oldSecret.value)} is still stored and in use${orphans.length ? `; the new key could not be revoked, delete it by hand: ${orphans.join(', ')}` : ''}`,
			text,
			'rolled_back',
			orphans,
		);
	}

	function fail(
		stepName: string,
		what: string,
		causeText: string,
		outcome: RotationOutcome,
		orphans: string[] = [],
	): RotationFailedError {
		const lead = /^(failed|is incomplete|could not|lost)/.test(what)
			? what
			: `failed at "${stepName}": ${what}`;
		return new RotationFailedError(
			`Rotation of ${secretName} ${lead}. Cause: ${causeText}`,
			stepName,
			orphans,
			causeText,
			outcome,
		);
	}
}

/** What the `afterStage` test seam threw: a simulated crash, not a failure to compensate. */
class Crash {
	constructor(readonly inner: unknown) {}
}

function fateOf(outcome: RevokeOutcome): { fate: OldKeyFate; stillValidUntil?: string } {
	if (outcome === 'revoked') return { fate: 'revoked' };
	if (outcome === 'not_found') return { fate: 'already_gone' };
	if (outcome === 'blocked') return { fate: 'blocked' };
	return { fate: 'valid_until', stillValidUntil: outcome.validUntil };
}

function describe(key: string, version?: number) {
	return {
		masked: maskKey(key),
		fingerprint: fingerprint(key),
		...(version !== undefined ? { version } : {}),
	};
}

/** 12 hex characters from a CSPRNG: minted keys of two n8n instances (or two rotations) never share a name. */
function randomNonce(): string {
	return randomBytes(6).toString('hex');
}
