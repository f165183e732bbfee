/**
 * Generated fault scenarios for key rotation. A clean run of each kind records the side-effecting requests it
 * makes (every request but GETs, across Infisical, LiteLLM and the providers); each of them then gets each
 * fault: an error answer before the effect, the effect with its answer lost (reset), and the execution dying
 * there (the answer never comes; the lease runs out, a second execution takes over, then the first one's
 * request is cut). A failed run's own rollback requests are recorded the same way and get a second fault on
 * top of the first (every forward × rollback pair). After every scenario the checker asserts, from the
 * simulators' state, the invariants below, and a last run with the same rotation id must finish the rotation.
 */
import { fingerprint } from '../../../../nodes/shared/redact';
import type { Fault } from '../../../simulators/http/faults';
import type { LedgerEntry } from '../../../simulators/http/server';
import { expireLease, type Kind, stored, type RunResult, type World } from './world';

/** One request of a run, by simulator, method, path and how many like it came before. */
export interface Target {
	sim: string;
	method: string;
	path: string;
	occurrence: number;
}

export type FaultKind = 'error' | 'lost' | 'crash';

export interface Injection {
	at: Target;
	fault: FaultKind;
}

const FAULTS: Record<FaultKind, Fault> = {
	error: {
		kind: 'status',
		status: 500,
		body: { error: { message: 'injected failure before the effect' } },
	},
	lost: { kind: 'after_effect', then: 'reset' },
	crash: { kind: 'after_effect', then: 'hang' },
};

const describeTarget = (t: Target) => `${t.sim} ${t.method} ${t.path}#${t.occurrence}`;
export const describeInjections = (list: Injection[]) =>
	list.map((i) => `${i.fault} at ${describeTarget(i.at)}`).join(' + ');

/** The side-effecting requests in ledgers after `marks`, each numbered among those with its method and path. */
export function sideEffects(world: World, marks: Record<string, number> = {}): Target[] {
	const targets: Array<Target & { at: number }> = [];
	for (const [sim, server] of Object.entries(world.servers)) {
		const seen = new Map<string, number>();
		// Counted from the mark, as faults armed at the mark count the requests they let through.
		server.ledger.slice(marks[sim] ?? 0).forEach((entry: LedgerEntry) => {
			const key = `${entry.method} ${entry.path}`;
			const occurrence = seen.get(key) ?? 0;
			seen.set(key, occurrence + 1);
			if (entry.method === 'GET' || entry.path.startsWith('/api/v1/auth')) return;
			targets.push({ sim, method: entry.method, path: entry.path, occurrence, at: entry.at });
		});
	}
	return targets.sort((a, b) => a.at - b.at).map(({ at: _at, ...t }) => t);
}

export const ledgerMarks = (world: World) =>
	Object.fromEntries(Object.entries(world.servers).map(([sim, s]) => [sim, s.ledger.length]));

function arm(world: World, injection: Injection): void {
	const { sim, method, path, occurrence } = injection.at;
	// Exact path: a prefix would also match the lease (`<secret>_ROTATION_LEASE`) when aiming at the secret.
	world.servers[sim].faults.add(FAULTS[injection.fault], {
		method,
		path,
		times: 1,
		skip: occurrence,
		exact: true,
	});
}

// The cap only guards against a hung test: a loaded machine may take many seconds to reach a late request.
async function until(check: () => boolean, ms = 300_000): Promise<boolean> {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (check()) return true;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	return false;
}

export interface ScenarioResult {
	name: string;
	violations: string[];
	/** The first run's rollback requests (for the pairs), when it failed. */
	rollback: Target[];
}

/** Runs one scenario: faults armed, the rotation run (and taken over on a crash), a clean re-run, checks. */
export async function runScenario(kind: Kind, injections: Injection[]): Promise<ScenarioResult> {
	const name = `${kind.name}: ${describeInjections(injections) || 'no fault'}`;
	const world = await kind.seed();
	const violations: string[] = [];
	const runs: RunResult[] = [];
	let rollback: Target[] = [];
	const budgetBefore = world.budgetLeft?.();
	try {
		const marks = ledgerMarks(world);
		for (const injection of injections) arm(world, injection);
		const crash = injections.find((i) => i.fault === 'crash');
		let firstSettled = false;
		const first = world.rotate('exec-first').finally(() => (firstSettled = true));
		if (crash) {
			const server = world.servers[crash.at.sim];
			const reached = () =>
				server.ledger.some((e) => e.fault === 'after_effect' && e.path === crash.at.path);
			// A run that ends without reaching the crash point took another path: that is the finding.
			await until(() => reached() || firstSettled);
			if (!reached()) violations.push('the crash point was never reached');
			// The dead execution's lease runs out; another execution takes the rotation over.
			expireLease(world.sims);
			runs.push(await world.rotate('exec-takeover'));
			// Only now does the dead execution's request fail: a run that outlived its lease must change nothing.
			server.dropHung();
		}
		runs.unshift(await first);
		if (!crash && runs[0].json.error) {
			// What the run did after the fault: its rollback (or the rest of its stop).
			const all = sideEffects(world, marks);
			const at = all.findIndex((t) => isFirstFault(t, injections));
			rollback = at >= 0 ? all.slice(at + 1) : [];
		}
		for (const server of Object.values(world.servers)) server.faults.clear();
		violations.push(...(await checkAfterFault(world, runs)));

		// A re-run with the same rotation id (once any lease has run out) finishes the rotation.
		expireLease(world.sims);
		const last = await world.rotate('exec-rerun');
		runs.push(last);
		if (process.env.FAULT_DEBUG)
			process.stdout.write(runs.map((r) => r.text.slice(0, 600)).join('\n') + '\n');
		violations.push(...(await checkFinal(world, runs, last, budgetBefore)));
	} catch (error) {
		violations.push(`scenario crashed: ${(error as Error).message}`);
	} finally {
		for (const server of Object.values(world.servers)) server.dropHung();
		await world.stop();
	}
	return { name, violations, rollback };
}

const isFirstFault = (t: Target, injections: Injection[]) =>
	injections.some(
		(i) =>
			i.at.sim === t.sim &&
			i.at.method === t.method &&
			i.at.path === t.path &&
			i.at.occurrence === t.occurrence,
	);

const reportedIn = (runs: RunResult[], fp: string) => runs.some((r) => r.text.includes(fp));

/**
 * After the faulty run(s):
 * - [stored-works] the key Infisical holds works at its upstream;
 * - [gateway-works] the key LiteLLM's credential holds works;
 * - [no-lost-key] every key alive upstream is the stored one, the old one, the one the lease holds, or named
 *   by fingerprint in what a run reported;
 * - [truthful] a run that says it rolled back left the old key stored and in LiteLLM.
 */
async function checkAfterFault(
	world: World,
	runs: RunResult[],
	truthful = true,
): Promise<string[]> {
	const v: string[] = [];
	const { key, lease } = stored(world.sims);
	const fp = key ? fingerprint(key) : undefined;
	if (!fp || !(await world.works(fp)))
		v.push('[stored-works] the key Infisical holds does not work');
	const gateway = world.gateway?.();
	if (world.gateway && (!gateway || !(await world.works(gateway))))
		v.push('[gateway-works] the key LiteLLM uses does not work');
	const held = new Set([
		fp,
		world.old,
		lease?.pendingKey ? fingerprint(lease.pendingKey) : undefined,
		...(lease?.revokeLater ?? []).map(fingerprint),
		...(world.given ?? []),
	]);
	// A provider that cannot list keys (Perplexity): a key whose answer was lost is named for a look in its console.
	const named = (live: string) => {
		const name = world.mintedName?.(live);
		return Boolean(name && reportedIn(runs, name));
	};
	for (const live of await world.live())
		if (!held.has(live) && !reportedIn(runs, live) && !named(live))
			v.push(`[no-lost-key] a live key ${live} is held by nobody and reported nowhere`);
	for (const run of truthful ? runs : []) {
		if (!/was rolled back/.test(String(run.json.error ?? ''))) continue;
		if (fp !== world.old)
			v.push(
				'[truthful] a run said "rolled back" but Infisical holds another key than the old one',
			);
		if (world.gateway && gateway !== world.old)
			v.push('[truthful] a run said "rolled back" but LiteLLM uses another key than the old one');
	}
	return v;
}

/**
 * After the clean re-run: [rerun-finishes] it reports the rotation done, a new key is stored and works, no
 * lease is left; [no-lost-key] still holds; [budget] live virtual keys together may not spend more than the
 * old key could.
 */
async function checkFinal(
	world: World,
	runs: RunResult[],
	last: RunResult,
	budgetBefore: number | undefined,
): Promise<string[]> {
	// What earlier runs said about rolling back was checked before the re-run changed the keys on purpose.
	const v = (await checkAfterFault(world, runs, false)).map((text) => `${text} (after the re-run)`);
	const status = String(last.json.status ?? '');
	if (status !== 'rotated' && status !== 'already_rotated')
		v.push(
			`[rerun-finishes] the re-run did not finish: ${String(last.json.error ?? JSON.stringify(last.json)).slice(0, 300)}`,
		);
	const { key, lease } = stored(world.sims);
	if (key && fingerprint(key) === world.old && status === 'rotated')
		v.push('[rerun-finishes] "rotated" but the old key is still stored');
	if (lease) v.push('[rerun-finishes] a lease is left behind');
	if (budgetBefore !== undefined && world.budgetLeft) {
		const after = world.budgetLeft();
		if (after > budgetBefore + 1e-9)
			v.push(
				`[budget] live keys may now spend ${after.toFixed(4)}, the old key could spend ${budgetBefore.toFixed(4)}`,
			);
	}
	return v;
}
