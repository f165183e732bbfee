/**
 * The model check (`GET /v1/models`) is the execution's first question to the proxy: asked once, inside
 * the call's deadline, counted in `latencyMs`, and when it finds the proxy down it is the LiteLLM try of every
 * call, so failover happens without waiting on the proxy a second time.
 */
import type { LiteLlmSimulator } from '../../simulators/litellm';
import type { OpenRouterSimulator } from '../../simulators/openrouter';
import { chat, chatCalls, failoverParameters, model, withChatSimulators } from './setup';

describe('LiteLLM Chat: the model check', () => {
	let litellm: LiteLlmSimulator;
	let openrouter: OpenRouterSimulator;

	withChatSimulators((started, startedOpenRouter) => {
		litellm = started;
		openrouter = startedOpenRouter;
	});

	const modelLists = () => litellm.ledger.filter((e) => e.path === '/v1/models').length;
	const items = (n: number) => Array.from({ length: n }, (_, i) => ({ json: { i } }));

	it('is asked once per execution, however many items and models', async () => {
		const before = modelLists();
		const run = await chat({
			liteLlmUrl: litellm.url,
			parameters: { model: model('gpt-4o-mini'), options: { concurrency: 2 } },
			items: items(5),
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.route)).toEqual([
			'litellm',
			'litellm',
			'litellm',
			'litellm',
			'litellm',
		]);
		expect(modelLists() - before).toBe(1);
	});

	it("a hung proxy: the check's timeout is the LiteLLM try, and every call fails over within the deadline", async () => {
		litellm.faults.add({ kind: 'hang' });
		const chatsBefore = chatCalls(litellm).length;
		const listsBefore = litellm.ledger.filter((e) => e.path === '/v1/models').length;
		const run = await chat({
			liteLlmUrl: litellm.url,
			openRouterUrl: openrouter.baseUrl,
			parameters: {
				model: model('gpt-4o-mini'),
				...failoverParameters({ totalDeadline: 2 }),
				options: { requestTimeout: 1000, concurrency: 3 },
			},
			items: items(3),
		});
		expect(run.error).toBeUndefined();
		for (const item of run.items) {
			expect(item.json).toMatchObject({ route: 'openrouter', routeReason: 'litellm timed out' });
			expect(item.json.liteLlmError).toMatchObject({ kind: 'timeout' });
			// The wait on the check is part of the call's latency.
			expect(Number(item.json.latencyMs)).toBeGreaterThanOrEqual(1000);
		}
		// LiteLLM was not asked to chat after it was found hung; the check went out once.
		expect(chatCalls(litellm).length).toBe(chatsBefore);
		expect(
			litellm.ledger.filter((e) => e.path === '/v1/models').length - listsBefore,
		).toBeLessThanOrEqual(1);
	});

	it("without failover, a refused connection on the check is the items' error, and no call is sent", async () => {
		litellm.faults.add({ kind: 'reset' });
		const chatsBefore = chatCalls(litellm).length;
		const run = await chat({
			liteLlmUrl: litellm.url,
			parameters: { model: model('gpt-4o-mini') },
			items: items(2),
			continueOnFail: true,
		});
		expect(run.items.map((i) => (i.json.details as { kind: string }).kind)).toEqual([
			'connection',
			'connection',
		]);
		expect(run.items.map((i) => (i.json.details as { causeCode: string }).causeCode)).toEqual([
			'ECONNRESET',
			'ECONNRESET',
		]);
		expect(chatCalls(litellm).length).toBe(chatsBefore);
	});
});
