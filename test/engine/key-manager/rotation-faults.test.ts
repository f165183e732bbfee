/**
 * Exhaustive fault injection over key rotation, in n8n-core's engine against the simulators: every
 * side-effecting request of each rotation kind gets each fault (error before the effect, effect with a lost
 * answer, the execution dying there and another taking over), every failed run's rollback requests get a
 * second fault, and 2 and 10 executions run one rotation at once. The invariants checked after each
 * scenario are named in faults/scenarios.ts. Prints "N scenarios, M violations".
 */
import { KINDS } from './faults/world';
import { describeInjections, type FaultKind, type Injection, ledgerMarks, runScenario, sideEffects, type ScenarioResult } from './faults/scenarios';
import { fingerprint } from '../../../nodes/shared/redact';
import { stored } from './faults/world';

jest.setTimeout(1_800_000);

const results: ScenarioResult[] = [];

afterAll(() => {
	const violations = results.reduce((n, r) => n + r.violations.length, 0);
	process.stdout.write(`\nrotation fault injection: ${results.length} scenarios, ${violations} violations\n`);
});

describe.each(KINDS.map((k) => [k.name, k] as const))('%s', (_name, kind) => {
	it('every side-effecting request × every fault, then every rollback request × a second fault: 0 violations', async () => {
		const clean = await kind.seed();
		const marks = ledgerMarks(clean);
		const first = await clean.rotate('exec-record');
		const forward = sideEffects(clean, marks);
		await clean.stop();
		expect(first.json.status).toBe('rotated');
		expect(forward.length).toBeGreaterThan(5);

		const mine: ScenarioResult[] = [];
		for (const at of forward) {
			for (const fault of ['error', 'lost', 'crash'] as FaultKind[]) {
				const single = await runScenario(kind, [{ at, fault }]);
				mine.push(single);
				if (fault === 'crash') continue;
				for (const back of single.rollback) {
					for (const second of ['error', 'lost'] as FaultKind[]) {
						const pair: Injection[] = [{ at, fault }, { at: back, fault: second }];
						mine.push(await runScenario(kind, pair));
					}
				}
			}
		}
		results.push(...mine);
		const failed = mine.filter((r) => r.violations.length).map((r) => `${r.name}\n    ${r.violations.join('\n    ')}`);
		expect(failed).toEqual([]);
	});

	it.each([2, 10])('%i executions of one rotation at once rotate the key exactly once and lose nothing', async (n) => {
		const world = await kind.seed();
		try {
			const runs = await Promise.all(Array.from({ length: n }, (_, i) => world.rotate(`exec-${i}`)));
			const rotated = runs.filter((r) => r.json.status === 'rotated');
			expect(rotated).toHaveLength(1);
			expect(runs.filter((r) => /already in progress/.test(String(r.json.error)))).toHaveLength(n - 1);
			const { key, lease } = stored(world.sims);
			expect(lease).toBeUndefined();
			const live = await world.live();
			// The stored key works, and nothing else minted is alive except the old key's grace.
			expect(await world.works(fingerprint(key!))).toBe(true);
			expect(live.length).toBeLessThanOrEqual(2);
		} finally {
			await world.stop();
		}
	});
});

it('prints which pair a failing scenario was', () => {
	expect(describeInjections([{ at: { sim: 'infisical', method: 'PATCH', path: '/x', occurrence: 1 }, fault: 'lost' }])).toBe('lost at infisical PATCH /x#1');
});
