/**
 * The create-if-absent chain (claim/chain.ts) and the rotation lease built on it, over the in-memory store of
 * the Key Manager's unit tests: its create refuses a name that exists, like Infisical's. Concurrent claims run
 * as interleaved promises, so every await is a point where another claimant can step in.
 */
import {
	type Chain,
	claimNext,
	generationName,
	generationOf,
	readChain,
} from '../../../nodes/shared/claim/chain';
import { RotationInProgressError } from '../../../nodes/shared/rotation/errors';
import {
	acquireFreeLease,
	acquireLease,
	LEASE_SKEW_MS,
	LeaseLostError,
	leaseName,
	parseLease,
	releaseLease,
	writeLease,
} from '../../../nodes/shared/rotation/lease';
import type { LeaseState } from '../../../nodes/shared/rotation/types';
import { FakeStore, Ledger } from '../key-manager/fakes';

const CHAIN: Chain = { prefix: 'KEY_ROTATION_LEASE', legacy: 'KEY_ROTATION_LEASE' };

/** A store whose next create lands and then loses its answer (a reset after the commit). */
class LosingStore extends FakeStore {
	loseNextCreate = false;
	async create(name: string, value: string, comment: string): Promise<'created' | 'exists'> {
		const outcome = await super.create(name, value, comment);
		if (this.loseNextCreate) {
			this.loseNextCreate = false;
			throw new Error('socket hang up');
		}
		return outcome;
	}
}

const generations = async (store: FakeStore) =>
	(await readChain(store, CHAIN)).map((l) => l.generation);

describe('chain: names and generations', () => {
	it('reads generation numbers from names, the older single secret as 0, nothing else', () => {
		expect(generationName(CHAIN, 3)).toBe('KEY_ROTATION_LEASE_3');
		expect(generationName(CHAIN, 0)).toBe('KEY_ROTATION_LEASE');
		expect(generationOf(CHAIN, 'KEY_ROTATION_LEASE_12')).toBe(12);
		expect(generationOf(CHAIN, 'KEY_ROTATION_LEASE')).toBe(0);
		expect(generationOf(CHAIN, 'KEY_ROTATION_LEASE_01')).toBeUndefined();
		expect(generationOf(CHAIN, 'KEY_ROTATION_LEASE_x')).toBeUndefined();
		expect(generationOf(CHAIN, 'KEY')).toBeUndefined();
		expect(generationOf(CHAIN, 'OTHER_ROTATION_LEASE_1')).toBeUndefined();
	});
});

describe('chain: claims', () => {
	it('of many claimants of the same next generation exactly one wins', async () => {
		const store = new FakeStore(new Ledger());
		const outcomes = await Promise.all(
			Array.from({ length: 10 }, (_, i) => claimNext(store, CHAIN, 0, `claimant-${i}`, '')),
		);
		expect(outcomes.filter((o) => o.claimed)).toEqual([{ claimed: true, generation: 1 }]);
		const winner = outcomes.findIndex((o) => o.claimed);
		expect(store.value('KEY_ROTATION_LEASE_1')).toBe(`claimant-${winner}`);
	});

	it('a won claim removes the older generations, oldest first, and keeps the new head', async () => {
		const ledger = new Ledger();
		const store = new FakeStore(ledger);
		store.seed('KEY_ROTATION_LEASE', 'legacy');
		store.seed('KEY_ROTATION_LEASE_1', 'one');
		store.seed('KEY_ROTATION_LEASE_2', 'two');
		store.seed('UNRELATED', 'kept');
		expect(await claimNext(store, CHAIN, 2, 'three', '')).toEqual({
			claimed: true,
			generation: 3,
		});
		expect(await generations(store)).toEqual([3]);
		expect(store.value('UNRELATED')).toBe('kept');
		expect(ledger.writes()).toEqual([
			'store.create:KEY_ROTATION_LEASE_3',
			'store.remove:KEY_ROTATION_LEASE',
			'store.remove:KEY_ROTATION_LEASE_1',
			'store.remove:KEY_ROTATION_LEASE_2',
		]);
	});

	it('a slow claimant that read an old head loses even when its create succeeds on a cleaned-up number', async () => {
		const store = new FakeStore(new Ledger());
		store.seed('KEY_ROTATION_LEASE_3', 'head'); // 1 and 2 were cleaned up when 3 was claimed
		expect(await claimNext(store, CHAIN, 1, 'stale', '')).toEqual({ claimed: false });
		expect(store.value('KEY_ROTATION_LEASE_3')).toBe('head');
	});

	it('a create whose answer was lost counts when the generation holds exactly what was sent', async () => {
		const store = new LosingStore(new Ledger());
		store.loseNextCreate = true;
		expect(await claimNext(store, CHAIN, 0, 'mine', '')).toEqual({ claimed: true, generation: 1 });
	});

	it('a create that failed before landing is an error, not a claim', async () => {
		const ledger = new Ledger();
		const store = new FakeStore(ledger);
		ledger.failOn('store.create:KEY_ROTATION_LEASE_1');
		await expect(claimNext(store, CHAIN, 0, 'mine', '')).rejects.toThrow(/failed/);
		expect(await generations(store)).toEqual([]);
	});
});

const lease = (owner: string, expiresAt: number, rotationId = `rot-${owner}`): LeaseState => ({
	rotationId,
	owner,
	expiresAt,
	stage: 'leased',
});

describe('rotation lease on the chain', () => {
	const NOW = 1_000_000;
	const MS = 60_000;

	it('10 concurrent acquisitions: one holds the lease, nine are told a rotation is in progress', async () => {
		const store = new FakeStore(new Ledger());
		const results = await Promise.allSettled(
			Array.from({ length: 10 }, (_, i) =>
				acquireLease(store, 'KEY', lease(`exec-${i}`, NOW + MS), NOW),
			),
		);
		const won = results.filter((r) => r.status === 'fulfilled');
		expect(won).toHaveLength(1);
		const lost = results.filter((r) => r.status === 'rejected');
		for (const r of lost)
			expect((r as PromiseRejectedResult).reason).toBeInstanceOf(RotationInProgressError);
		expect(lost).toHaveLength(9);
	});

	it('two runs taking over the same expired lease at once: exactly one adopts it', async () => {
		const store = new FakeStore(new Ledger());
		store.seed(
			'KEY_ROTATION_LEASE_4',
			JSON.stringify({ ...lease('dead', NOW - 1), generation: 4 }),
		);
		const results = await Promise.allSettled([
			acquireLease(store, 'KEY', lease('a', NOW + MS), NOW),
			acquireLease(store, 'KEY', lease('b', NOW + MS), NOW),
		]);
		const won = results.filter((r) => r.status === 'fulfilled') as Array<
			PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLease>>>
		>;
		expect(won).toHaveLength(1);
		expect(won[0].value.adopted?.owner).toBe('dead');
		expect(won[0].value.state.generation).toBe(5);
		expect(await generations(store)).toEqual([5]);
	});

	it('a stalled owner renewing an expired lease and a taker race: exactly one goes on', async () => {
		const store = new FakeStore(new Ledger());
		let clock = NOW;
		const ours = (await acquireLease(store, 'KEY', lease('a', NOW + MS), NOW)).state;
		clock = NOW + MS + 1; // a stalled past its lease
		const [renew, take] = await Promise.allSettled([
			writeLease(store, 'KEY', { ...ours, expiresAt: clock + MS }, ours, () => clock),
			acquireLease(store, 'KEY', lease('b', clock + MS), clock),
		]);
		const winners = [renew, take].filter((r) => r.status === 'fulfilled');
		expect(winners).toHaveLength(1);
		if (renew.status === 'rejected') expect(renew.reason).toBeInstanceOf(LeaseLostError);
		if (take.status === 'rejected') expect(take.reason).toBeInstanceOf(RotationInProgressError);
		expect(await generations(store)).toEqual([2]);
	});

	it('a live lease is renewed in place; one with less than the skew margin left claims the next generation', async () => {
		const ledger = new Ledger();
		const store = new FakeStore(ledger);
		let clock = NOW;
		let ours = (await acquireLease(store, 'KEY', lease('a', NOW + MS), NOW)).state;
		ours = await writeLease(store, 'KEY', { ...ours, stage: 'created' }, ours, () => clock);
		expect(ours.generation).toBe(1);
		clock = ours.expiresAt - LEASE_SKEW_MS + 1;
		ours = await writeLease(
			store,
			'KEY',
			{ ...ours, stage: 'verified', expiresAt: clock + MS },
			ours,
			() => clock,
		);
		expect(ours.generation).toBe(2);
		expect(parseLease(store.value(leaseName('KEY', 2)))?.stage).toBe('verified');
		expect(ledger.writes()).toEqual([
			'store.create:KEY_ROTATION_LEASE_1',
			'store.update:KEY_ROTATION_LEASE_1',
			'store.create:KEY_ROTATION_LEASE_2',
			'store.remove:KEY_ROTATION_LEASE_1',
		]);
	});

	it('a lease changed by someone else is lost: the write stops before touching it', async () => {
		const store = new FakeStore(new Ledger());
		const ours = (await acquireLease(store, 'KEY', lease('a', NOW + MS), NOW)).state;
		store.seed('KEY_ROTATION_LEASE_2', JSON.stringify({ ...lease('b', NOW + MS), generation: 2 }));
		await expect(
			writeLease(store, 'KEY', { ...ours, stage: 'created' }, ours, () => NOW),
		).rejects.toBeInstanceOf(LeaseLostError);
		expect(await releaseLease(store, 'KEY', ours, () => NOW)).toBe('lost');
		expect(parseLease(store.value('KEY_ROTATION_LEASE_2'))?.owner).toBe('b');
	});

	it('release leaves a tombstone head; the next rotation claims after it and removes it', async () => {
		const store = new FakeStore(new Ledger());
		const first = (await acquireLease(store, 'KEY', lease('a', NOW + MS), NOW)).state;
		expect(await releaseLease(store, 'KEY', first, () => NOW)).toBe('released');
		expect(parseLease(store.value('KEY_ROTATION_LEASE_1'))).toMatchObject({ released: true });
		const second = await acquireLease(store, 'KEY', lease('b', NOW + MS), NOW);
		expect(second).toMatchObject({ resumed: false, state: { owner: 'b', generation: 2 } });
		expect(await generations(store)).toEqual([2]);
	});

	it('the older single lease is read as generation 0: a live one blocks, an expired one is adopted and removed', async () => {
		const store = new FakeStore(new Ledger());
		store.seed(leaseName('KEY'), JSON.stringify(lease('old', NOW + MS)));
		await expect(acquireLease(store, 'KEY', lease('a', NOW + MS), NOW)).rejects.toBeInstanceOf(
			RotationInProgressError,
		);
		const later = NOW + MS + 1;
		const taken = await acquireLease(store, 'KEY', lease('a', later + MS), later);
		expect(taken).toMatchObject({ resumed: true, adopted: { owner: 'old' } });
		expect(store.rows.has(leaseName('KEY'))).toBe(false);
		expect(await generations(store)).toEqual([1]);
	});

	it('the sweep takes only a free lease, never a stopped rotation it would have to finish', async () => {
		const store = new FakeStore(new Ledger());
		store.seed(
			'KEY_ROTATION_LEASE_1',
			JSON.stringify({ ...lease('dead', NOW - 1), generation: 1 }),
		);
		expect(await acquireFreeLease(store, 'KEY', lease('sweep', NOW + MS), NOW)).toBeUndefined();
		store.seed(
			'KEY_ROTATION_LEASE_1',
			JSON.stringify({ ...lease('dead', NOW - 1), generation: 1, released: true }),
		);
		expect(await acquireFreeLease(store, 'KEY', lease('sweep', NOW + MS), NOW)).toMatchObject({
			owner: 'sweep',
			generation: 2,
		});
	});
});

describe('rotation lease during an upgrade', () => {
	it('a live single lease of an older version outranks a chain head; taking it over claims after the head', async () => {
		const store = new FakeStore(new Ledger());
		const now = 1_000_000;
		store.seed(
			'KEY_ROTATION_LEASE_3',
			JSON.stringify({ ...lease('done', 0), generation: 3, released: true }),
		);
		store.seed(leaseName('KEY'), JSON.stringify(lease('older-n8n', now + 60_000)));
		await expect(acquireLease(store, 'KEY', lease('a', now + 60_000), now)).rejects.toBeInstanceOf(
			RotationInProgressError,
		);
		const later = now + 60_001;
		const taken = await acquireLease(store, 'KEY', lease('a', later + 60_000), later);
		expect(taken).toMatchObject({ adopted: { owner: 'older-n8n' }, state: { generation: 4 } });
		expect(await generations(store)).toEqual([4]);
	});
});
