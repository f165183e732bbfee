import {
	evaluateBudget,
	parseThresholds,
	periodStartMs,
	readMemory,
	type BudgetEntity,
} from '../../../nodes/LiteLlmUsage/aggregation/budget';
import {
	compareWithOpenRouter,
	matchModel,
	readOpenRouterModels,
} from '../../../nodes/LiteLlmUsage/aggregation/savings';
import { SpendAggregator } from '../../../nodes/LiteLlmUsage/aggregation/spend-fold';
import { fields, formatUsd, percentBar } from '../../../nodes/LiteLlmUsage/slack-format/format';

const NOW = Date.UTC(2026, 2, 15, 12);

function key(spend: number, over: Partial<BudgetEntity> = {}): BudgetEntity {
	return {
		kind: 'key',
		id: 'key:abc',
		label: 'svc (sk-...abcd)',
		spendUsd: spend,
		maxBudgetUsd: 100,
		budgetDuration: '30d',
		budgetResetAt: new Date(Date.UTC(2026, 2, 31)).toISOString(),
		...over,
	};
}

describe('thresholds', () => {
	it('parses, sorts and refuses values outside 0–1000 %', () => {
		expect(parseThresholds('100, 50,80 , 95')).toEqual([50, 80, 95, 100]);
		expect(parseThresholds('50, 1001')).toMatch(/outside 0 to 1000/);
		expect(parseThresholds('-5')).toMatch(/outside/);
		expect(parseThresholds('abc')).toMatch(/not a number/);
		expect(parseThresholds('')).toMatch(/no threshold/);
	});
});

describe('budget evaluation', () => {
	const T = [50, 80, 95, 100];
	it('reports new crossings once, the highest first, and remembers them', () => {
		const first = evaluateBudget(key(85), T, undefined, NOW);
		expect(first.newThresholds).toEqual([50, 80]);
		expect(first.threshold).toBe(80);
		const again = evaluateBudget(key(90), T, first.memory, NOW);
		expect(again.threshold).toBeUndefined();
		const higher = evaluateBudget(key(96), T, again.memory, NOW);
		expect(higher.newThresholds).toEqual([95]);
	});

	it('clears the memory when the budget resets (reset time moved, or spend went down)', () => {
		const before = evaluateBudget(key(85), T, undefined, NOW).memory;
		const moved = evaluateBudget(
			key(60, { budgetResetAt: '2026-04-30T00:00:00.000Z' }),
			T,
			before,
			NOW,
		);
		expect(moved.wasReset).toBe(true);
		expect(moved.newThresholds).toEqual([50]);
		const down = evaluateBudget(key(55), T, before, NOW);
		expect(down.wasReset).toBe(true);
		expect(down.threshold).toBe(50);
	});

	it('projects to the period end from the run rate', () => {
		// 30-day period ending on the 31st started on the 1st; at the 15th 12:00 (14.5 days) spend 29 → rate 2/day.
		const e = evaluateBudget(key(29), T, undefined, NOW);
		expect(e.projection?.periodStart).toBe('2026-03-01T00:00:00.000Z');
		expect(e.projection?.projectedSpendUsd).toBeCloseTo(60, 6);
		expect(e.projection?.projectedExhaustedAt).toBeNull();
		const fast = evaluateBudget(key(70), T, undefined, NOW);
		expect(fast.projection?.projectedExhaustedAt).not.toBeNull();
	});

	it('treats a new month as the proxy budget reset', () => {
		const proxy: BudgetEntity = {
			kind: 'proxy',
			id: 'proxy',
			label: 'all keys',
			spendUsd: 60,
			maxBudgetUsd: 100,
			period: '2026-02',
		};
		const feb = evaluateBudget(proxy, T, undefined, NOW).memory;
		expect(evaluateBudget({ ...proxy, period: '2026-02' }, T, feb, NOW).threshold).toBeUndefined();
		expect(evaluateBudget({ ...proxy, period: '2026-03' }, T, feb, NOW).threshold).toBe(50);
	});

	it('reads LiteLLM durations and ignores malformed memory', () => {
		expect(periodStartMs('1mo', Date.UTC(2026, 3, 1))).toBe(Date.UTC(2026, 2, 1));
		expect(periodStartMs('24h', 86_400_000 * 2)).toBe(86_400_000);
		expect(periodStartMs('weekly', 0)).toBeUndefined();
		expect(readMemory({ a: { reported: [50, 'x'] }, b: 3, c: null })).toEqual({
			a: { reported: [50], resetAt: null, spendUsd: 0 },
		});
	});
});

describe('savings vs OpenRouter', () => {
	const { models } = readOpenRouterModels({
		data: [
			{ id: 'openai/gpt-4o-mini', pricing: { prompt: '0.00000015', completion: '0.0000006' } },
			{
				id: 'anthropic/claude-3.5-sonnet',
				pricing: { prompt: '0.000003', completion: '0.000015' },
			},
			{
				id: 'meta-llama/llama-3.1-70b-instruct',
				pricing: { prompt: '0.0000004', completion: '0.0000004' },
			},
			{
				id: 'other/llama-3.1-70b-instruct',
				pricing: { prompt: '0.0000005', completion: '0.0000005' },
			},
			{ id: 'mistralai/mistral-small', pricing: { prompt: '2e-07', completion: '6e-07' } },
			{ id: 'broken/model', pricing: { prompt: 'n/a' } },
		],
	});

	it('matches by mapping, exact id, provider + name and unique name, and never guesses', () => {
		expect(models.size).toBe(5);
		expect(matchModel('gpt-4o-mini', 'openai', models, {})).toMatchObject({
			rule: 'provider + name',
		});
		expect(matchModel('openai/gpt-4o-mini', undefined, models, {})).toMatchObject({
			rule: 'exact id',
		});
		expect(matchModel('mistral-small', undefined, models, {})).toMatchObject({
			rule: 'unique name',
		});
		expect(
			matchModel('claude', 'anthropic', models, { claude: 'anthropic/claude-3.5-sonnet' }),
		).toMatchObject({ rule: 'mapping' });
		expect(matchModel('llama-3.1-70b-instruct', 'groq', models, {})).toMatchObject({
			reason: expect.stringMatching(/ambiguous/),
		});
		expect(matchModel('claude-3-5-sonnet-20241022', 'anthropic', models, {})).toMatchObject({
			reason: expect.any(String),
		});
	});

	it('prices priced tokens only and lists unmatched models', () => {
		const agg = new SpendAggregator(['model']);
		const base = { status: 'success', custom_llm_provider: 'openai', model_group: 'gpt-4o-mini' };
		agg.addRows([
			{ ...base, spend: 0.0001, prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 },
			// Unpriced: must not inflate the OpenRouter side.
			{ ...base, spend: 0, prompt_tokens: 50000, completion_tokens: 0, total_tokens: 50000 },
			{
				...base,
				model_group: 'local-llama',
				custom_llm_provider: 'ollama',
				spend: 0.01,
				prompt_tokens: 10,
				completion_tokens: 10,
				total_tokens: 20,
			},
		]);
		const r = compareWithOpenRouter(agg.result().groups, models, {});
		expect(r.lines).toHaveLength(1);
		expect(r.lines[0].openRouterCostUsd).toBeCloseTo(1000 * 0.00000015 + 100 * 0.0000006, 15);
		expect(r.totals.liteLlmCostUsd).toBeCloseTo(0.0001, 15);
		expect(r.totals.savedUsd).toBeCloseTo(0.00021 - 0.0001, 15);
		expect(r.unmatched.map((u) => u.model)).toEqual(['local-llama']);
		expect(r.unpricedRequests).toBe(1);
	});
});

describe('formatting', () => {
	it('formats USD sensibly', () => {
		expect(formatUsd(1234.5)).toBe('$1,235');
		expect(formatUsd(12.345)).toBe('$12.35');
		expect(formatUsd(0.0042)).toBe('$0.0042');
		expect(formatUsd(0.000021)).toBe('$0.000021');
		expect(formatUsd(0)).toBe('$0.00');
		expect(formatUsd(-3)).toBe('-$3.00');
	});
	it('draws a bar and builds valid field sections', () => {
		expect(percentBar(52)).toBe('▓▓▓▓▓░░░░░ 52%');
		expect(percentBar(250)).toBe('▓▓▓▓▓▓▓▓▓▓ 250%');
		const block = fields(Array.from({ length: 12 }, (_, i) => [`f${i}`, 'v'] as [string, string]));
		expect((block.fields as unknown[]).length).toBe(10);
	});
});
