/** Key Spend and Budget Check (emit-once memory in static data) through the engine. */
import type { IDataObject } from 'n8n-workflow';

import { scanForSecrets } from '../harness';
import { type Fixture, startFixture, stopFixture, usage } from './setup';

let f: Fixture;
const KEY_A = 'sk-budget-alpha-000000000001';
const KEY_B = 'sk-budget-bravo-000000000002';

beforeAll(async () => {
	f = await startFixture(200);
	f.secrets.push(KEY_A, KEY_B);
	const a = f.litellm.addVirtualKey({
		key: KEY_A,
		key_alias: 'alpha',
		max_budget: 10,
		spend: 6,
		budget_duration: '30d',
		metadata: { service: 'open-webui' },
	});
	a.budget_reset_at = new Date(Date.now() + 10 * 86_400_000).toISOString();
	f.litellm.addVirtualKey({ key: KEY_B, key_alias: 'bravo', max_budget: null, spend: 2.5 });
});
afterAll(async () => {
	await stopFixture(f);
});

const budget = (over: IDataObject = {}) => ({
	operation: 'budgetCheck',
	thresholds: '50, 80, 95, 100',
	budgetScope: ['keys', 'teams'],
	...over,
});
const nodeData = (staticData: IDataObject) => staticData['node:LiteLLM Usage'] as IDataObject;

describe('Key Spend', () => {
	it('lists every key with spend, budget, percentage, reset and service, masked', async () => {
		const run = await usage(f, { parameters: { operation: 'keySpend' } });
		expect(run.error).toBeUndefined();
		const alpha = run.items.find((i) => i.json.keyAlias === 'alpha')!.json;
		expect(alpha).toMatchObject({
			spendUsd: 6,
			maxBudgetUsd: 10,
			percentUsed: 60,
			keyName: 'sk-...0001',
			service: 'open-webui',
			blocked: false,
			expired: false,
		});
		expect(alpha.text).toMatch(/^Key alpha \(sk-\.\.\.0001\): \$6\.00 spent of \$10\.00 \(60%\)/);
		expect(run.items.find((i) => i.json.keyAlias === 'bravo')!.json.percentUsed).toBeNull();
		const only = await usage(f, { parameters: { operation: 'keySpend', onlyWithBudget: true } });
		expect(only.items.map((i) => i.json.keyAlias)).toEqual(['alpha']);
		expect(scanForSecrets([run.items, run.logs], f.secrets)).toEqual([]);
	});
});

describe('Budget Check', () => {
	it('emits a crossing once across runs sharing static data, again on a higher threshold, and again after a reset', async () => {
		const row = f.litellm.keyRow(KEY_A)!;
		row.spend = 6;
		const first = await usage(f, { parameters: budget() });
		expect(first.error).toBeUndefined();
		const alerts1 = first.items.map((i) => i.json);
		// Key alpha at 60% → 50; team Research at 30% → nothing; bravo has no budget.
		expect(alerts1).toHaveLength(1);
		expect(alerts1[0]).toMatchObject({
			entityType: 'key',
			threshold: 50,
			newThresholds: [50],
			entity: 'alpha (sk-...0001)',
		});
		expect(alerts1[0].text).toMatch(/crossed 50% of its budget/);
		expect(alerts1[0].projectedSpendUsd).not.toBeNull();
		expect((alerts1[0].blocks as IDataObject[])[0]).toMatchObject({ type: 'header' });

		const second = await usage(f, { parameters: budget(), staticData: first.staticData });
		expect(second.items).toHaveLength(0);

		row.spend = 9.7;
		const third = await usage(f, { parameters: budget(), staticData: second.staticData });
		expect(third.items.map((i) => i.json.threshold)).toEqual([95]);
		expect(third.items[0].json.newThresholds).toEqual([80, 95]);
		const fourth = await usage(f, { parameters: budget(), staticData: third.staticData });
		expect(fourth.items).toHaveLength(0);

		// LiteLLM resets the budget: spend back to 0 and budget_reset_at moves a period on.
		row.spend = 5.5;
		row.budget_reset_at = new Date(Date.now() + 40 * 86_400_000).toISOString();
		const afterReset = await usage(f, { parameters: budget(), staticData: fourth.staticData });
		expect(afterReset.items.map((i) => [i.json.threshold, i.json.wasReset])).toEqual([[50, true]]);
		const memory = nodeData(afterReset.staticData).budgetMemory as IDataObject;
		expect(Object.keys(memory).some((k) => k.startsWith('key:'))).toBe(true);
		expect(scanForSecrets([afterReset.staticData, afterReset.items], f.secrets)).toEqual([]);
	});

	it("checks a team budget, and reads this month's daily activity for the proxy budget", async () => {
		f.litellm.server.ledger.length = 0;
		const run = await usage(f, {
			parameters: budget({ thresholds: '25', budgetScope: ['teams'], proxyMonthlyBudget: 0.0001 }),
		});
		expect(run.error).toBeUndefined();
		const kinds = run.items.map((i) => i.json.entityType).sort();
		// Research (30 of 100) crosses 25%. The seed lies in January 2026, so this month's proxy spend is whatever
		// falls in it; the route must have been asked either way.
		expect(kinds).toContain('team');
		expect(f.litellm.server.calls('/user/daily/activity')).toHaveLength(1);
		expect(run.items.find((i) => i.json.entityType === 'team')!.json.entity).toBe(
			'Research (team-1)',
		);
	});

	it.each([
		[{ thresholds: '50, 1500' }, /Thresholds \(%\): 1500 is outside 0 to 1000/],
		[{ thresholds: '-1' }, /outside 0 to 1000/],
		[{ proxyMonthlyBudget: -5 }, /Proxy Monthly Budget \(USD\) may not be negative/],
	])('refuses %j before any request', async (over, message) => {
		f.litellm.server.ledger.length = 0;
		const run = await usage(f, { parameters: budget(over) });
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(message);
		expect(f.litellm.server.ledger).toHaveLength(0);
	});
});
