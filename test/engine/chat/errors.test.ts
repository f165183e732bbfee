import { scanForSecrets } from '../harness';
import type { LiteLlmSimulator } from '../../simulators/litellm';
import {
	ALL_SECRETS,
	chat,
	chatCalls,
	httpCodeOf,
	MASTER_KEY,
	model,
	startLiteLlm,
	VIRTUAL_KEY,
} from './setup';

const LIMITED_KEY = 'sk-virtual-limited-only-mini-01';
const BROKE_KEY = 'sk-virtual-over-budget-0000001';
const BLOCKED_KEY = 'sk-virtual-blocked-00000000001';

describe('LiteLLM Chat: each error class becomes an error a person can act on', () => {
	let sim: LiteLlmSimulator;

	beforeAll(async () => {
		sim = await startLiteLlm();
		sim.addVirtualKey({ key: VIRTUAL_KEY, models: [] });
		sim.addVirtualKey({ key: LIMITED_KEY, models: ['gpt-4o-mini'] });
		sim.addVirtualKey({ key: BROKE_KEY, key_alias: 'broke', max_budget: 0.01, spend: 0.02 });
		sim.addVirtualKey({ key: BLOCKED_KEY, blocked: true });
	});
	afterEach(() => {
		sim.resetFaults();
		sim.faults.clear();
	});
	afterAll(async () => sim.stop());

	const secrets = [
		...ALL_SECRETS,
		LIMITED_KEY,
		BROKE_KEY,
		BLOCKED_KEY,
		'sk-wrong-key-000000000000000',
	];

	async function failing(apiKey: string, modelName = 'gpt-4o-mini') {
		const run = await chat({
			liteLlmUrl: sim.url,
			apiKey,
			parameters: { model: model(modelName) },
		});
		expect(run.items).toEqual([]);
		expect(run.error?.name).toBe('NodeApiError');
		expect(scanForSecrets([run.error, run.logs, run.run], secrets)).toEqual([]);
		return run.error!;
	}

	it('401 bad key', async () => {
		const error = await failing('sk-wrong-key-000000000000000');
		expect(error.message).toMatch(/rejected the API key \(401\)/);
		expect(httpCodeOf(error)).toBe('401');
		expect(String(error.description)).toContain('token_not_found_in_db');
	});

	it('401 blocked key', async () => {
		const error = await failing(BLOCKED_KEY);
		expect(httpCodeOf(error)).toBe('401');
		expect(String(error.description)).toMatch(/blocked/i);
	});

	it('403 model not allowed for this key (the model list check lets it pass only when listed)', async () => {
		sim.addVirtualKey({
			key: 'sk-virtual-sees-all-but-denied1',
			models: ['gpt-4o-mini', 'gpt-4o'],
		});
		// A key that may list gpt-4o but whose allow-list changed since: the proxy answers 403 on the call.
		const row = sim.keyRow('sk-virtual-sees-all-but-denied1')!;
		const run1 = await chat({
			liteLlmUrl: sim.url,
			apiKey: 'sk-virtual-sees-all-but-denied1',
			parameters: { model: model('gpt-4o') },
		});
		expect(run1.error).toBeUndefined();
		row.models = ['gpt-4o-mini'];
		const run = await chat({
			liteLlmUrl: sim.url,
			apiKey: 'sk-virtual-sees-all-but-denied1',
			parameters: { model: model('gpt-4o') },
		});
		// With the allow-list changed, /v1/models no longer lists gpt-4o: the node says so before calling.
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(/gpt-4o" is not offered/);
	});

	it('403 key_model_access_denied from the proxy', async () => {
		sim.faults.add(
			{
				kind: 'status',
				status: 403,
				body: {
					error: {
						message:
							"key not allowed to access model. This key can only access models=['gpt-4o-mini']. Tried to access gpt-4o",
						type: 'key_model_access_denied',
						param: 'model',
						code: '403',
					},
				},
			},
			{ path: '/chat/completions', times: 1 },
		);
		const error = await failing(MASTER_KEY);
		expect(error.message).toMatch(/may not use this model \(403\)/);
		expect(httpCodeOf(error)).toBe('403');
	});

	it('429 budget exceeded is told apart from a rate limit', async () => {
		const budget = await failing(BROKE_KEY);
		expect(budget.message).toMatch(/budget is exceeded \(429 budget_exceeded\)/);
		sim.faults.add(
			{
				kind: 'status',
				status: 429,
				body: {
					error: {
						message: 'Max parallel request limit reached',
						type: 'throttling_error',
						param: 'None',
						code: '429',
					},
				},
			},
			{ path: '/chat/completions', times: 1 },
		);
		const limited = await failing(MASTER_KEY);
		expect(limited.message).toMatch(/Rate limited by LiteLLM \(429\)/);
	});

	it('context window exceeded', async () => {
		const run = await chat({
			liteLlmUrl: sim.url,
			parameters: {
				model: model('llama3-local'),
				userMessage: 'word '.repeat(3000),
				options: { attribution: false },
			},
		});
		// llama3-local has a context-window fallback to Gemini in the fixture: LiteLLM answers through it.
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.attemptedFallbacks).toBeGreaterThanOrEqual(1);
		sim.faults.add(
			{
				kind: 'status',
				status: 400,
				body: {
					error: {
						message:
							"litellm.ContextWindowExceededError: ContextWindowExceededError: OpenAIException - This model's maximum context length is 128000 tokens",
						type: null,
						param: null,
						code: '400',
					},
				},
			},
			{ path: '/chat/completions', times: 1 },
		);
		const error = await failing(MASTER_KEY);
		expect(error.message).toMatch(/context window/);
	});

	it("upstream provider error passes its status and LiteLLM's message", async () => {
		sim.failDeployment('gpt-4o-mini', { status: 500, times: 50 });
		sim.failDeployment('claude-3-5-haiku', { status: 500, times: 50 });
		sim.failDeployment('gemini-2.0-flash', { status: 500, times: 50 });
		const error = await failing(MASTER_KEY);
		expect(error.message).toMatch(/upstream LLM provider failed/);
		expect(String(error.description)).toContain('Received Model Group=gpt-4o-mini');
		expect(scanForSecrets(error, ['sk-upstream-openai-000000000001'])).toEqual([]);
	});

	it.each([
		[
			'truncated JSON',
			{
				kind: 'truncated' as const,
				body: { id: 'chatcmpl-1', choices: [{ message: { content: 'x'.repeat(200) } }] },
			},
			/not the JSON expected/,
			'200',
		],
		['a non-JSON 200', { kind: 'non_json' as const }, /not the JSON expected/, '200'],
		['an HTML 502 page', { kind: 'html' as const }, /unavailable \(502\)/, '502'],
	])('%s: NodeApiError with the status and a short excerpt', async (_, fault, message, status) => {
		sim.faults.add(fault, { path: '/chat/completions', times: 1 });
		const error = await failing(MASTER_KEY);
		expect(error.message).toMatch(message);
		expect(httpCodeOf(error)).toBe(status);
		expect(String(error.description).length).toBeLessThan(600);
		expect(String(error.description)).toMatch(/body: /);
	});

	it('a huge answer is refused, not parsed', async () => {
		sim.faults.add(
			{
				kind: 'status',
				status: 200,
				body: `{"choices":[{"message":{"content":"${'y'.repeat(33 * 1024 * 1024)}"}}]}`,
			},
			{ path: '/chat/completions', times: 1 },
		);
		const error = await failing(MASTER_KEY);
		expect(httpCodeOf(error)).toBe('200');
		expect(String(error.description).length).toBeLessThan(600);
	});

	it('continueOnFail: the failing item becomes an error item and the others go on', async () => {
		sim.faults.add(
			{
				kind: 'status',
				status: 429,
				body: {
					error: {
						message: 'Budget has been exceeded! Key=x (sk-...abcd)',
						type: 'budget_exceeded',
						param: null,
						code: '429',
					},
				},
			},
			{ path: '/chat/completions', times: 1 },
		);
		const run = await chat({
			liteLlmUrl: sim.url,
			parameters: { model: model('gpt-4o-mini'), options: { concurrency: 1 } },
			items: [{ json: { n: 0 } }, { json: { n: 1 } }, { json: { n: 2 } }],
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		expect(run.items[0].json.error).toMatch(/budget/);
		expect(run.items[0].json.details).toMatchObject({ kind: 'budget_exceeded', httpCode: '429' });
		expect(run.items[1].json.route).toBe('litellm');
		expect(run.items[2].json.route).toBe('litellm');
		expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(scanForSecrets([run.items, run.logs], secrets)).toEqual([]);
	});

	it('a rate limit says when to retry, from retry-after, in the message and in details', async () => {
		sim.faults.add(
			{
				kind: 'status',
				status: 429,
				headers: { 'retry-after': '7' },
				body: {
					error: {
						message: 'Rate limit reached',
						type: 'throttling_error',
						param: null,
						code: '429',
					},
				},
			},
			{ path: '/chat/completions', times: 1 },
		);
		const run = await chat({
			liteLlmUrl: sim.url,
			parameters: { model: model('gpt-4o-mini') },
			continueOnFail: true,
		});
		expect(run.items[0].json.error).toMatch(/Rate limited by LiteLLM \(429\).*\(retry after 7 s\)/);
		expect(run.items[0].json.details).toMatchObject({
			kind: 'rate_limited',
			httpCode: '429',
			retryAfterSeconds: 7,
			errorType: 'throttling_error',
		});
	});

	it('without continueOnFail the first failing item stops the run and later items are not sent', async () => {
		sim.faults.add(
			{
				kind: 'status',
				status: 400,
				body: {
					error: { message: 'bad', type: 'invalid_request_error', param: null, code: '400' },
				},
			},
			{ path: '/chat/completions', times: 1 },
		);
		const before = chatCalls(sim).length;
		const run = await chat({
			liteLlmUrl: sim.url,
			parameters: { model: model('gpt-4o-mini'), options: { concurrency: 1 } },
			items: Array.from({ length: 5 }, () => ({ json: {} })),
		});
		expect(run.error?.message).toMatch(/rejected the request \(400\)/);
		expect(chatCalls(sim).length - before).toBe(1);
	});
});
