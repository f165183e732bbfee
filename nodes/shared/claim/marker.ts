import { createHash } from 'crypto';

import { settle } from '../settle';
import type { SecretStore } from '../transport/infisical';
import { type Chain, claimNext, generationName, headOf, readChain } from './chain';

/**
 * "Do this once, across every n8n process": a marker secret claimed with create-if-absent before the work and
 * made final after it. The marker `<name>` is generation 0 of a chain (claim/chain.ts), so a marker that was
 * given back (the work failed) or abandoned (its owner died before making it final) is claimed again by
 * creating the next generation, which exactly one run can do.
 */
export type MarkerStatus = 'sending' | 'done' | 'released';

export interface MarkerState {
	status: MarkerStatus;
	owner: string;
	/** When the status was written (ms). */
	at: number;
	/** What the marker is about, for a person reading Infisical (never a secret). */
	about?: string;
}

export interface Claimed {
	name: string;
	generation: number;
}

const chainOf = (name: string): Chain => ({ prefix: name, legacy: name });

/** A marker name: `<prefix><24 hex of sha256 over the parts>`, upper case (Infisical secret names). */
export function markerName(prefix: string, parts: string[]): string {
	const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);
	return `${prefix}${digest.toUpperCase()}`;
}

export function parseMarker(value: string | undefined): MarkerState | undefined {
	if (!value) return undefined;
	try {
		const parsed = JSON.parse(value) as MarkerState;
		return typeof parsed.status === 'string' && typeof parsed.at === 'number' ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Claims the marker for this run, or undefined when another run did the work (`done`) or is doing it
 * (`sending`, younger than `staleMs`). A `sending` marker older than `staleMs` belonged to a run that died
 * between doing the work and recording it: it is claimed again, so that work may be done once more.
 */
export async function claimMarker(
	store: SecretStore,
	name: string,
	state: MarkerState,
	staleMs: number,
	comment: string,
): Promise<Claimed | undefined> {
	const chain = chainOf(name);
	const head = headOf(await readChain(store, chain));
	const held = parseMarker(head?.secret.value);
	if (held?.status === 'done') return undefined;
	if (held?.status === 'sending' && state.at - held.at < staleMs) return undefined;
	const after = head ? head.generation : -1;
	const outcome = await claimNext(store, chain, after, JSON.stringify(state), comment);
	return outcome.claimed
		? { name: generationName(chain, outcome.generation), generation: outcome.generation }
		: undefined;
}

/**
 * Makes a claimed marker final (`done`) or gives it back (`released`: the next run claims it again). Written
 * in place: only the claimant writes its generation. False when the write failed (the marker stays `sending`
 * and is claimed again once stale).
 */
export async function settleMarker(
	store: SecretStore,
	claimed: Claimed,
	state: MarkerState,
): Promise<boolean> {
	const wrote = await settle(store.update(claimed.name, JSON.stringify(state)));
	return wrote.ok;
}
