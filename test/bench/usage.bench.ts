/**
 * Spend Report benchmark: Spend Report grouped by key and model over ROWS spend-log rows (default
 * 1,000,000) served by the LiteLLM simulator's /spend/logs/ui in pages of 100, generated lazily per page (the
 * seed never holds the rows). Each phase runs in a process of its own (so each peak RSS is its own), after the
 * same warm-up (n8n-core, the package and the node loaded and run once on a small range):
 *  - baseline: fetch the same pages with undici and JSON.parse them, nothing else;
 *  - n8n's floor: the same pages through n8n's own request function, parsed, kept nowhere (what any node
 *    using n8n's helpers costs);
 *  - the node: Spend Report in n8n-core's WorkflowExecute with n8n's httpRequestWithAuthentication;
 *  - the node again over a tenth of the rows: the peak does not grow with the row count.
 * Prints rows/s, time and peak RSS of each, and where the peak's memory is at that moment (V8 heap in use
 * vs its live size after a full collection, and Buffers awaiting collection).
 *
 *   npm run bench usage          (or: npm run build && npx tsx --expose-gc test/bench/usage.bench.ts; ROWS=…)
 *   PHASE=node npx tsx --expose-gc test/bench/usage.bench.ts      (one phase only, its figures as JSON)
 *
 * The simulator runs in a child process (servers/spend.ts via sim-host.ts), so a phase's RSS and CPU are the
 * client's alone.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { request } from 'undici';

import { REPO_ROOT, runNode } from '../engine/harness';
import { END, MASTER_KEY, START } from './servers/spend';
import { n8nHttpRequest } from './n8n-request-floor';
import { hostInChild } from './sim-host';
import { fmt, printTable } from './table';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const PAGE_SIZE = 100;
const MB = 1024 * 1024;

type Phase = 'baseline' | 'floor' | 'node';

interface PhaseFigures {
	phase: Phase;
	rows: number;
	pages: number;
	ms: number;
	peakRssMb: number;
	/** RSS when the phase started: Node, n8n-core and the package loaded, after a full collection. */
	rssBeforeMb: number;
	/** Live heap after a full collection, before and after the phase: flat means nothing kept per row. */
	liveHeapMb: [number, number];
	/** process.memoryUsage() at the peak sample, in MB. */
	atPeak: { heapUsed: number; heapTotal: number; arrayBuffers: number };
	groups?: number;
}

function dateTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function pageQuery(page: number): Record<string, string> {
	return {
		start_date: dateTime(START),
		end_date: dateTime(END),
		page: String(page),
		page_size: String(PAGE_SIZE),
	};
}

async function baselineLoop(url: string): Promise<number> {
	let rows = 0;
	for (let page = 1; ; page++) {
		const res = await request(`${url}/spend/logs/ui?${new URLSearchParams(pageQuery(page))}`, {
			headers: { authorization: `Bearer ${MASTER_KEY}`, accept: 'application/json' },
		});
		const body = JSON.parse(await res.body.text()) as { data: unknown[]; total_pages: number };
		rows += body.data.length;
		if (page >= body.total_pages) return rows;
	}
}

/** The same pages through n8n's own request function (what the node's helper calls end in). */
async function n8nFloorLoop(url: string): Promise<number> {
	const httpRequest = n8nHttpRequest();
	let rows = 0;
	for (let page = 1; ; page++) {
		const res = (await httpRequest({
			url: `${url}/spend/logs/ui`,
			qs: pageQuery(page),
			headers: { authorization: `Bearer ${MASTER_KEY}`, Accept: 'application/json' },
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { body: string };
		const body = JSON.parse(res.body) as { data: unknown[]; total_pages: number };
		rows += body.data.length;
		if (page >= body.total_pages) return rows;
	}
}

async function spendReport(url: string, startMs: number, pkg: string | undefined) {
	const run = await runNode({
		nodeType: 'liteLlmUsage',
		parameters: {
			operation: 'spendReport',
			datePreset: 'custom',
			startDate: new Date(startMs).toISOString(),
			endDate: new Date(END).toISOString(),
			groupBy: ['key', 'model'],
			source: 'spendLogs',
			topN: 0,
		},
		credentials: { liteLlmApi: { baseUrl: url, apiKey: MASTER_KEY } },
		package: pkg,
	});
	if (run.error) throw new Error(`node failed: ${run.error.message}`);
	return run.items[0].json as { rowsRead: number; pagesRead: number; groupCount: number };
}

/** One phase in this process: warm up, then measure (RSS sampled every 10 ms). */
async function runPhase(phase: Phase): Promise<PhaseFigures> {
	const host = await hostInChild<{ url: string }>('servers/spend.ts', { ROWS: String(ROWS) });
	const { url } = host.info;
	const pkg = process.env.USAGE_PACKAGE_ROOT
		? path.resolve(REPO_ROOT, process.env.USAGE_PACKAGE_ROOT)
		: undefined;
	try {
		await spendReport(url, END - 3_600_000, pkg);
		const gc = (globalThis as { gc?: () => void }).gc;
		if (!gc) throw new Error('run with --expose-gc (npm run bench does)');
		gc();
		const before = process.memoryUsage();
		let peak = before;
		const timer = setInterval(() => {
			const now = process.memoryUsage();
			if (now.rss > peak.rss) peak = now;
		}, 10);
		const started = performance.now();
		let rows: number;
		let pages: number;
		let groups: number | undefined;
		if (phase === 'node') {
			const report = await spendReport(url, START, pkg);
			({ rowsRead: rows, pagesRead: pages, groupCount: groups } = report);
		} else {
			rows = phase === 'baseline' ? await baselineLoop(url) : await n8nFloorLoop(url);
			pages = Math.ceil(rows / PAGE_SIZE);
		}
		const ms = performance.now() - started;
		clearInterval(timer);
		gc();
		return {
			phase,
			rows,
			pages,
			ms,
			groups,
			peakRssMb: peak.rss / MB,
			rssBeforeMb: before.rss / MB,
			liveHeapMb: [before.heapUsed / MB, process.memoryUsage().heapUsed / MB],
			atPeak: {
				heapUsed: peak.heapUsed / MB,
				heapTotal: peak.heapTotal / MB,
				arrayBuffers: peak.arrayBuffers / MB,
			},
		};
	} finally {
		await host.stop();
	}
}

/** Runs one phase in a fresh process (this file with PHASE set) and reads its figures. */
function inOwnProcess(phase: Phase, rows: number): PhaseFigures {
	const child = spawnSync(process.execPath, [...process.execArgv, __filename], {
		env: { ...process.env, PHASE: phase, ROWS: String(rows) },
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 16 * MB,
	});
	const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
	if (child.status !== 0 || !line) throw new Error(`the ${phase} phase failed (${child.status})`);
	return JSON.parse(line.slice('RESULT '.length)) as PhaseFigures;
}

function report(phases: Array<{ label: string; figures: PhaseFigures }>): void {
	const [base, floor, node] = phases.map((p) => p.figures);
	printTable(
		`Usage bench: Spend Report over ${ROWS.toLocaleString('en-US')} spend-log rows, pages of ${PAGE_SIZE}, Node ${process.version}; each phase in its own process`,
		[
			'phase',
			'rows',
			'time s',
			'rows/s',
			'RSS before MB',
			'peak RSS MB',
			'at peak: V8 heap committed / in use MB',
			'at peak: Buffers MB',
			'live heap after MB',
		],
		phases.map(({ label, figures: f }) => [
			label,
			f.rows.toLocaleString('en-US'),
			fmt(f.ms / 1000),
			Math.round(f.rows / (f.ms / 1000)).toLocaleString('en-US'),
			fmt(f.rssBeforeMb, 0),
			fmt(f.peakRssMb, 0),
			`${fmt(f.atPeak.heapTotal, 0)} / ${fmt(f.atPeak.heapUsed, 0)}`,
			fmt(f.atPeak.arrayBuffers, 0),
			fmt(f.liveHeapMb[1], 0),
		]),
	);
	const tenth = phases[3]?.figures;
	process.stdout.write(
		`ratio node/baseline: ${fmt(node.ms / base.ms, 2)} (target ≤ 1.3); node ÷ n8n's floor time ${fmt(node.ms / floor.ms, 2)}\n` +
			`peak RSS of the node: ${fmt(node.peakRssMb, 0)} MB (target < 300); n8n's request function alone: ${fmt(floor.peakRssMb, 0)} MB` +
			(tenth
				? `; the node over ${tenth.rows.toLocaleString('en-US')} rows: ${fmt(tenth.peakRssMb, 0)} MB\n`
				: '\n') +
			`live heap after a full collection, node: ${fmt(node.liveHeapMb[0], 0)} MB before → ${fmt(node.liveHeapMb[1], 0)} MB after ${node.rows.toLocaleString('en-US')} rows, ${node.groups ?? '?'} groups. ` +
			"What a peak holds above the live heap is garbage V8 has not collected yet (pages already folded, n8n's request objects) and response Buffers waiting for that collection.\n",
	);
	if (node.rows !== ROWS) process.stdout.write(`WARNING: rows read ${node.rows} ≠ ${ROWS}\n`);
}

async function main(): Promise<void> {
	const only = process.env.PHASE as Phase | undefined;
	if (only) {
		process.stdout.write(`RESULT ${JSON.stringify(await runPhase(only))}\n`);
		return;
	}
	const tenthRows = Math.max(PAGE_SIZE, Math.round(ROWS / 10));
	report([
		{ label: 'fetch + JSON.parse (baseline)', figures: inOwnProcess('baseline', ROWS) },
		{
			label: "n8n's request function + JSON.parse (n8n's floor)",
			figures: inOwnProcess('floor', ROWS),
		},
		{ label: 'Spend Report key × model (node in engine)', figures: inOwnProcess('node', ROWS) },
		{
			label: `the node over ${tenthRows.toLocaleString('en-US')} rows`,
			figures: inOwnProcess('node', tenthRows),
		},
	]);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});
