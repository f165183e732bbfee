/**
 * Exactly one rotation however many executions start it: n8n-core's real engine runs the Key Manager once per
 * execution, all against one set of simulators, as queue-mode workers share one Infisical. The lease chain
 * (claim/chain.ts) is what decides: every change of owner is the create of the next generation, which
 * Infisical lets exactly one request do. Checked from the simulators' own state: one new key alive, stored
 * and working, nothing minted and left behind, no lease held at the end.
 */
import { fingerprint } from '../../../nodes/shared/redact';
import {
	KINDS,
	type Kind,
	leaseHead,
	type RunResult,
	SECRET,
	stored,
	type World,
} from './faults/world';
import { ENV, FOLDER, heldLease, leaseNames, PROJECT } from './setup';

jest.setTimeout(180_000);

const EXECUTIONS = 10;
const KINDS_UNDER_TEST: Kind[] = [KINDS.openRouterMint, KINDS.virtualGenerate];

const rotated = (runs: RunResult[]) => runs.filter((r) => r.json.status === 'rotated');
const refused = (runs: RunResult[]) =>
	runs.filter((r) => /already in progress/.test(String(r.json.error ?? '')));

/** The one new key: alive, stored, working; every other live key is the old one (kept for its grace period). */
async function expectOneNewKey(world: World): Promise<void> {
	const { key, lease } = stored(world.sims);
	expect(key).toBeDefined();
	const fp = fingerprint(key!);
	expect(fp).not.toBe(world.old);
	expect(await world.works(fp)).toBe(true);
	expect((await world.live()).filter((live) => live !== world.old)).toEqual([fp]);
	expect(lease).toBeUndefined();
	expect(heldLease(world.sims, SECRET)).toBeUndefined();
}

async function until(check: () => boolean, ms = 20_000): Promise<boolean> {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (check()) return true;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	return false;
}

describe.each(KINDS_UNDER_TEST.map((kind) => [kind.name, kind] as const))(
	'exactly-once rotation: %s',
	(_name, kind) => {
		let world: World;

		beforeEach(async () => {
			world = await kind.seed();
		});

		afterEach(async () => {
			for (const server of Object.values(world.servers)) server.dropHung();
			await world.stop();
		});

		it(`${EXECUTIONS} executions, each its own rotation, started at once: one rotates, the others change nothing`, async () => {
			const runs = await Promise.all(
				Array.from({ length: EXECUTIONS }, (_, i) => world.rotate(`exec-${i}`, `rot-${i}`)),
			);
			expect(rotated(runs)).toHaveLength(1);
			expect(refused(runs)).toHaveLength(EXECUTIONS - 1);
			await expectOneNewKey(world);
			// The chain holds one generation, released: the losers never wrote one.
			expect(leaseNames(world.sims, SECRET)).toEqual([`${SECRET}_ROTATION_LEASE_1`]);
		});

		it('a stopped run whose lease ran out is taken over by exactly one of 10 executions, and the stopped run then changes nothing', async () => {
			// The first run dies right after Infisical stored the new key: the answer never comes back.
			const infisical = world.servers.infisical;
			const persist = `/api/v4/secrets/${SECRET}`;
			infisical.faults.add(
				{ kind: 'after_effect', then: 'hang' },
				{ method: 'PATCH', path: persist, times: 1, exact: true },
			);
			const first = world.rotate('exec-stalled');
			expect(
				await until(() =>
					infisical.ledger.some((e) => e.fault === 'after_effect' && e.path === persist),
				),
			).toBe(true);
			const stalledLease = leaseHead(world.sims)!;

			// Before the lease runs out, nobody may take it.
			const early = await world.rotate('exec-early', 'rot-early');
			expect(String(early.json.error)).toMatch(/already in progress/);

			// Its lease runs out; ten executions (each its own trigger) try to take over at the same moment.
			const value = JSON.parse(stalledLease.value) as Record<string, unknown>;
			world.sims.infisical.editSecret(
				{ projectId: PROJECT, environment: ENV, secretPath: FOLDER, secretKey: stalledLease.name },
				() => JSON.stringify({ ...value, expiresAt: 0 }),
			);
			const takers = await Promise.all(
				Array.from({ length: EXECUTIONS }, (_, i) =>
					world.rotate(`exec-taker-${i}`, `rot-taker-${i}`),
				),
			);
			const adopted = rotated(takers);
			expect(adopted).toHaveLength(1);
			// It finished the stopped rotation (same id, the key already stored), not a second one.
			expect(adopted[0].json).toMatchObject({ rotationId: 'rot-fault', resumed: true });
			expect(refused(takers)).toHaveLength(EXECUTIONS - 1);

			// Only now does the stopped run hear back: it lost its lease, so it rolls nothing back.
			infisical.dropHung();
			const stalled = await first;
			expect(String(stalled.json.error)).toMatch(/lost its lease|taken over by another run/);
			await expectOneNewKey(world);
			const names = leaseNames(world.sims, SECRET);
			expect(names).toHaveLength(1);
			expect(names[0]).not.toBe(stalledLease.name);
		});
	},
);
