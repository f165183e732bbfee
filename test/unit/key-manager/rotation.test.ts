/**
 * The rotation invariants (docs/architecture.md, Rotation), each on the state machine with an injected store
 * and target that write one call ledger; the exact order of side effects is asserted.
 */
import {
	RotationFailedError,
	RotationInProgressError,
} from '../../../nodes/shared/rotation/errors';
import { isLeaseName, leaseName } from '../../../nodes/shared/rotation/lease';
import { rotate } from '../../../nodes/shared/rotation/machine';
import { parseMetadata } from '../../../nodes/shared/rotation/metadata';
import { STAGES, type Stage } from '../../../nodes/shared/rotation/types';
import { FakeStore, FakeTarget, Ledger } from './fakes';

const NAME = 'OPENAI_API_KEY';
const OLD = 'sk-old-0123456789abcdefghij';
/** The lease chain's first generation; the single lease of older versions is `LEGACY` (generation 0). */
const LEASE = leaseName(NAME, 1);
const LEGACY = leaseName(NAME);

/** No generation of the lease chain holds a rotation: each left is a released tombstone. */
function leaseFree(store: FakeStore): boolean {
	return [...store.rows.keys()]
		.filter(isLeaseName)
		.every((name) => (JSON.parse(store.value(name)!) as { released?: boolean }).released === true);
}

function setup(now = () => 1_000_000) {
	const ledger = new Ledger();
	const store = new FakeStore(ledger);
	store.seed(NAME, OLD, JSON.stringify({ provider: 'openai' }));
	const target = new FakeTarget(ledger, OLD);
	const run = (rotationId = 'rot-1', extra: Partial<Parameters<typeof rotate>[0]> = {}) =>
		rotate({
			secretName: NAME,
			rotationId,
			owner: 'exec-1',
			leaseMs: 60_000,
			store,
			target,
			keyNamePrefix: 'openai',
			now,
			...extra,
		});
	return { ledger, store, target, run };
}

/** The end state every successful or converged rotation must reach. */
function expectConverged(store: FakeStore, target: FakeTarget) {
	const stored = store.value(NAME)!;
	expect(stored).not.toBe(OLD);
	expect([...target.live]).toEqual([stored]); // exactly one working key, and it is the stored one
	expect(target.inUse).toBe(stored); // the gateway uses it
	expect(leaseFree(store)).toBe(true); // lease released
}

describe('invariant 1: the working key is never lost (create, verify, persist, switch, then revoke)', () => {
	it('runs the stages in order and revokes the old key last', async () => {
		const { ledger, store, target, run } = setup();
		const report = await run();
		// Every side effect follows a lease write: proof of ownership (re-read, renew) or the recorded stage.
		expect(ledger.writes()).toEqual([
			`store.create:${LEASE}`,
			`store.update:${LEASE}`, // the name the key is minted under, recorded before the mint
			'target.create',
			`store.update:${LEASE}`, // stash: the new key goes straight into Infisical
			`store.update:${LEASE}`, // own
			'target.verify',
			`store.update:${LEASE}`,
			`store.update:${LEASE}`, // own
			`store.update:${NAME}`, // persist
			`store.update:${LEASE}`,
			`store.update:${LEASE}`, // own
			'target.switchTo',
			`store.update:${LEASE}`,
			`store.update:${LEASE}`, // own
			'target.revoke', // only now
			`store.update:${LEASE}` /* released */,
		]);
		expect(report.status).toBe('rotated');
		expect(report.oldKey?.fate).toBe('revoked');
		expect(report.stages).toEqual(['created', 'verified', 'persisted', 'switched', 'revoked']);
		expectConverged(store, target);
		expect(parseMetadata(store.comment(NAME)).lastRotationId).toBe('rot-1');
	});

	it('a new key that fails verification is revoked; the old one stays stored, in use and alive', async () => {
		const { ledger, store, target, run } = setup();
		ledger.failOn('target.verify');
		await expect(run()).rejects.toBeInstanceOf(RotationFailedError);
		expect(ledger.writes().slice(-5)).toEqual([
			'target.verify',
			`store.update:${LEASE}`,
			`store.update:${LEASE}`,
			'target.revoke',
			`store.update:${LEASE}` /* released */,
		]);
		expect(store.value(NAME)).toBe(OLD);
		expect([...target.live]).toEqual([OLD]);
	});

	it('a mint that fails changes nothing and releases the lease, so a later run with the same id starts afresh', async () => {
		const { ledger, store, target, run } = setup();
		ledger.failOn('target.create');
		await expect(run('rot-month', { owner: 'exec-1' })).rejects.toMatchObject({ step: 'create' });
		// The failed mint is looked for under its recorded name before the run says nothing was made.
		// Only the lease's owner looks for it (own, then discard).
		expect(ledger.writes().slice(-4)).toEqual([
			'target.create',
			`store.update:${LEASE}`,
			'target.discardOrphan',
			`store.update:${LEASE}` /* released */,
		]);
		expect(store.value(NAME)).toBe(OLD);
		expect(leaseFree(store)).toBe(true);
		const report = await run('rot-month', { owner: 'exec-2' });
		expect(report.status).toBe('rotated');
		expectConverged(store, target);
	});
});

describe('invariant 2: compensation when persisting or switching fails', () => {
	it('persist fails → the new key is revoked, the old key untouched', async () => {
		const { ledger, store, target, run } = setup();
		ledger.failOn(`store.update:${NAME}`);
		const error = (await run().catch((e: unknown) => e)) as RotationFailedError;
		expect(error).toBeInstanceOf(RotationFailedError);
		expect(error.step).toBe('persist');
		expect(ledger.writes().slice(-5)).toEqual([
			`store.update:${NAME}`,
			`store.update:${LEASE}`,
			`store.update:${LEASE}`,
			'target.revoke',
			`store.update:${LEASE}` /* released */,
		]);
		expect(store.value(NAME)).toBe(OLD);
		expect([...target.live]).toEqual([OLD]);
		expect(target.inUse).toBe(OLD);
		expect(ledger.calls).not.toContain('target.switchTo');
	});

	it('switch fails → gateway switched back, secret restored to the old value, new key revoked', async () => {
		const { ledger, store, target, run } = setup();
		ledger.failOn('target.switchTo');
		const error = (await run().catch((e: unknown) => e)) as RotationFailedError;
		expect(error.step).toBe('switch');
		expect(ledger.writes().slice(-7)).toEqual([
			'target.switchTo',
			`store.update:${LEASE}`, // own, before rolling back
			'target.switchBack',
			`store.update:${NAME}`, // restore, confirmed by a re-read
			`store.update:${LEASE}`, // own
			'target.revoke', // the new one, only after the restore was confirmed
			`store.update:${LEASE}` /* released */,
		]);
		expect(store.value(NAME)).toBe(OLD);
		expect([...target.live]).toEqual([OLD]);
		expect(target.inUse).toBe(OLD);
	});

	it('stash fails (the lease write after the mint) → the new key is revoked at once', async () => {
		const { ledger, store, target, run } = setup();
		ledger.failOn(`store.update:${LEASE}`, undefined, 1);
		const error = (await run().catch((e: unknown) => e)) as RotationFailedError;
		expect(error.step).toBe('create');
		expect(error.outcome).toBe('rolled_back');
		// The failed stash is followed by proof of ownership before the revoke.
		expect(ledger.writes().slice(1)).toEqual([
			`store.update:${LEASE}`,
			'target.create',
			`store.update:${LEASE}`,
			`store.update:${LEASE}`,
			'target.revoke',
			`store.update:${LEASE}` /* released */,
		]);
		expect(store.value(NAME)).toBe(OLD);
		expect([...target.live]).toEqual([OLD]);
	});

	it('a compensation that cannot revoke the new key names it (masked) as an orphan', async () => {
		const { ledger, run } = setup();
		ledger.failOn(`store.update:${NAME}`);
		ledger.failOn('target.revoke');
		const error = (await run().catch((e: unknown) => e)) as RotationFailedError;
		expect(error.orphans).toHaveLength(1);
		expect(error.orphans[0]).toMatch(/^sk-\.\.\.[a-p]{4} \([0-9a-f]{12}\)$/);
	});
});

class Crash extends Error {}

describe('invariant 3 and the crash test: stop at every step boundary, run again, converge', () => {
	const boundaries: Stage[] = [...STAGES];

	it.each(boundaries)(
		'stopped after "%s", the re-run with the same rotation id converges',
		async (stopAt) => {
			const { ledger, store, target, run } = setup();
			await expect(
				run('rot-crash', {
					afterStage: (stage) => {
						if (stage === stopAt) throw new Crash(`killed after ${stage}`);
					},
				}),
			).rejects.toBeInstanceOf(Crash);
			const second = await run('rot-crash');
			expect(second.status).toBe('rotated');
			expect(second.resumed).toBe(true);
			expectConverged(store, target);
			// Exactly one key was minted over both runs.
			expect(ledger.calls.filter((c) => c === 'target.create')).toHaveLength(1);
		},
	);

	it('a mint whose answer was lost (plaintext lost): the key is found by its recorded name and removed at once', async () => {
		const { store, target, run } = setup();
		target.loseNextMint = true;
		await expect(run('rot-lost')).rejects.toThrow('worker killed');
		expect(target.live.size).toBe(1); // the orphan was found under the name recorded before the mint
		const second = await run('rot-lost');
		expect(second.status).toBe('rotated');
		expectConverged(store, target);
	});

	it('a re-run after success does nothing (idempotent by rotation id)', async () => {
		const { ledger, store, target, run } = setup();
		await run('rot-twice');
		const stored = store.value(NAME);
		const before = ledger.calls.length;
		const again = await run('rot-twice');
		expect(again.status).toBe('already_rotated');
		expect(store.value(NAME)).toBe(stored);
		expect(ledger.calls.slice(before).filter((c) => c.startsWith('target.'))).toEqual([]);
		expectConverged(store, target);
	});

	it('404 on revoke counts as done', async () => {
		const { target, run } = setup();
		target.live.delete(OLD); // someone revoked it by hand already
		const report = await run();
		expect(report.oldKey?.fate).toBe('already_gone');
	});
});

describe('invariant 4: at most one rotation per key in flight (lease in the key store)', () => {
	it('two concurrent rotations: exactly one rotates, the other says "in progress" and changes nothing', async () => {
		const { ledger, store, target, run } = setup();
		const results = await Promise.allSettled([run('rot-a'), run('rot-b')]);
		const fulfilled = results.filter((r) => r.status === 'fulfilled');
		const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(fulfilled).toHaveLength(1);
		expect(rejected).toHaveLength(1);
		expect(rejected[0].reason).toBeInstanceOf(RotationInProgressError);
		expect(String(rejected[0].reason.message)).toMatch(/already in progress/);
		expect(ledger.calls.filter((c) => c === 'target.create')).toHaveLength(1);
		expectConverged(store, target);
	});

	it('a live lease of another rotation refuses; an expired one is adopted and finished', async () => {
		let clock = 1_000_000;
		const { store, target, run } = setup(() => clock);
		await expect(
			run('rot-a', {
				afterStage: (s) => {
					if (s === 'verified') throw new Crash('x');
				},
			}),
		).rejects.toBeInstanceOf(Crash);
		await expect(run('rot-b')).rejects.toBeInstanceOf(RotationInProgressError);
		clock += 61_000; // lease expired
		const report = await run('rot-b');
		expect(report.rotationId).toBe('rot-a'); // the stopped rotation was finished, not a second one begun
		expect(report.resumed).toBe(true);
		expectConverged(store, target);
	});
});

describe('stopping before any change: the lease is released, unless it holds a minted key', () => {
	it('the old version is gone → the error, and the lease released (no stuck rotation)', async () => {
		const { store, run } = setup();
		store.seed(
			LEGACY,
			JSON.stringify({
				rotationId: 'rot-1',
				owner: 'exec-1',
				expiresAt: 2_000_000,
				stage: 'leased',
				oldVersion: 99,
			}),
		);
		const error = (await run().catch((e: unknown) => e)) as RotationFailedError;
		expect(error.message).toMatch(/Version 99 of OPENAI_API_KEY could not be read/);
		expect(leaseFree(store)).toBe(true);
		expect(store.rows.has(LEGACY)).toBe(false); // the older single lease was migrated into the chain
	});

	it('the secret is gone but an adopted lease holds a minted key → the lease stays, the key is named masked', async () => {
		const { store, run } = setup();
		const minted = 'sk-minted-by-a-stopped-run-0123456789';
		store.rows.delete(NAME);
		store.seed(
			LEGACY,
			JSON.stringify({
				rotationId: 'rot-old',
				owner: 'exec-0',
				expiresAt: 1,
				stage: 'created',
				pendingKey: minted,
				oldVersion: 1,
			}),
		);
		const error = (await run('rot-2').catch((e: unknown) => e)) as RotationFailedError;
		expect(error.message).toMatch(
			/does not exist.*holds the new key sk-\.\.\.6789 \([0-9a-f]{12}\) of rotation rot-old; it was kept/,
		);
		expect(error.message).not.toContain(minted);
		expect(JSON.parse(store.value(LEASE)!).pendingKey).toBe(minted);
		expect(store.rows.has(LEGACY)).toBe(false);
	});
});

describe('lease ownership: only the run that last wrote the lease writes or releases it', () => {
	it('the same rotation id from another execution is refused while the lease lives, resumed once it ran out', async () => {
		let clock = 1_000_000;
		const { store, target, run } = setup(() => clock);
		await expect(
			run('rot-1', {
				afterStage: (s) => {
					if (s === 'verified') throw new Crash('x');
				},
			}),
		).rejects.toBeInstanceOf(Crash);
		await expect(run('rot-1', { owner: 'exec-2' })).rejects.toBeInstanceOf(RotationInProgressError);
		clock += 61_000;
		const report = await run('rot-1', { owner: 'exec-2' });
		expect(report).toMatchObject({ status: 'rotated', resumed: true });
		expectConverged(store, target);
	});

	it("a lease taken over mid-run (this run outlived it): the next save stops, the other run's lease is left alone", async () => {
		const { store, run } = setup();
		const takeover = JSON.stringify({
			rotationId: 'rot-other',
			owner: 'exec-9',
			expiresAt: 9_999_999,
			stage: 'leased',
		});
		const error = await run('rot-1', {
			afterStage: (s) => {
				if (s === 'created') store.rows.get(LEASE)!.versions.push({ value: takeover, comment: '' });
			},
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({ name: 'RotationFailedError', outcome: 'stopped' });
		expect(store.value(LEASE)).toBe(takeover);
		expect(store.value(NAME)).toBe(OLD);
	});
});

describe('invariant 5: a revoke that fails does not fail the rotation', () => {
	it('revoke 500 → rotated, old key reported and marked pending-revoke in the metadata', async () => {
		const { ledger, store, target, run } = setup();
		ledger.failOn('target.revoke', () => new Error('HTTP 500 from provider'));
		const report = await run();
		expect(report.status).toBe('rotated');
		expect(report.oldKey).toMatchObject({ fate: 'pending_revoke', masked: 'sk-...ghij' });
		const meta = parseMetadata(store.comment(NAME));
		expect(meta.pendingRevoke).toEqual([
			expect.objectContaining({
				version: 1,
				masked: 'sk-...ghij',
				rotationId: 'rot-1',
				reason: expect.stringContaining('500'),
			}),
		]);
		expect(store.value(NAME)).not.toBe(OLD);
		expect(target.live.has(OLD)).toBe(true); // still alive, awaiting the sweep
		expect(leaseFree(store)).toBe(true);
	});
});

describe('invariant 6: secrets never appear in reports, errors or metadata', () => {
	it('a cause that echoes both keys (LiteLLM 422 repeating the request) is redacted in the error and the revoke detail', async () => {
		for (const fault of ['target.switchTo', 'target.revoke']) {
			const { ledger, target, run } = setup();
			const echo = () =>
				new Error(
					`422 input: {"api_key":"${[...target.byTag.values()].join('","')}","old":"${OLD}"}`,
				);
			ledger.failOn(fault, echo);
			const outcome = await run().catch((e: RotationFailedError) => e);
			const text =
				JSON.stringify(outcome) +
				(outcome instanceof Error ? outcome.message + outcome.causeMessage : '');
			for (const key of [OLD, ...target.byTag.values()]) expect(text).not.toContain(key);
		}
	});

	it('no plaintext key in any report, error message or stored comment', async () => {
		const texts: string[] = [];
		for (const fault of [
			undefined,
			'target.verify',
			`store.update:${NAME}`,
			'target.switchTo',
			'target.revoke',
		]) {
			const { ledger, store, target, run } = setup();
			if (fault)
				ledger.failOn(fault, () => new Error(`failed with key ${OLD}`.replace(OLD, 'sk-...ghij')));
			const outcome = await run().catch((e: Error) => ({ ...e, message: e.message }));
			texts.push(JSON.stringify(outcome), store.comment(NAME) ?? '');
			const keys = [OLD, ...target.byTag.values()];
			for (const text of texts) for (const key of keys) expect(text).not.toContain(key);
		}
	});
});
