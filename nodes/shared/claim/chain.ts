import { settle } from '../settle';
import type { SecretStore, StoredSecret } from '../transport/infisical';

/**
 * A chain of generation secrets `<prefix>_<n>` in one Infisical folder: the only atomic step Infisical offers
 * is "create refuses a name that exists" (400 "Secret already exist"; it has no compare-and-set on update),
 * so every change of owner is the create of the next generation, and of two runs that claim generation n+1
 * exactly one succeeds. Rules that keep "the highest generation is the owner" true:
 * - a run creates generation n+1 only after it read generation n as the head;
 * - a generation is deleted only after a higher one exists (cleanup after a claim, oldest first), and the
 *   head is never deleted (a finished owner leaves it, marked free, as a tombstone), so numbers only grow;
 * - a create can still succeed on a number that was deleted (a slow claimant): the claim is checked by
 *   reading the chain again, and a higher generation there means the claim lost.
 * `legacy` is the name of the single secret an older version used: it counts as generation 0.
 */
export interface Chain {
	prefix: string;
	legacy?: string;
}

export interface Link {
	generation: number;
	name: string;
	secret: StoredSecret;
}

export const generationName = (chain: Chain, generation: number): string =>
	generation === 0 && chain.legacy ? chain.legacy : `${chain.prefix}_${generation}`;

/** The generation a secret name holds in the chain, or undefined when it is not part of it. */
export function generationOf(chain: Chain, name: string): number | undefined {
	if (chain.legacy && name === chain.legacy) return 0;
	if (!name.startsWith(`${chain.prefix}_`)) return undefined;
	const tail = name.slice(chain.prefix.length + 1);
	return /^[1-9][0-9]{0,8}$/.test(tail) ? Number(tail) : undefined;
}

/** Every generation present, oldest first (one list request: a consistent view of the folder). */
export async function readChain(store: SecretStore, chain: Chain): Promise<Link[]> {
	const links: Link[] = [];
	for (const secret of await store.list()) {
		const generation = generationOf(chain, secret.name);
		if (generation !== undefined) links.push({ generation, name: secret.name, secret });
	}
	return links.sort((a, b) => a.generation - b.generation);
}

export const headOf = (links: Link[]): Link | undefined => links.at(-1);

export type ClaimOutcome = { claimed: true; generation: number } | { claimed: false };

/**
 * Claims generation `after + 1` with `value`. Lost when another run created it first, or when a higher
 * generation exists once it is made (the number had been used and cleaned up: this run read a stale head).
 * A create whose answer was lost counts when the generation holds exactly `value`. Older generations are
 * deleted after a won claim, oldest first; a failed delete is left for the next claim.
 */
export async function claimNext(
	store: SecretStore,
	chain: Chain,
	after: number,
	value: string,
	comment: string,
): Promise<ClaimOutcome> {
	const generation = after + 1;
	const name = generationName(chain, generation);
	const made = await settle(store.create(name, value, comment));
	if (made.ok && made.value === 'exists') return { claimed: false };
	if (!made.ok) {
		const landed = await settle(store.get(name));
		if (!landed.ok || landed.value?.value !== value) throw made.error;
	}
	const links = await readChain(store, chain);
	if (links.some((l) => l.generation > generation)) return { claimed: false };
	for (const link of links) {
		if (link.generation >= generation) break;
		const removed = await settle(store.remove(link.name));
		if (!removed.ok) break;
	}
	return { claimed: true, generation };
}
