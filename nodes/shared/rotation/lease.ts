import type { SecretStore } from '../transport/infisical';
import { RotationInProgressError } from './errors';
import type { LeaseState } from './types';

/** The lease of one key lives next to it in Infisical, so every n8n worker sees the same one. */
export const leaseName = (secretName: string): string => `${secretName}_ROTATION_LEASE`;

const COMMENT =
	'Rotation lease of the n8n LiteLLM Key Manager; deleted when the rotation ends. Holds the new key while the rotation runs.';

export function parseLease(value: string | undefined): LeaseState | undefined {
	if (!value) return undefined;
	try {
		const parsed = JSON.parse(value) as LeaseState;
		return typeof parsed.rotationId === 'string' && typeof parsed.expiresAt === 'number'
			? parsed
			: undefined;
	} catch {
		return undefined;
	}
}

export interface Acquired {
	state: LeaseState;
	/** True when the lease already belonged to this rotation id (a re-run). */
	resumed: boolean;
	/** Set when an expired lease of another rotation was taken over: that rotation's state. */
	adopted?: LeaseState;
}

/**
 * Create-if-absent is the lock (Infisical refuses to create a secret that exists). A lease held by the same
 * rotation id is re-entered; a live lease of another id is "rotation in progress"; an expired one is taken
 * over, and the stopped rotation it describes is finished first (its new key may already be stored).
 * Known limit: Infisical has no compare-and-delete, so two workers taking over the same *expired* lease at
 * the same instant could both proceed; the live-lease case (the common one) is exact.
 */
export async function acquireLease(
	store: SecretStore,
	secretName: string,
	fresh: LeaseState,
	now: number,
): Promise<Acquired> {
	const name = leaseName(secretName);
	if ((await store.create(name, JSON.stringify(fresh), COMMENT)) === 'created')
		return { state: fresh, resumed: false };

	const current = await store.get(name);
	const held = parseLease(current?.value);
	// The same rotation id is re-entered only by its own owner or once the lease has run out: two executions
	// given one rotation id (a workflow triggered twice) must not both run it.
	if (
		held &&
		held.rotationId === fresh.rotationId &&
		(held.owner === fresh.owner || held.expiresAt <= now)
	) {
		const renewed = { ...held, owner: fresh.owner, expiresAt: fresh.expiresAt };
		await store.update(name, JSON.stringify(renewed));
		return { state: renewed, resumed: true };
	}
	if (held && held.expiresAt > now)
		throw new RotationInProgressError(secretName, held.rotationId, held.expiresAt);

	// Expired (or unreadable): adopt the stopped rotation so its half-done work converges.
	if (held) {
		const adopted = { ...held, owner: fresh.owner, expiresAt: fresh.expiresAt };
		await store.update(name, JSON.stringify(adopted));
		const check = parseLease((await store.get(name))?.value);
		if (!check || check.owner !== fresh.owner || check.expiresAt !== fresh.expiresAt) {
			throw new RotationInProgressError(
				secretName,
				check?.rotationId ?? held.rotationId,
				check?.expiresAt ?? now,
			);
		}
		return { state: adopted, resumed: true, adopted: held };
	}
	await store.remove(name);
	if ((await store.create(name, JSON.stringify(fresh), COMMENT)) === 'created')
		return { state: fresh, resumed: false };
	const other = parseLease((await store.get(name))?.value);
	throw new RotationInProgressError(
		secretName,
		other?.rotationId ?? 'unknown',
		other?.expiresAt ?? now,
	);
}

/** Another run took the lease over (this one outlived its lease): it must stop writing. */
export class LeaseLostError extends Error {
	constructor(readonly secretName: string) {
		super(
			`The rotation lease of ${secretName} was taken over by another run (this one outlived its lease): this run stopped`,
		);
		this.name = 'LeaseLostError';
	}
}

/** True when the lease holds exactly `state`: a write whose answer was lost did land. */
export async function leaseHolds(
	store: SecretStore,
	secretName: string,
	state: LeaseState,
): Promise<boolean> {
	const held = parseLease((await store.get(leaseName(secretName)))?.value);
	return JSON.stringify(held) === JSON.stringify(state);
}

/** True while the lease is still the one this run last wrote (same owner and expiry). */
async function stillOurs(
	store: SecretStore,
	secretName: string,
	ours: LeaseState,
): Promise<boolean> {
	const held = parseLease((await store.get(leaseName(secretName)))?.value);
	return Boolean(held && held.owner === ours.owner && held.expiresAt === ours.expiresAt);
}

/**
 * Writes the next state over `ours` (what this run last wrote), after re-reading the lease: LeaseLostError
 * when it changed meanwhile. Infisical has no compare-and-set, so a window of one request remains.
 */
export async function writeLease(
	store: SecretStore,
	secretName: string,
	state: LeaseState,
	ours: LeaseState,
): Promise<void> {
	if (!(await stillOurs(store, secretName, ours))) throw new LeaseLostError(secretName);
	await store.update(leaseName(secretName), JSON.stringify(state));
}

/** Deletes the lease if it is still `ours`; a lease another run took over is left to it ('lost'). */
export async function releaseLease(
	store: SecretStore,
	secretName: string,
	ours: LeaseState,
): Promise<'released' | 'lost'> {
	if (!(await stillOurs(store, secretName, ours))) return 'lost';
	await store.remove(leaseName(secretName));
	return 'released';
}
