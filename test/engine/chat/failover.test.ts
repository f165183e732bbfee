import type { IDataObject } from 'n8n-workflow';

import { scanForSecrets } from '../harness';
import type { LiteLlmSimulator } from '../../simulators/litellm';
import type { OpenRouterSimulator } from '../../simulators/openrouter';
import {
	ALL_SECRETS,
	chat,
	chatCalls,
	closedPort,
	failoverParameters,
	httpCodeOf,
	model,
	openRouterChats,
	withChatSimulators,
} from './setup';

const envelope = (message: string, type: string | null, code: string) => ({
	error: { message, type, param: null, code },
});

describe('LiteLLM Chat: failover to OpenRouter', () => {
	let litellm: LiteLlmSimulator;
	let openrouter: OpenRouterSimulator;

	withChatSimulators((started, startedOpenRouter) => {
		litellm = started;
		openrouter = startedOpenRouter;
	});

	const orChats = () => openRouterChats(openrouter);

	async function withFailover(
		parameters: Record<string, unknown> = {},
		liteLlmUrl = litellm.url,
		items?: Array<{ json: IDataObject }>,
	) {
		return chat({
			liteLlmUrl,
			items,
			openRouterUrl: openrouter.baseUrl,
			parameters: {
				model: model('gpt-4o-mini'),
				...failoverParameters(),
				options: { requestTimeout: 800 },
				...parameters,
			},
		});
	}

	it('is off by default: LiteLLM down means an error, and OpenRouter is never called', async () => {
		const port = await closedPort();
		const before = orChats().length;
		const run = await chat({
			liteLlmUrl: `http://127.0.0.1:${port}`,
			parameters: { model: model('gpt-4o-mini') },
		});
		expect(run.error?.message).toMatch(/Could not reach LiteLLM \(connection refused\)/);
		expect(orChats().length).toBe(before);
	});

	describe('triggers', () => {
		it('connection refused', async () => {
			const port = await closedPort();
			const run = await withFailover({}, `http://127.0.0.1:${port}`);
			expect(run.error).toBeUndefined();
			const json = run.items[0].json;
			expect(json.route).toBe('openrouter');
			expect(json.routeReason).toBe('litellm unreachable (connection refused)');
			expect(json.model).toBe('openai/gpt-4o-mini');
			expect(json.costUsd).toBeGreaterThan(0);
			expect(json.liteLlmError).toMatchObject({ kind: 'connection', causeCode: 'ECONNREFUSED' });
			// A refused connection never reached the proxy: nothing can have been billed there.
			expect(json).not.toHaveProperty('billingNote');
			const body = orChats().pop()!.body as Record<string, unknown>;
			expect(body.model).toBe('openai/gpt-4o-mini');
			expect(body.models).toEqual(['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku']);
			expect(body).not.toHaveProperty('metadata');
			expect(body).not.toHaveProperty('tags');
			expect(openrouter.attributions.pop()?.title).toBe('n8n engine test');
			expect(scanForSecrets([run.items, run.logs], ALL_SECRETS)).toEqual([]);
		});

		it('connection reset', async () => {
			litellm.faults.add({ kind: 'reset' }, { path: '/chat/completions', times: 1 });
			const run = await withFailover();
			expect(run.items[0].json.route).toBe('openrouter');
			expect(run.items[0].json.routeReason).toMatch(/litellm unreachable \(connection reset\)/);
			expect(run.items[0].json.billingNote).toMatch(/may have served and billed the first try/);
		});

		it('accept-and-hang is bounded by the request timeout', async () => {
			litellm.faults.add({ kind: 'hang' }, { path: '/chat/completions', times: 1 });
			const started = Date.now();
			const run = await withFailover({ options: { requestTimeout: 500 } });
			const elapsed = Date.now() - started;
			expect(run.items[0].json.route).toBe('openrouter');
			expect(run.items[0].json.routeReason).toBe('litellm timed out');
			expect(run.items[0].json.billingNote).toMatch(/may have served and billed the first try/);
			expect(elapsed).toBeGreaterThanOrEqual(450);
			expect(elapsed).toBeLessThan(5000);
		});

		it.each([502, 503, 504])('%i from a reverse proxy (HTML page, empty body)', async (status) => {
			litellm.faults.add({ kind: 'html', status }, { path: '/chat/completions', times: 1 });
			litellm.faults.add(
				{ kind: 'status', status, body: '' },
				{ path: '/chat/completions', times: 1 },
			);
			const run = await withFailover(
				{ options: { requestTimeout: 800, concurrency: 1 } },
				litellm.url,
				[{ json: {} }, { json: {} }],
			);
			expect(run.items.map((i) => i.json.route)).toEqual(['openrouter', 'openrouter']);
			expect(run.items.map((i) => i.json.routeReason)).toEqual([
				`litellm answered ${status}`,
				`litellm answered ${status}`,
			]);
		});

		it('429 "No deployments available" (the whole group cooling down)', async () => {
			litellm.faults.add(
				{
					kind: 'status',
					status: 429,
					body: envelope(
						'No deployments available for selected model, Try again in 5 seconds. Passed model=gpt-4o-mini. pre-call-checks=False, allowed_model_region=n/a',
						null,
						'429',
					),
				},
				{ path: '/chat/completions', times: 1 },
			);
			const run = await withFailover();
			expect(run.items[0].json.route).toBe('openrouter');
			expect(run.items[0].json.routeReason).toMatch(/no deployment available/);
		});
	});

	describe('non-triggers', () => {
		it.each([
			[400, envelope('bad request', 'invalid_request_error', '400')],
			[
				401,
				envelope(
					'Authentication Error, Invalid proxy server token passed.',
					'token_not_found_in_db',
					'401',
				),
			],
			[403, envelope('key not allowed to access model.', 'key_model_access_denied', '403')],
			[404, envelope('Not found', 'not_found_error', '404')],
			[422, { detail: [{ msg: 'field required' }] }],
			[
				429,
				envelope(
					'Budget has been exceeded! Current cost: 2, Max budget: 1',
					'budget_exceeded',
					'429',
				),
			],
			[429, envelope('Rate limit reached', 'throttling_error', '429')],
			[500, envelope('litellm.APIError: APIError: OpenAIException - boom', null, '500')],
			[
				503,
				envelope(
					'litellm.ServiceUnavailableError: OpenAIException - The engine is currently overloaded',
					null,
					'503',
				),
			],
			[504, envelope('litellm.Timeout: Connection timed out after 600.0 seconds.', null, '504')],
		])('%i %j', async (status, body) => {
			litellm.faults.add({ kind: 'status', status, body }, { path: '/chat/completions', times: 1 });
			const before = orChats().length;
			const run = await withFailover();
			expect(run.error?.name).toBe('NodeApiError');
			expect(httpCodeOf(run.error)).toBe(String(status));
			expect(orChats().length).toBe(before);
		});
	});

	it('one total deadline: with too little left after the LiteLLM try, no failover is attempted', async () => {
		litellm.faults.add({ kind: 'hang' }, { path: '/chat/completions', times: 1 });
		const before = orChats().length;
		const started = Date.now();
		const run = await withFailover({
			...failoverParameters({ totalDeadline: 1 }),
			options: { requestTimeout: 800 },
		});
		expect(Date.now() - started).toBeLessThan(3000);
		expect(run.error?.message).toMatch(/did not answer in time/);
		expect(orChats().length).toBe(before);
	});

	it('OpenRouter down too: one error naming both causes, keys masked', async () => {
		const port = await closedPort();
		openrouter.faults.add(
			{
				kind: 'status',
				status: 402,
				body: {
					error: {
						code: 402,
						message: 'Insufficient credits. Add more using https://openrouter.ai/credits',
						metadata: { limit_source: 'openrouter_credits' },
					},
				},
			},
			{ path: '/api/v1/chat/completions', times: 1 },
		);
		const run = await withFailover({}, `http://127.0.0.1:${port}`);
		expect(run.error?.message).toMatch(
			/LiteLLM failed over \(litellm unreachable \(connection refused\)\) and OpenRouter failed too/,
		);
		expect(run.error?.message).toMatch(/no credits left/);
		expect(httpCodeOf(run.error)).toBe('402');
		expect(scanForSecrets([run.error, run.logs], ALL_SECRETS)).toEqual([]);
	});

	it("OpenRouter's HTTP 200 with an error body is an error, not an answer", async () => {
		openrouter.failModel('openai/gpt-4o-mini', { status: 502, mode: '200-error', times: 5 });
		openrouter.failModel('anthropic/claude-3.5-haiku', {
			status: 502,
			mode: '200-error',
			times: 5,
		});
		const port = await closedPort();
		const run = await withFailover({}, `http://127.0.0.1:${port}`);
		expect(run.error?.message).toMatch(/OpenRouter failed too/);
		expect(run.error?.message).toMatch(/error in the body of an HTTP 200 answer, code 502/);
		expect(httpCodeOf(run.error)).toBe('502');
	});

	it("OpenRouter's models list serves when the mapped model is down", async () => {
		openrouter.failModel('openai/gpt-4o-mini', { status: 502, times: 10 });
		const port = await closedPort();
		const run = await withFailover({}, `http://127.0.0.1:${port}`);
		expect(run.items[0].json.route).toBe('openrouter');
		expect(run.items[0].json.model).toBe('anthropic/claude-3.5-haiku');
	});

	it('sends the price cap as provider.max_price', async () => {
		const port = await closedPort();
		await withFailover(
			{ ...failoverParameters({ maxPricePrompt: 0.2, maxPriceCompletion: 0.8 }) },
			`http://127.0.0.1:${port}`,
		);
		expect((orChats().pop()!.body as { provider: unknown }).provider).toEqual({
			max_price: { prompt: 0.2, completion: 0.8 },
		});
	});

	describe('a model without an OpenRouter mapping (and no default)', () => {
		it('is answered by a healthy LiteLLM: the mapping matters only when a call has to fail over', async () => {
			const run = await withFailover({ model: model('claude-3-5-haiku') });
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toMatchObject({ route: 'litellm', routeReason: 'primary' });
		});

		it("with LiteLLM down, fails with LiteLLM's cause and names the missing mapping; OpenRouter is not called", async () => {
			const port = await closedPort();
			const before = orChats().length;
			const run = await withFailover(
				{ model: model('claude-3-5-haiku') },
				`http://127.0.0.1:${port}`,
			);
			expect(run.error?.name).toBe('NodeApiError');
			expect(run.error?.message).toMatch(
				/^No failover \(no OpenRouter model is mapped for "claude-3-5-haiku".*\)\. Could not reach LiteLLM \(connection refused\)/,
			);
			expect(orChats().length).toBe(before);
		});
	});

	describe('circuit breaker', () => {
		it('opens after N transport failures, skips LiteLLM while open, probes after the cooldown and closes on success', async () => {
			// threshold 2, cooldown 1 s (failoverParameters). Items one at a time so the order is deterministic.
			litellm.faults.add({ kind: 'html', status: 503 }, { path: '/chat/completions' });
			const items = Array.from({ length: 4 }, (_, n) => ({ json: { n } }));
			const base = {
				model: model('gpt-4o-mini'),
				...failoverParameters(),
				options: { concurrency: 1, requestTimeout: 800 },
			};
			const chatsBefore = chatCalls(litellm).length;
			const open = await chat({
				liteLlmUrl: litellm.url,
				openRouterUrl: openrouter.baseUrl,
				parameters: base,
				items,
			});
			expect(open.items.map((i) => i.json.route)).toEqual([
				'openrouter',
				'openrouter',
				'openrouter',
				'openrouter',
			]);
			expect(open.items.map((i) => i.json.routeReason)).toEqual([
				'litellm answered 503',
				'litellm answered 503',
				expect.stringMatching(/^circuit open: litellm skipped/),
				expect.stringMatching(/^circuit open: litellm skipped/),
			]);
			expect(chatCalls(litellm).length - chatsBefore).toBe(2);

			// Half-open after the cooldown: one probe; LiteLLM still down, so it opens again.
			await new Promise((resolve) => setTimeout(resolve, 1100));
			const probeFails = await chat({
				liteLlmUrl: litellm.url,
				openRouterUrl: openrouter.baseUrl,
				parameters: base,
				items: items.slice(0, 2),
			});
			expect(probeFails.items.map((i) => i.json.routeReason)).toEqual([
				'litellm answered 503',
				expect.stringMatching(/^circuit open/),
			]);

			// LiteLLM recovers; after the next cooldown the probe succeeds and the breaker closes.
			litellm.faults.clear();
			await new Promise((resolve) => setTimeout(resolve, 1100));
			const closed = await chat({
				liteLlmUrl: litellm.url,
				openRouterUrl: openrouter.baseUrl,
				parameters: base,
				items: items.slice(0, 3),
			});
			expect(closed.items.map((i) => i.json.route)).toEqual(['litellm', 'litellm', 'litellm']);
			expect(closed.items.map((i) => i.json.routeReason)).toEqual([
				'primary (breaker probe)',
				'primary',
				'primary',
			]);
		});

		it("a provider's 503 in LiteLLM's JSON for one model group neither fails over nor opens the breaker", async () => {
			// claude-3-5-haiku's provider is down behind a healthy proxy (the group has no fallbacks): LiteLLM
			// answers its own JSON 503 for that group.
			litellm.failDeployment('claude-3-5-haiku', { status: 503 });
			const before = orChats().length;
			const items = Array.from({ length: 3 }, (_, n) => ({ json: { n } }));
			const parameters = {
				model: model('claude-3-5-haiku'),
				...failoverParameters({ defaultModel: 'anthropic/claude-3.5-haiku' }),
				options: { concurrency: 1 },
			};
			const failing = await chat({
				liteLlmUrl: litellm.url,
				openRouterUrl: openrouter.baseUrl,
				parameters,
				items,
				continueOnFail: true,
			});
			expect(
				failing.items.map((i) => (i.json.details as { kind?: string } | undefined)?.kind),
			).toEqual(['upstream_provider', 'upstream_provider', 'upstream_provider']);
			expect(failing.items.map((i) => (i.json.details as { httpCode?: string }).httpCode)).toEqual([
				'503',
				'503',
				'503',
			]);
			expect(orChats().length).toBe(before);
			// The breaker (threshold 2) stayed closed: a healthy model group is still asked at LiteLLM.
			const healthy = await withFailover();
			expect(healthy.items[0].json).toMatchObject({ route: 'litellm', routeReason: 'primary' });
			expect(orChats().length).toBe(before);
		});

		it('"No deployments available" fails over but does not open the breaker for the other groups', async () => {
			const noDeployments = envelope(
				'No deployments available for selected model, Try again in 5 seconds. Passed model=gpt-4o-mini. pre-call-checks=False, allowed_model_region=n/a',
				null,
				'429',
			);
			litellm.faults.add(
				{ kind: 'status', status: 429, body: noDeployments },
				{ path: '/chat/completions', times: 3 },
			);
			const run = await withFailover({ options: { concurrency: 1 } }, litellm.url, [
				{ json: {} },
				{ json: {} },
				{ json: {} },
				{ json: {} },
			]);
			expect(run.items.map((i) => i.json.route)).toEqual([
				'openrouter',
				'openrouter',
				'openrouter',
				'litellm',
			]);
		});

		it('does not count answers that prove the proxy is up (a 400) against the breaker', async () => {
			litellm.faults.add(
				{ kind: 'status', status: 400, body: envelope('bad', 'invalid_request_error', '400') },
				{ path: '/chat/completions', times: 3 },
			);
			const base = {
				model: model('gpt-4o-mini'),
				...failoverParameters(),
				options: { concurrency: 1 },
			};
			const run = await chat({
				liteLlmUrl: litellm.url,
				openRouterUrl: openrouter.baseUrl,
				parameters: base,
				items: [{ json: {} }, { json: {} }, { json: {} }, { json: {} }],
				continueOnFail: true,
			});
			expect(run.items.slice(0, 3).every((i) => typeof i.json.error === 'string')).toBe(true);
			expect(run.items[3].json.route).toBe('litellm');
		});
	});
});
