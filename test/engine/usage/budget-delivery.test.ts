/**
 * Budget alerts exactly once when the node delivers them ("Send Alerts: To a Slack Webhook"): an alert Slack
 * did not accept is not remembered and is sent again on the next run; an accepted one is never repeated. The
 * static data is carried from run to run as n8n carries it (saved even for a failed run).
 */
import type { IDataObject } from 'n8n-workflow';

import { SlackReceiver } from '../../simulators/slack';
import { scanForSecrets } from '../harness';
import { type Fixture, startFixture, stopFixture, usage } from './setup';

let f: Fixture;
let slack: SlackReceiver;
const KEY_A = 'sk-delivery-alpha-00000000001';
const KEY_B = 'sk-delivery-bravo-00000000002';
const KEY_C = 'sk-delivery-charlie-0000000003';
let memoryAfterFirstCase: IDataObject;

beforeAll(async () => {
	f = await startFixture(50);
	f.secrets.push(KEY_A, KEY_B, KEY_C);
	f.litellm.addVirtualKey({ key: KEY_A, key_alias: 'alpha', max_budget: 10, spend: 9.7 });
	f.litellm.addVirtualKey({ key: KEY_B, key_alias: 'bravo', max_budget: 10, spend: 8.2 });
	slack = new SlackReceiver();
	await slack.start();
});
afterAll(async () => {
	await slack.stop();
	await stopFixture(f);
});

const check = (url = slack.webhookUrl()) => ({
	operation: 'budgetCheck',
	thresholds: '80, 95',
	budgetScope: ['keys'],
	deliverTo: 'slack',
	slackWebhookUrl: url,
});

describe('Budget Check delivering to Slack', () => {
	it('Slack fails twice: the failed alerts are not remembered, the next run sends them, the one after sends nothing', async () => {
		slack.failNext(2);
		const first = await usage(f, { parameters: check() });
		expect(first.error?.message).toMatch(
			/^2 of 2 budget alert\(s\) could not be posted to Slack \(Slack answered 500 internal_error\); they are sent again on the next run$/,
		);
		expect(slack.messages).toHaveLength(0);

		const second = await usage(f, { parameters: check(), staticData: first.staticData });
		expect(second.error).toBeUndefined();
		expect(second.items.map((i) => [i.json.entity, i.json.threshold, i.json.delivered])).toEqual([
			['alpha (sk-...0001)', 95, true],
			['bravo (sk-...0002)', 80, true],
		]);
		expect(slack.messages.map((m) => m.text?.slice(0, 40))).toEqual([
			expect.stringMatching(/^Key alpha .* crossed 95%/),
			expect.stringMatching(/^Key bravo .* crossed 80%/),
		]);

		const third = await usage(f, { parameters: check(), staticData: second.staticData });
		expect(third.items).toHaveLength(0);
		expect(slack.messages).toHaveLength(2);
		expect(scanForSecrets([first.error, second.items, third.staticData], f.secrets)).toEqual([]);
		memoryAfterFirstCase = third.staticData;
	});

	it('one of two posts fails: only that one is sent again', async () => {
		// Memory now: alpha 80+95, bravo 80. Bravo crosses 95, charlie (new) crosses 80.
		const third = await usage(f, { parameters: check(), staticData: memoryAfterFirstCase });
		expect(third.items).toHaveLength(0);
		f.litellm.keyRow(KEY_B)!.spend = 9.6;
		f.litellm.addVirtualKey({ key: KEY_C, key_alias: 'charlie', max_budget: 10, spend: 8.5 });
		slack.messages.length = 0;
		slack.failNext(1);
		const run = await usage(f, {
			parameters: check(),
			staticData: third.staticData,
			continueOnFail: true,
		});
		expect(
			run.items.map((i) => [
				String(i.json.entity).split(' ')[0],
				i.json.threshold,
				i.json.delivered,
			]),
		).toEqual([
			['bravo', 95, false],
			['charlie', 80, true],
		]);
		expect(run.items[0].json.deliveryError).toBe('Slack answered 500 internal_error');
		const again = await usage(f, { parameters: check(), staticData: run.staticData });
		expect(
			again.items.map((i) => [
				String(i.json.entity).split(' ')[0],
				i.json.threshold,
				i.json.delivered,
			]),
		).toEqual([['bravo', 95, true]]);
		expect(slack.messages.map((m) => m.text?.split(' ')[1])).toEqual(['charlie', 'bravo']);
	});

	it('a webhook over plain http to another host is refused before anything is read', async () => {
		const mark = f.litellm.ledger.length;
		const run = await usage(f, { parameters: check('http://hooks.example.com/services/T/B/X') });
		expect(run.error?.message).toMatch(
			/^Slack Webhook URL uses plain http:\/\/ to hooks\.example\.com/,
		);
		expect(f.litellm.ledger.length).toBe(mark);
	});
});
