/**
 * workflows/openrouter-failover.json as an OpenAI endpoint in a real n8n 2.41.1, driven by the official
 * `openai` npm client: answers, one-shot streaming, tools and tool calls, response_format, and every failure
 * in OpenAI's error shape with the status clients act on (retry-after included), against the LiteLLM and
 * OpenRouter simulators.
 */
import { join } from 'node:path';

import OpenAI from 'openai';

import { readFixture } from '../simulators/fixtures';
import { LiteLlmSimulator } from '../simulators/litellm';
import { OpenRouterSimulator } from '../simulators/openrouter';
import { type N8nSuite, REPO_ROOT, setupN8n } from './harness';
import {
	gatewayTokenCredential,
	liteLlmProxyCredential,
	openRouterCredential,
} from './harness/shipped-credentials';

const MASTER_KEY = 'sk-e2e-gateway-master-77aa';
const VIRTUAL_KEY = 'sk-e2e-gateway-virtual-9f8e7d';
const OPENROUTER_KEY = `sk-or-v1-${'6b'.repeat(32)}`;
const GATEWAY_TOKEN = 'e2e-gateway-token-openai-client-01';
const SECRETS = [MASTER_KEY, VIRTUAL_KEY, OPENROUTER_KEY];

const WEATHER_TOOL = {
	type: 'function' as const,
	function: {
		name: 'get_weather',
		description: 'Weather of a city',
		parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
	},
};

describe('the gateway workflow with the official openai client', () => {
	let suite: N8nSuite;
	let client: OpenAI;
	const liteLlm = new LiteLlmSimulator({
		configYaml: readFixture('litellm-config.yaml'),
		env: {
			LITELLM_MASTER_KEY: MASTER_KEY,
			OPENAI_API_KEY: 'sk-upstream-openai',
			ANTHROPIC_API_KEY: 'sk-ant-upstream',
		},
	});
	const openRouter = new OpenRouterSimulator();
	const answers: string[] = [];

	beforeAll(async () => {
		await Promise.all([liteLlm.start(), openRouter.start()]);
		liteLlm.addVirtualKey({
			key: VIRTUAL_KEY,
			key_alias: 'gateway',
			models: ['gpt-4o-mini', 'claude-3-5-haiku'],
		});
		openRouter.addKey({ key: OPENROUTER_KEY, credits: 10 });
		suite = await setupN8n();
		await suite.n8n.importCredentials([
			liteLlmProxyCredential(liteLlm.url, VIRTUAL_KEY),
			openRouterCredential(openRouter.baseUrl, OPENROUTER_KEY),
			gatewayTokenCredential(GATEWAY_TOKEN),
		]);
		const id = await suite.n8n.importWorkflow(
			join(REPO_ROOT, 'workflows', 'openrouter-failover.json'),
		);
		await suite.n8n.start();
		await suite.n8n.activateWorkflow(id);
		// The webhook registers a moment after activation: the harness's webhook() waits for it.
		await suite.n8n.webhook(
			'llm-gateway/v1/chat/completions',
			{ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'warm up' }] },
			{ headers: { authorization: `Bearer ${GATEWAY_TOKEN}` } },
		);
		client = new OpenAI({
			apiKey: GATEWAY_TOKEN,
			baseURL: `${suite.n8n.baseUrl}/webhook/llm-gateway/v1`,
			maxRetries: 0,
			timeout: 60_000,
		});
	});

	afterEach(() => {
		liteLlm.faults.clear();
		liteLlm.resetFaults();
		openRouter.faults.clear();
		openRouter.resetFaults();
	});

	afterAll(async () => {
		await suite?.teardown();
		await Promise.all([liteLlm.stop(), openRouter.stop()]);
		// Nothing the gateway answered carried a key.
		for (const secret of SECRETS) expect(answers.join('\n')).not.toContain(secret);
	});

	const chatBodies = () =>
		liteLlm.ledger
			.filter((e) => e.path === '/chat/completions' && e.method === 'POST')
			.map((e) => e.body as Record<string, unknown>);

	/** The error the client raised, as OpenAI's APIError. */
	async function failure(request: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
		const outcome = await request.then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(outcome).toBeInstanceOf(OpenAI.APIError);
		const error = outcome as InstanceType<typeof OpenAI.APIError>;
		answers.push(JSON.stringify(error.error), error.message);
		return error;
	}

	it("answers a chat completion through LiteLLM, with the spend log's request id as id", async () => {
		const completion = await client.chat.completions.create({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Hello gateway' }],
		});
		answers.push(JSON.stringify(completion));
		expect(completion.object).toBe('chat.completion');
		expect(typeof completion.choices[0].message.content).toBe('string');
		expect(completion.choices[0].finish_reason).toBe('stop');
		expect(completion.usage!.total_tokens).toBe(
			completion.usage!.prompt_tokens + completion.usage!.completion_tokens,
		);
		expect(completion.id).toBe(liteLlm.spendLog[liteLlm.spendLog.length - 1].request_id);
	});

	it('stream: true gets a text/event-stream the client reads: chunks, finish reason, usage', async () => {
		const stream = await client.chat.completions.create({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Hello stream' }],
			stream: true,
			stream_options: { include_usage: true },
		});
		const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
		for await (const chunk of stream) chunks.push(chunk);
		answers.push(JSON.stringify(chunks));
		expect(chunks.length).toBeGreaterThanOrEqual(2);
		const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
		expect(text).toContain('Hello stream');
		expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).toEqual(['stop']);
		expect(chunks[chunks.length - 1].usage?.total_tokens).toBeGreaterThan(0);
		// The proxy was asked for a complete answer (the one-shot stream is made from it).
		expect(chatBodies().pop()).not.toHaveProperty('stream');
	});

	it('tools, tool_choice and response_format pass through; tool_calls come back, streamed too', async () => {
		const completion = await client.chat.completions.create({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Weather in Paris?' }],
			tools: [WEATHER_TOOL],
			tool_choice: { type: 'function', function: { name: 'get_weather' } },
		});
		answers.push(JSON.stringify(completion));
		const sent = chatBodies().pop()!;
		expect(sent.tools).toEqual([WEATHER_TOOL]);
		expect(sent.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
		expect(completion.choices[0].finish_reason).toBe('tool_calls');
		const call = completion.choices[0].message.tool_calls![0];
		expect(call.function.name).toBe('get_weather');
		expect(JSON.parse(call.function.arguments)).toHaveProperty('city');

		const stream = await client.chat.completions.create({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Weather in Paris?' }],
			tools: [WEATHER_TOOL],
			tool_choice: 'required',
			stream: true,
		});
		const names: string[] = [];
		for await (const chunk of stream)
			for (const t of chunk.choices[0]?.delta?.tool_calls ?? [])
				if (t.function?.name) names.push(t.function.name);
		expect(names).toEqual(['get_weather']);

		await client.chat.completions.create({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'JSON please' }],
			response_format: { type: 'json_object' },
		});
		expect(chatBodies().pop()!.response_format).toEqual({ type: 'json_object' });
	});

	it("an unknown model is a 400 in OpenAI's error shape", async () => {
		const error = await failure(
			client.chat.completions.create({
				model: 'no-such-model',
				messages: [{ role: 'user', content: 'x' }],
			}),
		);
		expect(error).toBeInstanceOf(OpenAI.BadRequestError);
		expect(error.status).toBe(400);
		expect(error.error).toMatchObject({ type: 'invalid_request_error', code: 'model_not_found' });
		expect(error.headers?.['x-llm-gateway']).toBe('error=model_not_offered');
	});

	it('budget exceeded and rate limit are both 429, told apart by type; retry-after is passed on', async () => {
		const row = liteLlm.keyRow(VIRTUAL_KEY)!;
		row.max_budget = 0.000001;
		row.spend = 1;
		const budget = await failure(
			client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: 'x' }],
			}),
		);
		row.max_budget = null;
		row.spend = 0;
		expect(budget).toBeInstanceOf(OpenAI.RateLimitError);
		expect(budget.error).toMatchObject({ type: 'budget_exceeded', code: 'budget_exceeded' });
		expect(budget.headers?.['retry-after']).toBeUndefined();

		liteLlm.faults.add(
			{
				kind: 'status',
				status: 429,
				headers: { 'retry-after': '7' },
				body: {
					error: {
						message: 'Rate limit reached for gpt-4o-mini',
						type: 'throttling_error',
						param: null,
						code: '429',
					},
				},
			},
			{ path: '/chat/completions', times: 1 },
		);
		const limited = await failure(
			client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: 'x' }],
			}),
		);
		expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
		expect(limited.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
		expect(limited.headers?.['retry-after']).toBe('7');
	});

	it('LiteLLM down: OpenRouter answers; both down: 503; OpenRouter out of credits: 402', async () => {
		liteLlm.faults.add({ kind: 'html', status: 502 }, { path: '/chat/completions' });
		const served = await client.chat.completions.create({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Hello failover' }],
		});
		answers.push(JSON.stringify(served));
		expect(served).toMatchObject({ route: 'openrouter' });

		openRouter.faults.add(
			{
				kind: 'status',
				status: 503,
				body: { error: { code: 503, message: 'No instances available' } },
			},
			{ path: '/api/v1/chat/completions', times: 1 },
		);
		const down = await failure(
			client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: 'x' }],
			}),
		);
		expect(down.status).toBe(503);
		expect(down.error).toMatchObject({ type: 'service_unavailable' });

		openRouter.faults.add(
			{
				kind: 'status',
				status: 402,
				body: { error: { code: 402, message: 'Insufficient credits' } },
			},
			{ path: '/api/v1/chat/completions', times: 1 },
		);
		const broke = await failure(
			client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: 'x' }],
			}),
		);
		expect(broke.status).toBe(402);
		expect(broke.error).toMatchObject({ type: 'insufficient_quota' });
	});
});
