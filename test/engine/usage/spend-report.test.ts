/** Spend Report through n8n-core's engine against the LiteLLM simulator's seeded spend logs. */
import { scanForSecrets } from '../harness';
import { expectedTotals, type Fixture, SEED_END, startFixture, stopFixture, usage } from './setup';

let f: Fixture;
beforeAll(async () => {
	f = await startFixture(4000);
});
afterAll(async () => {
	await stopFixture(f);
});
beforeEach(() => {
	f.litellm.server.ledger.length = 0;
	f.litellm.faults.clear();
});

const DAY = 86_400_000;
// 3.5 days ending 2 h before the newest row: not whole days, so the rows are read.
const START = SEED_END - 4 * DAY + 12 * 3_600_000;
const END = SEED_END - 2 * 3_600_000;
const custom = {
	datePreset: 'custom',
	startDate: new Date(START).toISOString(),
	endDate: new Date(END).toISOString(),
};

function json(run: Awaited<ReturnType<typeof usage>>) {
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(1);
	return run.items[0].json as Record<string, any>;
}

describe('Spend Report', () => {
	it('groups by key and model over every page; totals match the seed', async () => {
		const run = await usage(f, {
			parameters: {
				operation: 'spendReport',
				...custom,
				groupBy: ['key', 'model'],
				topN: 0,
				source: 'auto',
			},
		});
		const report = json(run);
		const e = expectedTotals(f.seed, START, END);
		expect(e.requests).toBeGreaterThan(1000);
		expect(report.source).toBe('spendLogs');
		expect(report.sourceReason).toMatch(/needs the rows/);
		expect(report.rowsRead).toBe(e.requests);
		expect(report.complete).toBe(true);
		expect(report.pagesRead).toBe(Math.ceil(e.requests / 100));
		expect(f.litellm.server.calls('/spend/logs/ui')).toHaveLength(Math.ceil(e.requests / 100));
		expect(report.totals.requests).toBe(e.requests);
		expect(report.totals.failedRequests).toBe(e.failed);
		expect(report.totals.unpricedRequests).toBe(e.unpriced);
		expect(report.totals.unpricedTokens).toBe(e.unpricedTokens);
		expect(report.totals.totalTokens).toBe(e.tokens);
		expect(report.totals.costUsd).toBeCloseTo(e.cost, 10);
		// One group, checked on its own: key svc-3 × gpt-4o.
		const key = f.seed.keys[2];
		const g = expectedTotals(
			f.seed,
			START,
			END,
			(r) => r.api_key === key.token && r.model_group === 'gpt-4o',
		);
		const group = report.groups.find(
			(x: any) => x.labels.key?.startsWith('svc-3 ') && x.labels.model === 'gpt-4o',
		);
		expect(group).toBeDefined();
		expect(group.requests).toBe(g.requests);
		expect(group.costUsd).toBeCloseTo(g.cost, 12);
		expect(report.groupCount).toBe(f.seed.keys.length * f.seed.models.length);
		// Sum of groups equals the total.
		expect(report.groups.reduce((s: number, x: any) => s + x.costUsd, 0)).toBeCloseTo(e.cost, 10);
		// People-facing parts, and the time of reading.
		expect(report.text).toMatch(
			/^LiteLLM spend .*: \$[\d,.]+ over .* requests, \d+ failed, \d+ unpriced/,
		);
		expect(report.blocks[0]).toMatchObject({ type: 'header' });
		expect(Date.parse(report.readAt)).toBeGreaterThan(Date.now() - 60_000);
		expect(scanForSecrets([run.items, run.logs], f.secrets)).toEqual([]);
		// The full key hash never appears, only its 12-character fingerprint.
		expect(JSON.stringify(run.items)).not.toContain(key.token);
	});

	it("groups by workflow from the Chat node's attribution, with top-N and the rest summed", async () => {
		const run = await usage(f, {
			parameters: {
				operation: 'spendReport',
				...custom,
				groupBy: ['workflow'],
				topN: 2,
				source: 'spendLogs',
			},
		});
		const report = json(run);
		const wf1 = expectedTotals(
			f.seed,
			START,
			END,
			(r) => r.metadata.spend_logs_metadata?.n8n_workflow_id === 'wf1',
		);
		const none = expectedTotals(f.seed, START, END, (r) => !r.metadata.spend_logs_metadata);
		const all = [...report.groups];
		expect(all).toHaveLength(2);
		expect(report.others.groups).toBe(f.seed.workflows.length + 1 - 2);
		const rerun = json(
			await usage(f, {
				parameters: {
					operation: 'spendReport',
					...custom,
					groupBy: ['workflow'],
					topN: 0,
					source: 'spendLogs',
				},
			}),
		);
		const g1 = rerun.groups.find((x: any) => x.group === 'Workflow 1 (wf1)');
		expect(g1.requests).toBe(wf1.requests);
		expect(g1.costUsd).toBeCloseTo(wf1.cost, 12);
		const gNone = rerun.groups.find((x: any) => x.group === '(not from n8n)');
		expect(gNone.requests).toBe(none.requests);
	});

	it('uses daily activity when grouping and whole days allow it, and says so', async () => {
		const start = Date.UTC(2026, 0, 13);
		const end = Date.UTC(2026, 0, 17) - 1000;
		const run = await usage(f, {
			parameters: {
				operation: 'spendReport',
				datePreset: 'custom',
				startDate: new Date(start).toISOString(),
				endDate: new Date(end).toISOString(),
				groupBy: ['model'],
				topN: 0,
			},
		});
		const report = json(run);
		const e = expectedTotals(f.seed, start, end + 999);
		expect(report.source).toBe('dailyActivity');
		expect(report.sourceRoute).toBe('/user/daily/activity');
		expect(f.litellm.server.calls('/spend/logs/ui')).toHaveLength(0);
		expect(report.totals.requests).toBe(e.requests);
		expect(report.totals.failedRequests).toBe(e.failed);
		expect(report.totals.costUsd).toBeCloseTo(e.cost, 10);
		expect(report.totals.unpricedRequests).toBeNull();
		expect(report.notes.join(' ')).toMatch(/unpriced requests .* cannot be counted/);
		const mini = expectedTotals(f.seed, start, end + 999, (r) => r.model === 'gpt-4o-mini');
		expect(report.groups.find((g: any) => g.group === 'gpt-4o-mini').costUsd).toBeCloseTo(
			mini.cost,
			12,
		);
	});

	it('retries a failed page once and carries on', async () => {
		f.litellm.faults.add(
			{
				kind: 'status',
				status: 503,
				body: { error: { message: 'db busy', type: null, param: null, code: '503' } },
			},
			{ path: '/spend/logs/ui', times: 1 },
		);
		const report = json(
			await usage(f, {
				parameters: {
					operation: 'spendReport',
					...custom,
					groupBy: ['model'],
					source: 'spendLogs',
				},
			}),
		);
		expect(report.retries).toBe(1);
		expect(report.totals.requests).toBe(expectedTotals(f.seed, START, END).requests);
	});

	it('fails the item with a clear error when a page fails twice; no partial report', async () => {
		f.litellm.faults.add(
			{
				kind: 'status',
				status: 500,
				body: { error: { message: 'boom', type: null, param: null, code: '500' } },
			},
			{ path: '/spend/logs/ui', times: 2 },
		);
		const run = await usage(f, {
			parameters: { operation: 'spendReport', ...custom, groupBy: ['model'], source: 'spendLogs' },
		});
		expect(run.items).toHaveLength(0);
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toMatch(/Spend logs page 1 failed twice, so no report was made/);
		expect(scanForSecrets([run.error, run.logs], f.secrets)).toEqual([]);
	});

	it('with continueOnFail, a failing item yields an error item', async () => {
		f.litellm.faults.add({ kind: 'reset' }, { path: '/spend/logs/ui', times: 2 });
		const run = await usage(f, {
			parameters: { operation: 'spendReport', ...custom, groupBy: ['model'], source: 'spendLogs' },
			continueOnFail: true,
		});
		expect(run.items).toHaveLength(1);
		expect(String(run.items[0].json.error)).toMatch(/page 1 failed twice/);
	});

	it.each([
		[
			{ datePreset: 'custom', startDate: '2026-01-10T00:00:00Z', endDate: '2026-01-01T00:00:00Z' },
			/Start Date is after End Date/,
		],
		[
			{ datePreset: 'custom', startDate: '2024-01-01T00:00:00Z', endDate: '2025-06-01T00:00:00Z' },
			/longer than one year/,
		],
		[{ groupBy: ['bogus'] }, /Group By "bogus" is unknown/],
		[
			{ groupBy: ['tag'], source: 'dailyActivity' },
			/Data Source "Daily Activity" cannot group by tag/,
		],
		[{ options: { pageSize: 500 } }, /Page Size must be/],
	])('refuses bad input %j before any request', async (params, message) => {
		const run = await usage(f, {
			parameters: { operation: 'spendReport', groupBy: ['model'], ...params },
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(message);
		expect(f.litellm.server.ledger).toHaveLength(0);
	});
});
