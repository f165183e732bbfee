import { settle } from '../settle';
import type { SecretStore } from '../transport/infisical';
import {
	type Chain,
	claimNext,
	generationName,
	headOf,
	type Link,
	readChain,
} from '../claim/chain';
import { RotationInProgressError } from './errors';
import type { LeaseState } from './types';

/**
 * The lease of one key lives next to it in Infisical, so every n8n worker (queue mode included) sees the same
 * one: a chain of generations `<secret>_ROTATION_LEASE_<n>` (claim/chain.ts). Taking a lease over, or renewing
 * one that ran out, creates the next generation, which exactly one run can do; `<secret>_ROTATION_LEASE`, the
 * single lease of older versions, is read as generation 0 and removed by the first claim.
 */
export const leaseChain = (secretName: string): Chain => ({
	prefix: `${secretName}_ROTATION_LEASE`,
	legacy: `${secretName}_ROTATION_LEASE`,
});

/** The secret that holds a generation of the lease (what messages name). */
export const leaseName = (secretName: string, generation = 0): string =>
	generationName(leaseChain(secretName), generation);

/** True for any secret of a lease chain (never a key to list, store or rotate). */
export const isLeaseName = (name: string): boolean => /_ROTATION_LEASE(_[1-9][0-9]*)?$/.test(name);

/**
 * Clock skew between n8n processes, plus the time a lease write may take to land: an owner renews in place
 * only while its lease still has this much left, so nobody else can be claiming it at that moment.
 */
export const LEASE_SKEW_MS = 5_000;

const COMMENT =
	'Rotation lease of the n8n LiteLLM Key Manager (one generation of a chain; the newest stays, marked released, when the rotation ends). Holds the new key while the rotation runs.';

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

/** `state` placed in a generation; a state written into the chain is never a released one. */
const withGeneration = (state: LeaseState, generation: number): LeaseState => {
	const next: LeaseState = { ...state, generation };
	delete next.released;
	return next;
};

/**
 * The lease that counts: the chain's head, unless the single lease of an older version holds a rotation (an
 * older n8n still running during an upgrade knows nothing of the chain); `after` is the number to claim after.
 */
function current(links: Link[]): { held?: LeaseState; after: number } {
	const after = headOf(links)?.generation ?? 0;
	const legacy = parseLease(links.find((l) => l.generation === 0)?.secret.value);
	if (legacy && !legacy.released) return { held: legacy, after };
	return { held: parseLease(headOf(links)?.secret.value), after };
}

/** Claims the generation after `head` with `state`; RotationInProgressError naming the winner when lost. */
async function claimAfter(
	store: SecretStore,
	secretName: string,
	head: number,
	state: LeaseState,
	now: number,
): Promise<LeaseState> {
	const next = withGeneration(state, head + 1);
	const outcome = await claimNext(
		store,
		leaseChain(secretName),
		head,
		JSON.stringify(next),
		COMMENT,
	);
	if (outcome.claimed) return next;
	const winner = await settle(readChain(store, leaseChain(secretName)));
	const held = winner.ok ? parseLease(headOf(winner.value)?.secret.value) : undefined;
	throw new RotationInProgressError(
		secretName,
		held?.rotationId ?? 'unknown',
		held?.expiresAt ?? now,
	);
}

/**
 * Takes the lease: a free chain (none, released, unreadable head) is claimed with `fresh`; a lease held by
 * the same rotation id is re-entered by its own owner or once it ran out; a live lease of another id is
 * "rotation in progress"; an expired one is taken over, and the stopped rotation it describes is finished
 * first (its new key may already be stored). Every way in is the create of the next generation.
 */
export async function acquireLease(
	store: SecretStore,
	secretName: string,
	fresh: LeaseState,
	now: number,
): Promise<Acquired> {
	const { held, after: headGeneration } = current(await readChain(store, leaseChain(secretName)));
	if (!held || held.released)
		return {
			state: await claimAfter(store, secretName, headGeneration, fresh, now),
			resumed: false,
		};
	// The same rotation id is re-entered only by its own owner or once the lease has run out: two executions
	// given one rotation id (a workflow triggered twice) must not both run it.
	if (
		held.rotationId === fresh.rotationId &&
		(held.owner === fresh.owner || held.expiresAt <= now)
	) {
		const renewed = { ...held, owner: fresh.owner, expiresAt: fresh.expiresAt };
		return {
			state: await claimAfter(store, secretName, headGeneration, renewed, now),
			resumed: true,
		};
	}
	if (held.expiresAt > now)
		throw new RotationInProgressError(secretName, held.rotationId, held.expiresAt);
	// Expired: adopt the stopped rotation so its half-done work converges.
	const adopted = { ...held, owner: fresh.owner, expiresAt: fresh.expiresAt };
	return {
		state: await claimAfter(store, secretName, headGeneration, adopted, now),
		resumed: true,
		adopted: held,
	};
}

/**
 * For work that must not adopt a stopped rotation (the pending-revoke sweep): the lease only when nobody
 * holds it, live or expired; undefined otherwise.
 */
export async function acquireFreeLease(
	store: SecretStore,
	secretName: string,
	fresh: LeaseState,
	now: number,
): Promise<LeaseState | undefined> {
	const { held, after } = current(await readChain(store, leaseChain(secretName)));
	if (held && !held.released) return undefined;
	const claimed = await settle(claimAfter(store, secretName, after, fresh, now));
	if (claimed.ok) return claimed.value;
	if (claimed.error instanceof RotationInProgressError) return undefined;
	throw claimed.error;
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

/** The chain's head when it is still the generation this run last wrote (same owner and expiry). */
async function ourHead(
	store: SecretStore,
	secretName: string,
	ours: LeaseState,
): Promise<Link | undefined> {
	const head = headOf(await readChain(store, leaseChain(secretName)));
	const held = parseLease(head?.secret.value);
	const same =
		head &&
		held &&
		head.generation === (ours.generation ?? 0) &&
		held.owner === ours.owner &&
		held.expiresAt === ours.expiresAt &&
		!held.released;
	return same ? head : undefined;
}

/**
 * Writes the next state over `ours` (what this run last wrote) and returns it as written; LeaseLostError when
 * the lease changed meanwhile. While `ours` has time left nobody may claim the chain, so the write goes in
 * place; a lease that ran out (or a write answered too late to be sure it landed in time) is renewed like a
 * takeover, by claiming the next generation: then exactly one of this run and a taker goes on.
 */
export async function writeLease(
	store: SecretStore,
	secretName: string,
	state: LeaseState,
	ours: LeaseState,
	now: () => number,
): Promise<LeaseState> {
	const head = await ourHead(store, secretName, ours);
	if (!head) throw new LeaseLostError(secretName);
	if (head.generation > 0 && ours.expiresAt - now() > LEASE_SKEW_MS) {
		const next = withGeneration(state, head.generation);
		const text = JSON.stringify(next);
		const wrote = await settle(store.update(head.name, text));
		if (!wrote.ok) {
			// An answer lost after the write landed is a success: the generation says which.
			const landed = await settle(store.get(head.name));
			if (!landed.ok || landed.value?.value !== text) throw wrote.error;
		}
		if (ours.expiresAt - now() > LEASE_SKEW_MS) return next;
	}
	const claimed = await settle(claimAfter(store, secretName, head.generation, state, now()));
	if (claimed.ok) return claimed.value;
	if (claimed.error instanceof RotationInProgressError) throw new LeaseLostError(secretName);
	throw claimed.error;
}

/**
 * Marks the lease released if it is still `ours`: the generation stays as the chain's head (numbers must
 * only grow) and the next claim removes it. A lease another run took over is left to it ('lost').
 */
export async function releaseLease(
	store: SecretStore,
	secretName: string,
	ours: LeaseState,
	now: () => number = Date.now,
): Promise<'released' | 'lost'> {
	const head = await ourHead(store, secretName, ours);
	if (!head) return 'lost';
	// A legacy single lease (generation 0) is not part of the chain's numbering: it is simply deleted.
	if (head.generation === 0) {
		await store.remove(head.name);
		return 'released';
	}
	const tombstone: LeaseState = {
		rotationId: ours.rotationId,
		owner: ours.owner,
		expiresAt: now(),
		stage: 'leased',
		generation: head.generation,
		released: true,
	};
	await store.update(head.name, JSON.stringify(tombstone));
	return 'released';
}
