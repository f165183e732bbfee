/** The real-n8n bench's arithmetic and table: median, latency bound, the run-data reading and the rows. */
import type { IRun } from 'n8n-workflow';

import {
	type BenchFigures,
	figureTable,
	latencyBound,
	median,
	nodeTiming,
} from '../../bench/n8n/results';
import { benchWorkflow, rowBranches } from '../../bench/n8n/workflow';

function runWith(runData: Record<string, unknown[]>, error?: string): IRun {
	return {
		data: {
			resultData: {
				runData,
				lastNodeExecuted: Object.keys(runData).pop(),
				error: error ? { message: error } : undefined,
			},
		},
	} as unknown as IRun;
}

const task = (ms: number, items: number, error?: string) => ({
	executionTime: ms,
	error: error ? { message: error } : undefined,
	data: { main: [Array.from({ length: items }, () => ({ json: {} }))] },
});

describe('real-n8n bench figures', () => {
	it('takes the median of odd and even counts, NaN of none', () => {
		expect(median([300, 100, 200])).toBe(200);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([])).toBeNaN();
	});

	it('bounds a run by ceil(items / concurrency) rounds of the latency', () => {
		expect(latencyBound(100, 16, 200)).toBe(1400);
		expect(latencyBound(100, 5, 200)).toBe(4000);
		expect(latencyBound(100, 100, 200)).toBe(200);
		expect(latencyBound(100, 1, 200)).toBe(20000);
	});

	it("reads a node's executionTime and refuses a run that failed or lost items", () => {
		const run = runWith({ a: [task(812, 100)], b: [task(5, 99)], c: [task(5, 100, 'boom')] });
		expect(nodeTiming(run, 'a', 100)).toEqual({ ms: 812, items: 100 });
		expect(() => nodeTiming(run, 'b', 100)).toThrow('gave 99 items, expected 100');
		expect(() => nodeTiming(run, 'c', 100)).toThrow('failed: boom');
		expect(() => nodeTiming(runWith({}, 'stopped'), 'a', 100)).toThrow(
			/did not run.*run error: stopped/,
		);
	});

	it('prints one column per node, ratios to the bound and to HTTP Request', () => {
		const figures: BenchFigures = {
			latencyMs: 200,
			columns: {
				openai: {
					latency: { ms: 22108, items: 100, concurrency: 1 },
					perItem: { ms: 12.49, items: 300 },
				},
				http: {
					latency: { ms: 820, items: 100, concurrency: 100 },
					perItem: { ms: 2, items: 1000 },
				},
				chatDefault: {
					latency: { ms: 4641, items: 100, concurrency: 5 },
					perItem: { ms: 2.45, items: 1000 },
				},
				chat16: {
					latency: { ms: 1938, items: 100, concurrency: 16 },
					perItem: { ms: 2.6, items: 1000 },
				},
			},
		};
		const { header, rows } = figureTable(figures);
		expect(header).toHaveLength(5);
		const row = (start: string) => rows.find((r) => r[0].startsWith(start))!;
		expect(row('100 items @200 ms').slice(1)).toEqual(['22,108', '820', '4,641', '1,938']);
		expect(row('  latency bound').slice(1)).toEqual(['20,000', '200', '4,000', '1,400']);
		expect(row('  × bound').slice(1)).toEqual(['1.11', '4.10', '1.16', '1.38']);
		expect(row('1,000 items @0 ms').slice(1)).toEqual([
			'12.49 (300 items)',
			'2.00',
			'2.45',
			'2.60',
		]);
		expect(row('  × HTTP Request').slice(1)).toEqual(['6.25', '1.00', '1.23', '1.30']);
	});

	it('builds warm-up branches first and one Code node per measured node', () => {
		const branches = rowBranches([{ column: 'chat16', items: 100 }], 200, 20);
		expect(branches.map((b) => [b.name, b.latencyMs])).toEqual([
			['warm-up openai', 0],
			['warm-up http', 0],
			['warm-up chatDefault', 0],
			['warm-up chat16', 0],
			['chat16 100 items', 200],
		]);
		const workflow = benchWorkflow('w', branches, 'http://127.0.0.1:1');
		const nodes = workflow.nodes as Array<{ name: string; type: string; position: number[] }>;
		expect(nodes.filter((n) => n.type === 'n8n-nodes-base.code')).toHaveLength(5);
		const measured = nodes.find((n) => n.name === 'chat16 100 items')!;
		expect(measured.type).toBe('n8n-nodes-litellm.liteLlmChat');
		// v1 order runs branches top to bottom: the measured branch is the lowest.
		expect(Math.max(...nodes.map((n) => n.position[1]))).toBe(measured.position[1]);
	});
});
