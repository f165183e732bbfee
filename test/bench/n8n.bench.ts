/**
 * Real-n8n benchmark: one n8n 2.41.1 (the e2e harness's runtime) with the packed package installed, the
 * nodes side by side in the same run, each measured by its own `executionTime` in the run data:
 *  - n8n's OpenAI node (typeVersion 1.8, sequential), n8n's HTTP Request node 4.2 (all items at once, no
 *    limit, no cost, no failover), LiteLLM Chat at its default concurrency and at concurrency 16;
 *  - against one local OpenAI-compatible server answering after a fixed latency (it is LiteLLM for our node);
 *  - row 1: 100 items at LATENCY ms (default 200), as ms and as a ratio to the latency bound
 *    ceil(items / concurrency) × latency (the OpenAI node's concurrency is 1, HTTP Request's the item count);
 *  - row 2: ITEMS items at 0 ms (default 1,000; the OpenAI node gets OPENAI_ITEMS, default 300), as ms per item
 *    and as a ratio to HTTP Request's.
 * Each row is one `n8n execute` per run; the median of RUNS runs (default 3) is printed. Nothing asserts.
 *
 *   npm run bench n8n      (or: npm run build && npx tsx test/bench/n8n.bench.ts; RUNS=… LATENCY=… ITEMS=…)
 */
import { cpus, loadavg } from 'node:os';

import { DEFAULT_CONCURRENCY } from '../../nodes/LiteLlmChat/defaults';
import { setupN8n } from '../e2e/harness';
import {
	type BenchFigures,
	type ColumnFigures,
	figureTable,
	median,
	nodeTiming,
} from './n8n/results';
import { benchWorkflow, type Column, COLUMNS, credentialsFor, rowBranches } from './n8n/workflow';
import type { ChatLatencyServer } from './servers/chat-latency';
import { hostInChild } from './sim-host';
import { printTable } from './table';

const RUNS = Number(process.env.RUNS ?? 3);
const LATENCY = Number(process.env.LATENCY ?? 200);
const LATENCY_ITEMS = Number(process.env.LATENCY_ITEMS ?? 100);
const ITEMS = Number(process.env.ITEMS ?? 1000);
const OPENAI_ITEMS = Number(process.env.OPENAI_ITEMS ?? 300);

async function main(): Promise<void> {
	const concurrencyOf: Record<Column, (items: number) => number> = {
		openai: () => 1,
		http: (items) => items,
		chatDefault: () => DEFAULT_CONCURRENCY,
		chat16: () => 16,
	};
	const latencyRow = rowBranches(
		COLUMNS.map((column) => ({ column, items: LATENCY_ITEMS })),
		LATENCY,
	);
	const throughputRow = rowBranches(
		COLUMNS.map((column) => ({ column, items: column === 'openai' ? OPENAI_ITEMS : ITEMS })),
		0,
	);

	const server = await hostInChild<ChatLatencyServer>('servers/chat-latency.ts');
	const suite = await setupN8n();
	try {
		await suite.n8n.importCredentials(credentialsFor(server.info.url, [0, LATENCY]));
		const [latencyId, throughputId] = await suite.n8n.importWorkflows([
			benchWorkflow(`bench ${LATENCY_ITEMS} items @${LATENCY} ms`, latencyRow, server.info.url),
			benchWorkflow(`bench ${ITEMS} items @0 ms`, throughputRow, server.info.url),
		]);
		const samples = new Map<string, number[]>();
		const loads: number[] = [];
		for (let run = 1; run <= RUNS; run++) {
			for (const [id, branches] of [
				[latencyId, latencyRow],
				[throughputId, throughputRow],
			] as const) {
				loads.push(loadavg()[0]);
				const result = await suite.n8n.execute(id);
				if (!result.run)
					throw new Error(`n8n execute printed no run:\n${result.stderr.slice(-2000)}`);
				for (const branch of branches.filter((b) => !b.name.startsWith('warm-up'))) {
					const { ms } = nodeTiming(result.run, branch.name, branch.items);
					samples.set(branch.name, [...(samples.get(branch.name) ?? []), ms]);
					process.stdout.write(`run ${run}/${RUNS}: ${branch.name}: ${ms} ms\n`);
				}
			}
		}

		const figure = (column: Column): ColumnFigures => {
			const lat = latencyRow.find((b) => b.column === column && b.latencyMs === LATENCY)!;
			const thr = throughputRow.find((b) => b.column === column && !b.name.startsWith('warm-up'))!;
			return {
				latency: {
					ms: median(samples.get(lat.name)!),
					items: lat.items,
					concurrency: concurrencyOf[column](lat.items),
				},
				perItem: { ms: median(samples.get(thr.name)!) / thr.items, items: thr.items },
			};
		};
		const figures: BenchFigures = {
			latencyMs: LATENCY,
			columns: Object.fromEntries(COLUMNS.map((c) => [c, figure(c)])) as Record<
				Column,
				ColumnFigures
			>,
		};
		const { header, rows } = figureTable(figures);
		printTable(
			`One real n8n 2.41.1, each node's executionTime, median of ${RUNS} runs`,
			header,
			rows,
		);
		process.stdout.write(
			`every run (ms): ${JSON.stringify(Object.fromEntries(samples))}\n` +
				`load average (1 min) at each execute: ${loads.map((l) => l.toFixed(1)).join(', ')} on ${cpus().length} CPUs\n` +
				`targets: LiteLLM Chat per item ≤ 1.00 × HTTP Request; concurrency 16 ≤ 1.20 × bound\n`,
		);
	} finally {
		await suite.teardown();
		await server.stop();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
