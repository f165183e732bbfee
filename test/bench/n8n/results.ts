/**
 * Figures of the real-n8n bench: each node's `executionTime` from a run's data, the median over runs, and the
 * table (nodes as columns; the latency row as ms and ratio to the latency bound, the throughput row as ms per
 * item and ratio to HTTP Request in the same run). Pure functions, so the formatting is unit-tested.
 */
import type { IRun } from 'n8n-workflow';

import { COLUMN_TITLES, COLUMNS, type Column } from './workflow';

export function median(values: number[]): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The fastest any node can be: ceil(items / concurrency) rounds of the latency. */
export function latencyBound(items: number, concurrency: number, latencyMs: number): number {
	return Math.ceil(items / concurrency) * latencyMs;
}

/**
 * `executionTime` (ms) and item count of a node in a run; throws when the node did not run, failed or gave
 * fewer items than it got, so a broken run never becomes a figure.
 */
export function nodeTiming(
	run: IRun,
	nodeName: string,
	expectedItems: number,
): { ms: number; items: number } {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task) {
		const { error, lastNodeExecuted } = run.data.resultData;
		throw new Error(
			`node "${nodeName}" did not run (last node run: ${lastNodeExecuted}; run error: ${error?.message ?? 'none'})`,
		);
	}
	if (task.error) throw new Error(`node "${nodeName}" failed: ${task.error.message}`);
	const items = task.data?.main?.[0]?.length ?? 0;
	if (items !== expectedItems)
		throw new Error(`node "${nodeName}" gave ${items} items, expected ${expectedItems}`);
	return { ms: task.executionTime, items };
}

export interface ColumnFigures {
	/** Median ms of the latency row, and the concurrency its bound assumes. */
	latency: { ms: number; items: number; concurrency: number };
	/** Median ms per item of the throughput row. */
	perItem: { ms: number; items: number };
}

export interface BenchFigures {
	latencyMs: number;
	columns: Record<Column, ColumnFigures>;
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/** Table rows: one per figure, one cell per node (in COLUMNS order), under a header of node titles. */
export function figureTable(f: BenchFigures): { header: string[]; rows: string[][] } {
	const cells = (pick: (c: ColumnFigures, column: Column) => string) =>
		COLUMNS.map((column) => pick(f.columns[column], column));
	const httpPerItem = f.columns.http.perItem.ms;
	const latencyItems = f.columns.chat16.latency.items;
	const perItemItems = f.columns.chat16.perItem.items;
	return {
		header: ['figure', ...COLUMNS.map((c) => COLUMN_TITLES[c])],
		rows: [
			[`${latencyItems} items @${f.latencyMs} ms: ms`, ...cells((c) => thousands(c.latency.ms))],
			['  concurrency', ...cells((c) => String(c.latency.concurrency))],
			[
				'  latency bound ceil(N/conc) × latency, ms',
				...cells((c) =>
					thousands(latencyBound(c.latency.items, c.latency.concurrency, f.latencyMs)),
				),
			],
			[
				'  × bound',
				...cells((c) =>
					(
						c.latency.ms / latencyBound(c.latency.items, c.latency.concurrency, f.latencyMs)
					).toFixed(2),
				),
			],
			[
				`${perItemItems.toLocaleString('en-US')} items @0 ms: ms per item`,
				...cells((c) =>
					c.perItem.items === perItemItems
						? c.perItem.ms.toFixed(2)
						: `${c.perItem.ms.toFixed(2)} (${c.perItem.items} items)`,
				),
			],
			['  × HTTP Request', ...cells((c) => (c.perItem.ms / httpPerItem).toFixed(2))],
		],
	};
}
