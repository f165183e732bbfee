/**
 * LiteLLM Budget Trigger: active polls through n8n-core's PollContext and TriggersAndPollers (poll-run.ts),
 * the manual run through the harness (WorkflowExecute calls poll with a manual PollContext), against the
 * LiteLLM simulator with the spend routes of the Usage tests.
 */
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { type LoadedPackage, loadPackage, REPO_ROOT, runNode, scanForSecrets } from '../harness';
import { type Fixture, MASTER_KEY, startFixture, stopFixture } from '../usage/setup';
import { poller } from './poll-run';

let f: Fixture;
let pkg: LoadedPackage;
const KEY_A = 'sk-trigger-alpha-00000000001';
const KEY_B = 'sk-trigger-bravo-00000000002';
const credentials = () => ({ liteLlmApi: { baseUrl: f.litellm.url, apiKey: MASTER_KEY } });
const parameters = (over: IDataObject = {}) => ({
	thresholds: '50, 80, 95, 100',
	budgetScope: ['keys', 'teams'],
	proxyMonthlyBudget: 0,
	...over,
});
// A private build (USAGE_PACKAGE_ROOT) when the shared dist/ is being rebuilt by others; default dist/.
const packageRoot = process.env.USAGE_PACKAGE_ROOT
	? path.resolve(REPO_ROOT, process.env.USAGE_PACKAGE_ROOT)
	: undefined;

beforeAll(async () => {
	pkg = await loadPackage(packageRoot);
	f = await startFixture(200);
	f.secrets.push(KEY_A, KEY_B);
	const a = f.litellm.addVirtualKey({
		key: KEY_A,
		key_alias: 'alpha',
		max_budget: 10,
		spend: 6,
		budget_duration: '30d',
	});
	a.budget_reset_at = new Date(Date.now() + 10 * 86_400_000).toISOString();
	f.litellm.addVirtualKey({ key: KEY_B, key_alias: 'bravo', max_budget: null, spend: 2.5 });
});
afterAll(async () => {
	await stopFixture(f);
});

describe('LiteLLM Budget Trigger (active polls)', () => {
	it('fires on new crossings, returns null when nothing is new, fires again on a higher threshold and after a reset', async () => {
		const row = f.litellm.keyRow(KEY_A)!;
		row.spend = 6;
		const p = poller(pkg, 'liteLlmBudgetTrigger', parameters(), credentials());

		const first = await p.poll();
		expect(first).not.toBeNull();
		expect(first).toHaveLength(1);
		const alerts = first![0].map((i) => i.json);
		// alpha at 60% → 50; team Research at 30% → nothing; bravo has no budget.
		expect(alerts).toHaveLength(1);
		expect(alerts[0]).toMatchObject({
			operation: 'budgetCheck',
			entityType: 'key',
			entity: 'alpha (sk-...0001)',
			threshold: 50,
			newThresholds: [50],
			spendUsd: 6,
			maxBudgetUsd: 10,
			percentUsed: 60,
			wasReset: false,
		});
		expect(alerts[0].text).toMatch(
			/^Key alpha \(sk-\.\.\.0001\) crossed 50% of its budget: \$6\.00 of \$10\.00/,
		);
		expect((alerts[0].blocks as IDataObject[])[0]).toMatchObject({ type: 'header' });
		expect(alerts[0].projectedSpendUsd).not.toBeNull();
		const memory = p.nodeStaticData().budgetMemory as Record<string, { reported: number[] }>;
		const keyEntry = Object.entries(memory).find(([id]) => id.startsWith('key:'))!;
		expect(keyEntry[1].reported).toEqual([50]);

		expect(await p.poll()).toBeNull();

		row.spend = 9.7;
		const higher = await p.poll();
		expect(higher![0].map((i) => [i.json.threshold, i.json.newThresholds])).toEqual([
			[95, [80, 95]],
		]);
		expect(await p.poll()).toBeNull();

		// LiteLLM resets the budget: the spend drops and budget_reset_at moves a period on.
		row.spend = 5.5;
		row.budget_reset_at = new Date(Date.now() + 40 * 86_400_000).toISOString();
		const afterReset = await p.poll();
		expect(afterReset![0].map((i) => [i.json.threshold, i.json.wasReset])).toEqual([[50, true]]);
		expect(await p.poll()).toBeNull();

		expect(scanForSecrets([first, higher, afterReset, p.nodeStaticData()], f.secrets)).toEqual([]);
	});

	it('reports the same items as Budget Check would for a team threshold', async () => {
		const p = poller(
			pkg,
			'liteLlmBudgetTrigger',
			parameters({ thresholds: '25', budgetScope: ['teams'] }),
			credentials(),
		);
		const out = await p.poll();
		expect(out![0].map((i) => [i.json.entityType, i.json.entity, i.json.threshold])).toEqual([
			['team', 'Research (team-1)', 25],
		]);
		expect(await p.poll()).toBeNull();
	});

	it('refuses a bad threshold with a NodeOperationError before any request', async () => {
		f.litellm.server.ledger.length = 0;
		const p = poller(
			pkg,
			'liteLlmBudgetTrigger',
			parameters({ thresholds: '50, 1500' }),
			credentials(),
		);
		await expect(p.poll()).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringMatching(/Thresholds \(%\): 1500 is outside 0 to 1000/),
		});
		expect(f.litellm.server.ledger).toHaveLength(0);
	});
});

describe('LiteLLM Budget Trigger (manual run through WorkflowExecute)', () => {
	const manual = async (over: IDataObject, staticData?: IDataObject) =>
		await runNode({
			nodeType: 'liteLlmBudgetTrigger',
			parameters: parameters(over),
			credentials: credentials(),
			staticData,
			package: packageRoot,
		});

	it('shows what a first poll would report and remembers nothing', async () => {
		f.litellm.keyRow(KEY_A)!.spend = 8.5;
		const remembered = {
			'node:LiteLLM Budget Trigger': {
				budgetMemory: { other: { reported: [50], resetAt: null, spendUsd: 1 } },
			},
		};
		const run = await manual({ budgetScope: ['keys'] }, remembered);
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => [i.json.entity, i.json.threshold, i.json.newThresholds])).toEqual([
			['alpha (sk-...0001)', 80, [50, 80]],
		]);
		expect(run.items[0].json.sample).toBeUndefined();
		expect(run.staticData).toEqual(remembered);
	});

	it('returns a sample item of the same shape when nothing is crossed', async () => {
		const run = await manual({ thresholds: '999' });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const sample = run.items[0].json;
		expect(sample).toMatchObject({
			sample: true,
			operation: 'budgetCheck',
			entityType: 'key',
			threshold: 999,
		});
		expect(sample.text).toMatch(/crossed 999% of its budget/);
		expect(Array.isArray(sample.blocks)).toBe(true);
		// It still read the budgets (the credential works): the key list was asked.
		expect(f.litellm.server.calls('/key/list').length).toBeGreaterThan(0);
	});
});
