import { CompensatedSum, roundUsd } from '../../../nodes/LiteLlmUsage/aggregation/money';
import { SpendAggregator } from '../../../nodes/LiteLlmUsage/aggregation/spend-fold';
import { rowGroups } from '../../../nodes/LiteLlmUsage/aggregation/spend-row';
import {
	customRange,
	isRangeProblem,
	isWholeDays,
	presetRange,
} from '../../../nodes/LiteLlmUsage/aggregation/date-range';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function row(over: Record<string, unknown>): Record<string, unknown> {
	return {
		api_key: HASH_A,
		spend: 0.001,
		prompt_tokens: 10,
		completion_tokens: 5,
		total_tokens: 15,
		startTime: '2026-03-02T10:00:00.000Z',
		model: 'gpt-4o-mini',
		model_group: 'gpt-4o-mini',
		custom_llm_provider: 'openai',
		status: 'success',
		request_tags: [],
		metadata: { user_api_key_alias: 'svc-a' },
		...over,
	};
}

describe('CompensatedSum', () => {
	it('adds a million 0.1s without the drift of plain addition', () => {
		const sum = new CompensatedSum();
		let naive = 0;
		for (let i = 0; i < 1_000_000; i++) {
			sum.add(0.1);
			naive += 0.1;
		}
		expect(sum.value).toBe(100000);
		expect(naive).not.toBe(100000);
	});

	it('keeps tiny terms next to a large one', () => {
		const sum = new CompensatedSum();
		sum.add(1e8);
		for (let i = 0; i < 1000; i++) sum.add(1.5e-7);
		sum.add(-1e8);
		expect(sum.value).toBeCloseTo(1.5e-4, 15);
	});

	it('rounds for people only', () => {
		expect(roundUsd(12.3456)).toBe(12.35);
		expect(roundUsd(0.000123456)).toBe(0.0001235);
	});
});

describe('SpendAggregator', () => {
	it('counts failed requests apart, unpriced rows apart, and parses string and scientific costs exactly', () => {
		const agg = new SpendAggregator(['model']);
		agg.addRows([
			row({ spend: '2.1e-05' }),
			row({ spend: 0.5 }),
			row({ spend: 0, status: 'failure', prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }),
			row({ spend: 0, prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 }),
			row({ spend: 'None' }),
		]);
		const { totals, groups } = agg.result();
		expect(totals.requests).toBe(5);
		expect(totals.failedRequests).toBe(1);
		expect(totals.successfulRequests).toBe(4);
		expect(totals.costUsd).toBeCloseTo(0.500021, 12);
		expect(totals.unpricedRequests).toBe(1);
		expect(totals.unpricedTokens).toBe(150);
		expect(totals.unreadableCostRequests).toBe(1);
		// Unpriced and unreadable rows are not priced tokens.
		expect(totals.pricedPromptTokens).toBe(20);
		expect(totals.totalTokens).toBe(15 + 15 + 150 + 15);
		expect(groups).toHaveLength(1);
	});

	it('groups by key and model together, sorted by cost, with top-N and the rest summed', () => {
		const agg = new SpendAggregator(['key', 'model']);
		agg.addRows([
			row({ spend: 3 }),
			row({ spend: 1, model_group: 'claude' }),
			row({ spend: 2, api_key: HASH_B, metadata: { user_api_key_alias: 'svc-b' } }),
			row({
				spend: 0.5,
				api_key: HASH_B,
				metadata: { user_api_key_alias: 'svc-b' },
				model_group: 'claude',
			}),
		]);
		const result = agg.result('cost', 2);
		expect(result.groupCount).toBe(4);
		expect(result.groups.map((g) => g.group)).toEqual([
			`svc-a (${HASH_A.slice(0, 12)}) · gpt-4o-mini`,
			`svc-b (${HASH_B.slice(0, 12)}) · gpt-4o-mini`,
		]);
		expect(result.others).toEqual({ groups: 2, costUsd: 1.5, requests: 2, totalTokens: 30 });
		// No label carries the full hash.
		expect(JSON.stringify(result.groups)).not.toContain(HASH_A);
	});

	it('counts a row once in each of its tags', () => {
		const agg = new SpendAggregator(['tag']);
		agg.addRows([
			row({ request_tags: ['a', 'b'] }),
			row({ request_tags: '["b"]' }),
			row({ request_tags: [] }),
		]);
		const byTag = Object.fromEntries(agg.result('name').groups.map((g) => [g.group, g.requests]));
		expect(byTag).toEqual({ a: 1, b: 2, '(untagged)': 1 });
		expect(agg.result().totals.requests).toBe(3);
	});

	it('groups by day in UTC', () => {
		const agg = new SpendAggregator(['day']);
		agg.addRows([
			row({ startTime: '2026-03-01T23:59:59Z' }),
			row({ startTime: '2026-03-02T00:00:00+00:00' }),
		]);
		expect(agg.result('name').groups.map((g) => g.group)).toEqual(['2026-03-01', '2026-03-02']);
	});

	it('folds daily-activity metrics per group and the day totals once', () => {
		const agg = new SpendAggregator(['model']);
		agg.addMetrics(
			null,
			{ spend: 3, api_requests: 10, failed_requests: 1, prompt_tokens: 100, completion_tokens: 50 },
			true,
		);
		agg.addMetrics(
			[[{ id: 'm1', label: 'm1' }]],
			{ spend: 2, api_requests: 6, failed_requests: 1 },
			false,
		);
		agg.addMetrics(
			[[{ id: 'm2', label: 'm2' }]],
			{ spend: 1, api_requests: 4, failed_requests: 0 },
			false,
		);
		const r = agg.result();
		expect(r.totals).toMatchObject({
			costUsd: 3,
			requests: 10,
			failedRequests: 1,
			successfulRequests: 9,
			totalTokens: 150,
		});
		expect(r.groups.map((g) => [g.group, g.requests])).toEqual([
			['m1', 6],
			['m2', 4],
		]);
	});
});

describe('workflow attribution', () => {
	it('reads the workflow from spend_logs_metadata, else from the n8n-workflow tag', () => {
		expect(
			rowGroups(
				row({
					metadata: {
						spend_logs_metadata: { n8n_workflow_id: 'w1', n8n_workflow_name: 'Daily digest' },
					},
				}),
				'workflow',
			),
		).toEqual([{ id: 'wf:w1', label: 'Daily digest (w1)' }]);
		expect(
			rowGroups(row({ request_tags: ['n8n', 'n8n-workflow:w2', 'n8n-execution:9'] }), 'workflow'),
		).toEqual([{ id: 'wf:w2', label: 'workflow w2' }]);
		expect(rowGroups(row({}), 'workflow')[0].label).toBe('(not from n8n)');
	});
});

describe('date ranges', () => {
	const now = Date.UTC(2026, 2, 15, 12, 30);
	it('presets are UTC-day aligned and end now', () => {
		expect(presetRange('last7Days', now)).toEqual({
			preset: 'last7Days',
			startMs: Date.UTC(2026, 2, 9),
			endMs: now,
		});
		expect(presetRange('thisMonth', now).startMs).toBe(Date.UTC(2026, 2, 1));
		expect(presetRange('lastMonth', now)).toMatchObject({
			startMs: Date.UTC(2026, 1, 1),
			endMs: Date.UTC(2026, 2, 1) - 1,
		});
	});
	it('refuses inverted and over-a-year ranges, naming the field', () => {
		const inverted = customRange('2026-03-10', '2026-03-01', now);
		expect(isRangeProblem(inverted) && inverted.field).toBe('Start Date');
		const long = customRange('2024-01-01', '2025-06-01', now);
		expect(isRangeProblem(long) && long.field).toBe('Date Range');
		expect(isRangeProblem(customRange('garbage', '', now))).toBe(true);
	});
	it('knows whole days', () => {
		expect(
			isWholeDays(
				{ preset: 'custom', startMs: Date.UTC(2026, 2, 1), endMs: Date.UTC(2026, 2, 2) - 1 },
				now,
			),
		).toBe(true);
		expect(
			isWholeDays({ preset: 'custom', startMs: Date.UTC(2026, 2, 1, 5), endMs: now }, now),
		).toBe(false);
	});
});
