/**
 * "Remember Reported Crossings: In Infisical": a budget crossing is reported once however many executions run
 * the check at the same moment (queue-mode workers, each with its own static data), because each alert first
 * claims its marker secret in Infisical with create-if-absent. Real n8n-core executions (Budget Check through
 * WorkflowExecute, Budget Trigger through PollContext) against the LiteLLM, Infisical and Slack simulators;
 * Slack's own message list is what is counted.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ALERT_MARKER_PREFIX } from '../../../nodes/LiteLlmUsage/actions/alert-markers';
import { InfisicalSimulator } from '../../simulators/infisical';
import { SlackReceiver } from '../../simulators/slack';
import { poller } from '../budget-trigger/poll-run';
import { loadPackage, runNode, scanForSecrets } from '../harness';
import { type Fixture, MASTER_KEY, startFixture, stopFixture } from './setup';

const PROJECT = 'proj-budget';
const ENV = 'prod';
const FOLDER = '/litellm';
const CLIENT = { clientId: 'ua-budget', clientSecret: 'ua-budget-secret' };
const KEY_A = 'sk-once-alpha-000000000000001';
const KEY_B = 'sk-once-bravo-000000000000002';

let f: Fixture;
let slack: SlackReceiver;
let infisical: InfisicalSimulator;

// Every case starts from fresh simulators: no marker, no message, the two keys over their thresholds.
beforeEach(async () => {
	f = await startFixture(50);
	f.secrets.push(KEY_A, KEY_B, CLIENT.clientSecret);
	f.litellm.addVirtualKey({ key: KEY_A, key_alias: 'alpha', max_budget: 10, spend: 9.7 });
	f.litellm.addVirtualKey({ key: KEY_B, key_alias: 'bravo', max_budget: 10, spend: 8.2 });
	slack = new SlackReceiver();
	infisical = new InfisicalSimulator();
	infisical.addIdentity(CLIENT);
	infisical.project(PROJECT).addFolder(ENV, FOLDER);
	await Promise.all([slack.start(), infisical.start()]);
});
afterEach(async () => {
	await Promise.all([slack.stop(), infisical.stop()]);
	await stopFixture(f);
});

const scope = () => ({ projectId: PROJECT, environment: ENV, secretPath: FOLDER });
const markers = () =>
	infisical
		.secrets(PROJECT, ENV, FOLDER)
		.filter((s) => s.secretKey.startsWith(ALERT_MARKER_PREFIX));
const credentials = () => ({
	liteLlmApi: { baseUrl: f.litellm.url, apiKey: MASTER_KEY },
	liteLlmInfisicalApi: {
		siteUrl: infisical.url,
		...CLIENT,
		projectId: PROJECT,
		environment: ENV,
		folderPath: FOLDER,
		accessToken: '',
	},
});
const budget = (over: IDataObject = {}): INodeParameters => ({
	thresholds: '80, 95',
	budgetScope: ['keys'],
	deliverTo: 'slack',
	slackWebhookUrl: slack.webhookUrl(),
	alertMemory: 'infisical',
	...over,
});

/** One Budget Check execution on its own worker: its own workflow run, its own (empty) static data. */
const check = (worker: number, over: IDataObject = {}) =>
	runNode({
		nodeType: 'liteLlmUsage',
		parameters: { operation: 'budgetCheck', ...budget(over) },
		credentials: credentials(),
		continueOnFail: true,
		executionId: `exec-worker-${worker}`,
		workflow: { id: 'wf-budget-once', name: 'Budget once across workers' },
	});

const sent = () =>
	slack.messages.map((m) =>
		String(m.text)
			.replace(/ \(.*$/, '')
			.slice(0, 30),
	);
const EXPECTED = [
	expect.stringMatching(/^Key alpha .* crossed 95%/),
	expect.stringMatching(/^Key bravo .* crossed 80%/),
];

describe('Budget Check, markers in Infisical', () => {
	it.each([2, 10])(
		'%i executions at the same moment: each crossing reaches Slack once, and is output by the run that sent it',
		async (n) => {
			const runs = await Promise.all(Array.from({ length: n }, (_, w) => check(w)));
			expect(slack.messages.map((m) => m.text)).toEqual(
				expect.arrayContaining(EXPECTED.map((e) => e)),
			);
			expect(slack.messages).toHaveLength(2);
			const output = runs.flatMap((r) => r.items.map((i) => i.json));
			expect(output.map((j) => [j.entity, j.threshold, j.delivered]).sort()).toEqual([
				['alpha (sk-...0001)', 95, true],
				['bravo (sk-...0002)', 80, true],
			]);
			expect(runs.every((r) => !r.error)).toBe(true);
			// Both markers final; a later run (any worker) reports nothing.
			expect(markers().map((m) => JSON.parse(m.secretValue).status)).toEqual(['done', 'done']);
			const later = await check(99);
			expect(later.items).toHaveLength(0);
			expect(slack.messages).toHaveLength(2);
			expect(scanForSecrets([runs.map((r) => r.items), later.items], f.secrets)).toEqual([]);
		},
	);

	it('a failed Slack post releases its marker: the next run sends that alert, and only that one', async () => {
		slack.failNext(1);
		const first = await check(1);
		expect(first.items.map((i) => [i.json.threshold, i.json.delivered])).toEqual([
			[95, false],
			[80, true],
		]);
		expect(slack.messages).toHaveLength(1);
		const second = await Promise.all([check(2), check(3)]);
		expect(second.flatMap((r) => r.items.map((i) => [i.json.entity, i.json.delivered]))).toEqual([
			['alpha (sk-...0001)', true],
		]);
		expect(slack.messages).toHaveLength(2);
		expect(sent()).toHaveLength(2);
		expect((await check(4)).items).toHaveLength(0);
	});

	it('a run that died between Slack accepting and the marker being final: sent once more after the marker goes stale, never sooner', async () => {
		await check(1);
		expect(slack.messages).toHaveLength(2);
		// As the dead run left it: still "sending", written just now.
		const alpha = markers().find((m) => JSON.parse(m.secretValue).about.startsWith('key:'))!;
		const sending = (at: number) => () =>
			JSON.stringify({ ...JSON.parse(alpha.secretValue), status: 'sending', at });
		infisical.editSecret({ ...scope(), secretKey: alpha.secretKey }, sending(Date.now()));
		expect((await check(2)).items).toHaveLength(0);
		// Eleven minutes later (past MARKER_STALE_MS) the next run claims it again: one more send, then none.
		infisical.editSecret(
			{ ...scope(), secretKey: alpha.secretKey },
			sending(Date.now() - 11 * 60_000),
		);
		const again = await Promise.all([check(3), check(4)]);
		expect(again.flatMap((r) => r.items)).toHaveLength(1);
		expect(slack.messages).toHaveLength(3);
		expect((await check(5)).items).toHaveLength(0);
	});

	it('Infisical unreachable: the run fails naming Infisical and nothing is sent', async () => {
		infisical.failNext('GET', '/api/v4/secrets', 500, 'Something went wrong', 5);
		const run = await check(1);
		expect(String(run.items[0]?.json.error ?? run.error?.message)).toMatch(
			/^Infisical could not record which budget crossings were reported, so no alert was sent/,
		);
		expect(slack.messages).toHaveLength(0);
	});
});

describe('Budget Trigger, markers in Infisical', () => {
	it('two workers polling at the same moment start the workflow once per crossing', async () => {
		const pkg = await loadPackage();
		const parameters: INodeParameters = {
			thresholds: '80, 95',
			budgetScope: ['keys'],
			proxyMonthlyBudget: 0,
			deliverTo: 'output',
			alertMemory: 'infisical',
		};
		const workers = [1, 2].map(() =>
			poller(pkg, 'liteLlmBudgetTrigger', parameters, credentials()),
		);
		const polls = await Promise.all(workers.map((w) => w.poll()));
		const fired = polls.flatMap((p) => (p ? p[0].map((i) => i.json) : []));
		expect(fired.map((j) => [j.entity, j.threshold]).sort()).toEqual([
			['alpha (sk-...0001)', 95],
			['bravo (sk-...0002)', 80],
		]);
		// Output only: the marker is final as soon as the crossing is output.
		expect(markers().map((m) => JSON.parse(m.secretValue).status)).toEqual(['done', 'done']);
		expect(await Promise.all(workers.map((w) => w.poll()))).toEqual([null, null]);
		// Static data is not the memory here: neither worker wrote any.
		expect(workers.map((w) => w.nodeStaticData())).toEqual([{}, {}]);
	});
});
