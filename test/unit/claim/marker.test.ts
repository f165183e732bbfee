/**
 * Once-only markers (claim/marker.ts) over the in-memory store whose create refuses an existing name, like
 * Infisical's: claimed by exactly one of many runs, final once done, claimed again when released or stale.
 */
import {
	claimMarker,
	type MarkerState,
	markerName,
	parseMarker,
	settleMarker,
} from '../../../nodes/shared/claim/marker';
import { FakeStore, Ledger } from '../key-manager/fakes';

const NAME = markerName('LITELLM_BUDGET_ALERT_', ['key:abc', '95', '2026-02-01T00:00:00Z']);
const STALE = 600_000;
const state = (owner: string, at: number, status: MarkerState['status'] = 'sending') => ({
	status,
	owner,
	at,
});

describe('marker names', () => {
	it('are the prefix and 24 upper-case hex of the parts, different for any part', () => {
		expect(NAME).toMatch(/^LITELLM_BUDGET_ALERT_[0-9A-F]{24}$/);
		expect(markerName('LITELLM_BUDGET_ALERT_', ['key:abc', '95', '2026-02-01T00:00:00Z'])).toBe(
			NAME,
		);
		expect(markerName('LITELLM_BUDGET_ALERT_', ['key:abc', '80', '2026-02-01T00:00:00Z'])).not.toBe(
			NAME,
		);
		expect(markerName('LITELLM_BUDGET_ALERT_', ['key:abc', '95', '2026-03-01T00:00:00Z'])).not.toBe(
			NAME,
		);
	});
});

describe('claiming a marker', () => {
	it('of 10 runs claiming at once exactly one gets it', async () => {
		const store = new FakeStore(new Ledger());
		const claims = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				claimMarker(store, NAME, state(`r${i}`, 1000), STALE, ''),
			),
		);
		expect(claims.filter(Boolean)).toEqual([{ name: NAME, generation: 0 }]);
	});

	it('done is final; a young "sending" is left to its run; a stale one or a released one is claimed again', async () => {
		const store = new FakeStore(new Ledger());
		const first = (await claimMarker(store, NAME, state('a', 1000), STALE, ''))!;
		expect(await claimMarker(store, NAME, state('b', 1000 + STALE - 1), STALE, '')).toBeUndefined();
		const retaken = (await claimMarker(store, NAME, state('b', 1000 + STALE), STALE, ''))!;
		expect(retaken).toEqual({ name: `${NAME}_1`, generation: 1 });
		expect(store.rows.has(first.name)).toBe(false); // the older generation is cleaned up
		expect(await settleMarker(store, retaken, state('b', 2000, 'released'))).toBe(true);
		const again = (await claimMarker(store, NAME, state('c', 2001), STALE, ''))!;
		expect(again.generation).toBe(2);
		expect(await settleMarker(store, again, state('c', 2002, 'done'))).toBe(true);
		expect(parseMarker(store.value(again.name))?.status).toBe('done');
		expect(await claimMarker(store, NAME, state('d', 10 ** 9), STALE, '')).toBeUndefined();
	});

	it('a failed final write says so (the marker stays "sending" and goes stale)', async () => {
		const ledger = new Ledger();
		const store = new FakeStore(ledger);
		const claimed = (await claimMarker(store, NAME, state('a', 1000), STALE, ''))!;
		ledger.failOn(`store.update:${NAME}`);
		expect(await settleMarker(store, claimed, state('a', 1001, 'done'))).toBe(false);
		expect(parseMarker(store.value(NAME))?.status).toBe('sending');
	});
});
