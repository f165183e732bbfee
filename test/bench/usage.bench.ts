/**
 * Spend Report benchmark: Spend Report grouped by key and model over ROWS spend-log rows (default
 * 1,000,000) served by the LiteLLM simulator's /spend/logs/ui in pages of 100, generated lazily per page (the
 * seed never holds the rows). Beside it, in the same run, the baseline: fetch the same pages with undici and
 * JSON.parse them, nothing else; and, last, the same pages through n8n's own request function (n8n's floor for
 * any node that uses its helpers). Prints rows/s, time and peak RSS of each, the ratio, and the RSS each phase
 * added over the process before it (the evidence of where the node phase's peak comes from).
 *
 *   npx tsx test/bench/usage.bench.ts            (needs a build: npm run build, or USAGE_PACKAGE_ROOT=.usage-pkg)
 *   ROWS=200000 npx tsx test/bench/usage.bench.ts
 *   PHASE=node npx tsx test/bench/usage.bench.ts   (one phase per process: a peak RSS of its own)
 *
 * The node runs inside n8n-core's WorkflowExecute through the engine harness, with n8n's
 * httpRequestWithAuthentication, exactly as in a workflow. The simulator runs in a child process
 * (servers/spend.ts via sim-host.ts), so this process's RSS and CPU are the client's: the node's, or the
 * baseline loop's.
 */
import path from 'node:path';

import { request } from 'undici';

import { REPO_ROOT, runNode } from '../engine/harness';
import { END, MASTER_KEY, START } from './servers/spend';
import { n8nHttpRequest } from './n8n-request-floor';
import { hostInChild } from './sim-host';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const PAGE_SIZE = 100;

function dateTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Samples RSS every 10 ms while `work` runs. */
async function measure<T>(work: () => Promise<T>): Promise<{
	value: T;
	ms: number;
	peakRssMb: number;
	rssBeforeMb: number;
	heapMb: [number, number];
}> {
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const heapBefore = process.memoryUsage().heapUsed / 1024 / 1024;
	const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 10);
	const started = performance.now();
	const value = await work();
	const ms = performance.now() - started;
	clearInterval(timer);
	peak = Math.max(peak, process.memoryUsage().rss);
	gc?.();
	// Live heap after a full collection, before and after: flat means nothing accumulates per row.
	const heapAfter = process.memoryUsage().heapUsed / 1024 / 1024;
	return { value, ms, peakRssMb: peak / 1024 / 1024, rssBeforeMb, heapMb: [heapBefore, heapAfter] };
}

async function baseline(url: string): Promise<number> {
	let rows = 0;
	for (let page = 1; ; page++) {
		const qs = new URLSearchParams({
			start_date: dateTime(START),
			end_date: dateTime(END),
			page: String(page),
			page_size: String(PAGE_SIZE),
		});
		const res = await request(`${url}/spend/logs/ui?${qs}`, {
			headers: { authorization: `Bearer ${MASTER_KEY}`, accept: 'application/json' },
		});
		const body = JSON.parse(await res.body.text()) as { data: unknown[]; total_pages: number };
		rows += body.data.length;
		if (page >= body.total_pages) break;
	}
	return rows;
}

/** The same pages through n8n's own request function (what the node's helper calls end in), parsed, kept nowhere. */
async function n8nFloor(url: string): Promise<number> {
	const httpRequest = n8nHttpRequest();
	let rows = 0;
	for (let page = 1; ; page++) {
		const qs = {
			start_date: dateTime(START),
			end_date: dateTime(END),
			page: String(page),
			page_size: String(PAGE_SIZE),
		};
		const res = (await httpRequest({
			url: `${url}/spend/logs/ui`,
			qs,
			headers: { authorization: `Bearer ${MASTER_KEY}`, Accept: 'application/json' },
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { body: string };
		const body = JSON.parse(res.body) as { data: unknown[]; total_pages: number };
		rows += body.data.length;
		if (page >= body.total_pages) break;
	}
	return rows;
}

async function main(): Promise<void> {
	const host = await hostInChild<{ url: string }>('servers/spend.ts', { ROWS: String(ROWS) });
	const { url } = host.info;
	const pkg = process.env.USAGE_PACKAGE_ROOT
		? path.resolve(REPO_ROOT, process.env.USAGE_PACKAGE_ROOT)
		: undefined;

	// Warm-up (loads the package, JITs both paths) on a small range.
	await runNode({
		nodeType: 'liteLlmUsage',
		parameters: {
			operation: 'spendReport',
			datePreset: 'custom',
			startDate: new Date(END - 3_600_000).toISOString(),
			endDate: new Date(END).toISOString(),
			groupBy: ['key', 'model'],
			source: 'spendLogs',
			topN: 0,
		},
		credentials: { liteLlmApi: { baseUrl: url, apiKey: MASTER_KEY } },
		package: pkg,
	});

	const phase = process.env.PHASE ?? 'both';
	const skipped = {
		value: 0,
		ms: NaN,
		peakRssMb: NaN,
		rssBeforeMb: NaN,
		heapMb: [NaN, NaN] as [number, number],
	};
	const base = phase === 'node' ? skipped : await measure(() => baseline(url));
	const node = await measure(async () =>
		runNode({
			nodeType: 'liteLlmUsage',
			parameters: {
				operation: 'spendReport',
				datePreset: 'custom',
				startDate: new Date(START).toISOString(),
				endDate: new Date(END).toISOString(),
				groupBy: ['key', 'model'],
				source: 'spendLogs',
				topN: 0,
			},
			credentials: { liteLlmApi: { baseUrl: url, apiKey: MASTER_KEY } },
			package: pkg,
		}),
	);
	// Last, so it cannot raise the node phase's peak: n8n's request path alone over the same pages.
	const floor = phase === 'node' ? skipped : await measure(() => n8nFloor(url));
	await host.stop();

	const run = node.value;
	if (run.error) throw new Error(`node failed: ${run.error.message}`);
	if (phase === 'baseline')
		process.stdout.write('(baseline only requested; the node phase ran too for the table)\n');
	const report = run.items[0].json as {
		rowsRead: number;
		pagesRead: number;
		groupCount: number;
		totals: { requests: number; costUsd: number };
	};
	const ratio = node.ms / base.ms;
	const rows = [
		['phase', 'rows', 'pages', 'time s', 'rows/s', 'peak RSS MB'],
		[
			'fetch + JSON.parse (baseline)',
			String(base.value),
			String(Math.ceil(base.value / PAGE_SIZE)),
			(base.ms / 1000).toFixed(1),
			Math.round(base.value / (base.ms / 1000)).toLocaleString('en-US'),
			base.peakRssMb.toFixed(0),
		],
		[
			"n8n's request function + JSON.parse (n8n's floor)",
			String(floor.value),
			String(Math.ceil(floor.value / PAGE_SIZE)),
			(floor.ms / 1000).toFixed(1),
			Math.round(floor.value / (floor.ms / 1000)).toLocaleString('en-US'),
			floor.peakRssMb.toFixed(0),
		],
		[
			'Spend Report key × model (node in engine)',
			String(report.rowsRead),
			String(report.pagesRead),
			(node.ms / 1000).toFixed(1),
			Math.round(report.rowsRead / (node.ms / 1000)).toLocaleString('en-US'),
			node.peakRssMb.toFixed(0),
		],
	];
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
	const line = (r: string[]) =>
		`| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
	process.stdout.write(
		`\nUsage bench: ${ROWS.toLocaleString('en-US')} seeded spend-log rows, pages of ${PAGE_SIZE}, Node ${process.version}\n\n`,
	);
	process.stdout.write(
		`${line(rows[0])}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.slice(1).map(line).join('\n')}\n\n`,
	);
	process.stdout.write(
		`ratio node/baseline: ${ratio.toFixed(2)} (target ≤ 1.3)   peak RSS of the node phase: ${node.peakRssMb.toFixed(0)} MB (target < 300)\n`,
	);
	// Where the peak comes from: the process before the phase (Node, n8n-core and the package loaded, after a
	// full GC), and what the phase added on top; with a flat live heap, that addition is garbage V8 collects
	// lazily (its young and old generations grow before a collection), not rows kept.
	process.stdout.write(
		`node phase RSS: ${node.rssBeforeMb.toFixed(0)} MB before (process floor) → peak ${node.peakRssMb.toFixed(0)} MB, added ${(node.peakRssMb - node.rssBeforeMb).toFixed(0)} MB` +
			(phase === 'node'
				? '\n'
				: `; baseline phase added ${(base.peakRssMb - base.rssBeforeMb).toFixed(0)} MB over ${base.rssBeforeMb.toFixed(0)} MB; n8n's request function phase (run last) added ${(floor.peakRssMb - floor.rssBeforeMb).toFixed(0)} MB over ${floor.rssBeforeMb.toFixed(0)} MB, node ÷ n8n's floor time ${(node.ms / floor.ms).toFixed(2)}\n`),
	);
	if ((globalThis as { gc?: unknown }).gc) {
		process.stdout.write(
			`live heap after full GC, node phase: ${node.heapMb[0].toFixed(0)} MB before → ${node.heapMb[1].toFixed(0)} MB after ${report.rowsRead.toLocaleString('en-US')} rows (RSS above that is V8 collecting lazily)\n`,
		);
	}
	process.stdout.write(
		`groups: ${report.groupCount}, total requests ${report.totals.requests}, cost $${report.totals.costUsd.toFixed(4)}; process maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
	);
	if (report.rowsRead !== ROWS)
		process.stdout.write(`WARNING: rows read ${report.rowsRead} ≠ ${ROWS}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});
