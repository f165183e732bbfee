import { scanForSecrets } from '../harness';
import { readFixture } from '../../simulators/fixtures';
import { LiteLlmSimulator, pyFloat } from '../../simulators/litellm';
import {
	ALL_SECRETS,
	chat,
	chatCalls,
	MASTER_KEY,
	model,
	startLiteLlm,
	VIRTUAL_KEY,
} from './setup';

describe('LiteLLM Chat: answers through the proxy', () => {
	let sim: LiteLlmSimulator;

	beforeAll(async () => {
		sim = await startLiteLlm();
		sim.addVirtualKey({ key: VIRTUAL_KEY, key_alias: 'engine', models: ['gpt-4o-mini', 'gpt-4o'] });
	});
	afterAll(async () => sim.stop());

	it('returns text, usage, an exact cost, the route and the call id', async () => {
		const run = await chat({
			liteLlmUrl: sim.url,
			apiKey: VIRTUAL_KEY,
			parameters: {
				model: model('gpt-4o-mini'),
				systemMessage: 'Be brief',
				userMessage: 'What is n8n?',
			},
		});
		expect(run.error).toBeUndefined();
		const json = run.items[0].json;
		expect(json.text).toContain('What is n8n?');
		expect(json.route).toBe('litellm');
		expect(json.routeReason).toBe('primary');
		expect(json.model).toBe('gpt-4o-mini');
		expect(json.finishReason).toBe('stop');
		const usage = json.usage as {
			promptTokens: number;
			completionTokens: number;
			totalTokens: number;
		};
		expect(usage.promptTokens).toBeGreaterThan(0);
		expect(usage.totalTokens).toBe(usage.promptTokens + usage.completionTokens);
		const last = sim.spendLog[sim.spendLog.length - 1];
		expect(json.costUsd).toBe(Number(last.spend));
		// Both ids: the call id (LiteLLM's logs) and the response id, the spend log's request_id.
		expect(typeof json.callId).toBe('string');
		expect(json.requestId).toBe(last.request_id);
		expect(json.requestId).not.toBe(json.callId);
		expect(json.latencyMs).toEqual(expect.any(Number));
		expect(json).not.toHaveProperty('raw');
		expect(scanForSecrets([run.items, run.logs], ALL_SECRETS)).toEqual([]);
	});

	it('reads a cost sent in scientific notation exactly', async () => {
		const run = await chat({
			liteLlmUrl: sim.url,
			parameters: { model: model('gpt-4o-mini'), userMessage: 'x' },
		});
		const usage = run.items[0].json.usage as { promptTokens: number; completionTokens: number };
		// The fixture prices gpt-4o-mini at 1.5e-7 / 6e-7 per token; LiteLLM sends str(float) of the sum.
		const header = pyFloat(usage.promptTokens * 0.00000015 + usage.completionTokens * 0.0000006);
		expect(header).toMatch(/e-0\d$/);
		expect(run.items[0].json.costUsd).toBe(Number(header));
	});

	it('tags every call with the workflow and execution for spend attribution', async () => {
		await chat({
			liteLlmUrl: sim.url,
			parameters: {
				model: model('gpt-4o-mini'),
				options: { tags: 'team-a, nightly', metadata: '{"purpose":"test"}' },
			},
		});
		const body = chatCalls(sim).pop()!.body as {
			tags: string[];
			metadata: Record<string, unknown>;
		};
		expect(body.tags).toEqual(
			expect.arrayContaining([
				'n8n',
				'n8n-workflow:wf-chat-1',
				'n8n-execution:exec-42',
				'team-a',
				'nightly',
			]),
		);
		expect(body.metadata.purpose).toBe('test');
		expect(body.metadata.spend_logs_metadata).toEqual({
			n8n_workflow_id: 'wf-chat-1',
			n8n_workflow_name: 'Chat engine test',
			n8n_execution_id: 'exec-42',
			n8n_node: 'LiteLLM Chat',
		});
		const row = sim.spendLog[sim.spendLog.length - 1];
		expect(row.request_tags).toEqual(expect.arrayContaining(['n8n-workflow:wf-chat-1']));
	});

	it('sends options as OpenAI and LiteLLM fields', async () => {
		await chat({
			liteLlmUrl: sim.url,
			parameters: {
				model: model('gpt-4o-mini'),
				options: {
					temperature: 0.2,
					maxTokens: 64,
					topP: 0.9,
					seed: 7,
					stop: 'END, STOP',
					user: 'customer-9',
					responseFormat: 'json_schema',
					jsonSchema: '{"type":"object","properties":{"a":{"type":"string"}}}',
					fallbacks: 'gpt-4o',
					numRetries: 2,
					serverTimeout: 30,
					attribution: false,
				},
			},
		});
		const body = chatCalls(sim).pop()!.body as Record<string, unknown>;
		expect(body).toMatchObject({
			model: 'gpt-4o-mini',
			temperature: 0.2,
			max_tokens: 64,
			top_p: 0.9,
			seed: 7,
			stop: ['END', 'STOP'],
			user: 'customer-9',
			fallbacks: ['gpt-4o'],
			num_retries: 2,
			timeout: 30,
			response_format: {
				type: 'json_schema',
				json_schema: {
					name: 'response',
					schema: { type: 'object', properties: { a: { type: 'string' } } },
					strict: true,
				},
			},
		});
		expect(body).not.toHaveProperty('tags');
	});

	it('passes tools through and returns the tool calls', async () => {
		const tools = [
			{
				type: 'function',
				function: {
					name: 'get_weather',
					parameters: {
						type: 'object',
						properties: { city: { type: 'string' } },
						required: ['city'],
					},
				},
			},
		];
		const run = await chat({
			liteLlmUrl: sim.url,
			parameters: {
				model: model('gpt-4o-mini'),
				userMessage: 'Weather in Oslo?',
				options: { tools: JSON.stringify(tools) },
			},
		});
		const json = run.items[0].json;
		expect(json.finishReason).toBe('tool_calls');
		const message = json.message as {
			tool_calls: Array<{ function: { name: string; arguments: string } }>;
		};
		expect(message.tool_calls[0].function.name).toBe('get_weather');
		expect(JSON.parse(message.tool_calls[0].function.arguments)).toHaveProperty('city');
		expect(json.text).toBe('');
	});

	it("drops LiteLLM's null tool_calls from plain answers", async () => {
		const run = await chat({ liteLlmUrl: sim.url, parameters: { model: model('gpt-4o-mini') } });
		expect(run.items[0].json.message).toEqual({ role: 'assistant', content: expect.any(String) });
	});

	it('accepts a whole messages array and includes the raw response on request', async () => {
		const run = await chat({
			liteLlmUrl: sim.url,
			parameters: {
				model: model('gpt-4o-mini'),
				promptType: 'messages',
				messages:
					'={{ [{"role":"system","content":"Terse"},{"role":"user","content":"Ping " + $json.n}] }}',
				options: { includeRaw: true },
			},
			items: [{ json: { n: 7 } }],
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.text).toContain('Ping 7');
		expect((run.items[0].json.raw as { object: string }).object).toBe('chat.completion');
	});

	it("reports LiteLLM's server-side retries and fallbacks and the model that answered", async () => {
		sim.failDeployment('gpt-4o-mini', { status: 503, times: 10 });
		try {
			const run = await chat({
				liteLlmUrl: sim.url,
				parameters: { model: model('gpt-4o-mini'), options: { numRetries: 1 } },
			});
			expect(run.error).toBeUndefined();
			const json = run.items[0].json;
			expect(json.route).toBe('litellm');
			expect(json.attemptedFallbacks).toBeGreaterThanOrEqual(1);
			expect(json.model).not.toBe('gpt-4o-mini');
			expect(json.requestedModel).toBe('gpt-4o-mini');
		} finally {
			sim.resetFaults();
		}
	});

	it('runs items concurrently and keeps order and pairing', async () => {
		// Each answer takes at least LATENCY ms, so the arrival times at the proxy show how many calls were in flight.
		const LATENCY = 300;
		sim.faults.add({ kind: 'latency', ms: LATENCY }, { path: '/chat/completions' });
		try {
			const items = Array.from({ length: 8 }, (_, n) => ({ json: { n } }));
			const before = chatCalls(sim).length;
			const run = await chat({
				liteLlmUrl: sim.url,
				parameters: {
					model: model('gpt-4o-mini'),
					userMessage: '=Item {{ $json.n }}',
					options: { concurrency: 4 },
				},
				items,
			});
			expect(run.items.map((i) => i.pairedItem)).toEqual(items.map((_, n) => ({ item: n })));
			expect(run.items.map((i) => i.json.text)).toEqual(
				items.map((_, n) => expect.stringContaining(`Item ${n}`)),
			);
			const arrivals = chatCalls(sim)
				.slice(before)
				.map((e) => e.at);
			// Four went out together, before the first could have been answered; the fifth only after one was.
			expect(arrivals[3] - arrivals[0]).toBeLessThan(LATENCY);
			expect(arrivals[4] - arrivals[0]).toBeGreaterThanOrEqual(LATENCY - 5);
		} finally {
			sim.faults.clear();
		}
	});
});

describe('LiteLLM Chat: attribution on a proxy with reject_clientside_metadata_tags', () => {
	const LOCKED_KEY = 'sk-virtual-locked-down-0000042';
	let locked: LiteLlmSimulator;

	beforeAll(async () => {
		// The same proxy, with the setting that refuses client-side metadata.tags.
		locked = new LiteLlmSimulator({
			configYaml: readFixture('litellm-config.yaml').replace(
				'general_settings:\n',
				'general_settings:\n  reject_clientside_metadata_tags: true\n',
			),
			env: { LITELLM_MASTER_KEY: MASTER_KEY, OPENAI_API_KEY: 'sk-upstream-openai-000000000001' },
		});
		await locked.start();
		locked.addVirtualKey({ key: LOCKED_KEY, models: [] });
	});
	afterAll(async () => locked.stop());

	it('is accepted, and the spend log still tells which workflow and execution spent', async () => {
		const run = await chat({
			liteLlmUrl: locked.url,
			apiKey: LOCKED_KEY,
			parameters: { model: model('gpt-4o-mini'), options: { tags: 'nightly' } },
		});
		expect(run.error).toBeUndefined();
		const body = chatCalls(locked).pop()!.body as {
			tags: string[];
			metadata: Record<string, unknown>;
		};
		expect(body.metadata).not.toHaveProperty('tags');
		const row = locked.spendLog[locked.spendLog.length - 1];
		expect(row.request_tags).toEqual([
			'n8n',
			'n8n-workflow:wf-chat-1',
			'n8n-execution:exec-42',
			'nightly',
		]);
		expect(row.metadata.spend_logs_metadata).toMatchObject({
			n8n_workflow_id: 'wf-chat-1',
			n8n_execution_id: 'exec-42',
		});
	});

	it('with "Also Send Tags as metadata.tags" the proxy refuses the call (400), as real LiteLLM does', async () => {
		const run = await chat({
			liteLlmUrl: locked.url,
			apiKey: LOCKED_KEY,
			parameters: { model: model('gpt-4o-mini'), options: { tagsInMetadata: true } },
			continueOnFail: true,
		});
		expect(run.items[0].json.details).toMatchObject({
			kind: 'bad_request',
			httpCode: '400',
			errorType: 'bad_request_error',
		});
		expect(String((run.items[0].json.details as { description: string }).description)).toContain(
			"Client-side 'metadata.tags' not allowed",
		);
	});
});
