/**
 * The fault-injection suite of one rotation kind, as jest tests: each kind has its own test file so jest's
 * workers share them. Scenarios of a kind run a few at a time (each in its own simulators); a failed run's
 * rollback requests get a second fault once per distinct rollback (first faults that leave the same rollback
 * behind are the same scenario twice).
 */
import { fingerprint } from '../../../../nodes/shared/redact';
import {
	describeInjections,
	type FaultKind,
	ledgerMarks,
	runScenario,
	type ScenarioResult,
	sideEffects,
	type Target,
} from './scenarios';
import { type Kind, stored } from './world';

const PARALLEL = 4;

async function pool<T>(jobs: Array<() => Promise<T>>, size = PARALLEL): Promise<T[]> {
	const results: T[] = new Array(jobs.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(size, jobs.length) }, async () => {
			while (next < jobs.length) {
				const index = next++;
				results[index] = await jobs[index]();
			}
		}),
	);
	return results;
}

const targetKey = (t: Target) => `${t.sim} ${t.method} ${t.path}#${t.occurrence}`;

export function faultSuite(kind: Kind): void {
	jest.setTimeout(1_200_000);
	const results: ScenarioResult[] = [];
	afterAll(() => {
		const violations = results.reduce((n, r) => n + r.violations.length, 0);
		process.stdout.write(
			`\nrotation fault injection, ${kind.name}: ${results.length} scenarios, ${violations} violations\n`,
		);
	});

	it('every side-effecting request × every fault, then every distinct rollback × a second fault: 0 violations', async () => {
		const clean = await kind.seed();
		const marks = ledgerMarks(clean);
		const first = await clean.rotate('exec-record');
		const forward = sideEffects(clean, marks);
		await clean.stop();
		expect(first.json.status).toBe('rotated');
		expect(forward.length).toBeGreaterThan(4);

		const faults: FaultKind[] = ['error', 'lost', 'crash'];
		const singles = await pool(
			forward.flatMap((at) => faults.map((fault) => () => runScenario(kind, [{ at, fault }]))),
		);
		results.push(...singles);

		const seen = new Set<string>();
		const pairs: Array<() => Promise<ScenarioResult>> = [];
		singles.forEach((single, index) => {
			const at = forward[Math.floor(index / faults.length)];
			const fault = faults[index % faults.length];
			const rollbackKey = single.rollback.map(targetKey).join(',');
			if (fault === 'crash' || !single.rollback.length || seen.has(`${fault}|${rollbackKey}`))
				return;
			seen.add(`${fault}|${rollbackKey}`);
			for (const back of single.rollback) {
				for (const second of ['error', 'lost'] as FaultKind[])
					pairs.push(() =>
						runScenario(kind, [
							{ at, fault },
							{ at: back, fault: second },
						]),
					);
			}
		});
		results.push(...(await pool(pairs)));
		const failed = results
			.filter((r) => r.violations.length)
			.map((r) => `${r.name}\n    ${r.violations.join('\n    ')}`);
		expect(failed).toEqual([]);
	});

	it.each([2, 10])(
		'%i executions of one rotation at once rotate the key exactly once and lose nothing',
		async (n) => {
			const world = await kind.seed();
			try {
				const runs = await Promise.all(
					Array.from({ length: n }, (_, i) => world.rotate(`exec-${i}`)),
				);
				expect(runs.filter((r) => r.json.status === 'rotated')).toHaveLength(1);
				expect(runs.filter((r) => /already in progress/.test(String(r.json.error)))).toHaveLength(
					n - 1,
				);
				const { key, lease } = stored(world.sims);
				expect(lease).toBeUndefined();
				expect(await world.works(fingerprint(key!))).toBe(true);
				// Alive: the new key, and the old one only where it keeps a grace period.
				expect((await world.live()).length).toBeLessThanOrEqual(2);
			} finally {
				await world.stop();
			}
		},
	);

	it('names a failing scenario by its faults', () => {
		expect(
			describeInjections([
				{ at: { sim: 'infisical', method: 'PATCH', path: '/x', occurrence: 1 }, fault: 'lost' },
			]),
		).toBe('lost at infisical PATCH /x#1');
	});
}
