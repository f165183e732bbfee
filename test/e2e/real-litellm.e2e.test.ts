/**
 * The package in a real n8n 2.41.1 against the REAL LiteLLM proxy (the pinned PyPI version, no database,
 * deploy/config.yaml with its providers pointed at the provider simulators): the Chat node (answer, cost,
 * attribution accepted, a tool call, a clear error), the Chat Model under the AI Agent with a tool round
 * trip, the gateway workflow (workflows/openrouter-failover.json) driven by the official `openai` client,
 * failover to OpenRouter when the proxy hangs and when its process is gone, and the Key Manager and Usage
 * nodes telling the user the proxy needs DATABASE_URL.
 */
import { join } from 'node:path';

import OpenAI from 'openai';

import { LiteLlmProxy } from '../litellm-proxy/proxy';
import { testConfigFor } from '../litellm-proxy/test-config';
import { OpenRouterSimulator } from '../simulators/openrouter';
import { ProviderSimulator } from '../simulators/providers/simulator';
import { type N8nSuite, REPO_ROOT, setupN8n, type WorkflowJson } from './harness';
import {
	gatewayTokenCredential,
	liteLlmProxyCredential,
	openRouterCredential,
} from './harness/shipped-credentials';

const OPENROUTER_KEY = 'sk-or-v1-' + 'b2'.repeat(32);
const GATEWAY_TOKEN = 'e2e-real-gateway-token-openai-01';
const AGENT_WORKFLOW_ID = 'aiAgentLiteLlm0001';
type Json = Record<string, unknown>;

const node = (name: string, type: string, parameters: Json, extra: Json = {}) => ({
	id: name,
	name,
	type,
	typeVersion: 1,
	position: [220, 0],
	parameters,
	...extra,
});
const LITELLM_CREDENTIAL = { liteLlmApi: { id: 'liteLlmProxy0001', name: 'LiteLLM proxy' } };

function workflow(id: string, target: ReturnType<typeof node>): WorkflowJson {
	return {
		id,
		name: id,
		nodes: [
			{
				id: 's',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			target,
		],
		connections: { Start: { main: [[{ node: target.name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const chatNode = (parameters: Json, extra: Json = {}) =>
	node(
		'LiteLLM Chat',
		'n8n-nodes-litellm.liteLlmChat',
		{
			model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
			promptType: 'simple',
			userMessage: 'What is n8n?',
			...parameters,
		},
		{ credentials: LITELLM_CREDENTIAL, ...extra },
	);

const WORKFLOWS: WorkflowJson[] = [
	workflow('realChatAnswer001', chatNode({ options: { tags: 'e2e-real' } })),
	workflow(
		'realChatTools0001',
		chatNode({
			userMessage: 'Paris',
			options: {
				tools: JSON.stringify([
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
				]),
			},
		}),
	),
	workflow(
		'realChatError0001',
		chatNode(
			{ model: { __rl: true, mode: 'id', value: 'no-such-group' } },
			{ continueOnFail: true },
		),
	),
	workflow(
		'realChatFailover1',
		chatNode(
			{
				enableFailover: true,
				failoverOptions: { defaultModel: 'openai/gpt-4o-mini' },
				options: { requestTimeout: 4000 },
			},
			{
				credentials: {
					...LITELLM_CREDENTIAL,
					liteLlmOpenRouterApi: { id: 'openRouter000001', name: 'OpenRouter' },
				},
			},
		),
	),
	workflow(
		'realKeyList00001',
		node(
			'Key Manager',
			'n8n-nodes-litellm.liteLlmKeyManager',
			{ resource: 'virtualKey', operation: 'listVirtualKeys' },
			{ credentials: LITELLM_CREDENTIAL, continueOnFail: true },
		),
	),
	workflow(
		'realKeySpend0001',
		node(
			'Usage',
			'n8n-nodes-litellm.liteLlmUsage',
			{ operation: 'keySpend' },
			{ credentials: LITELLM_CREDENTIAL, continueOnFail: true },
		),
	),
];

describe('the package against the real LiteLLM proxy', () => {
	let suite: N8nSuite;
	let proxy: LiteLlmProxy;
	let master = '';
	const providers = new ProviderSimulator();
	const openRouter = new OpenRouterSimulator();

	async function firstItem(workflowId: string, nodeName: string): Promise<Json> {
		const result = await suite.n8n.execute(workflowId);
		if (!result.run) process.stderr.write(result.stdout.slice(-3000) + result.stderr.slice(-3000));
		const items = result.run?.data.resultData.runData[nodeName]?.[0].data?.main[0];
		expect(items?.length).toBeGreaterThan(0);
		expect(result.stdout).not.toContain(master);
		return items![0].json as Json;
	}

	beforeAll(async () => {
		await providers.start();
		await openRouter.start();
		openRouter.addKey({ key: OPENROUTER_KEY, credits: 5 });
		const { configYaml, env } = testConfigFor(providers);
		master = env.LITELLM_MASTER_KEY;
		[proxy, suite] = await Promise.all([LiteLlmProxy.start({ configYaml, env }), setupN8n()]);
		await suite.n8n.importCredentials([
			// Without a database there are no virtual keys: the nodes use the master key.
			liteLlmProxyCredential(proxy.url, master),
			openRouterCredential(openRouter.baseUrl, OPENROUTER_KEY),
		]);
		await suite.n8n.importWorkflows(WORKFLOWS);
		expect(
			await suite.n8n.importWorkflow(join(REPO_ROOT, 'workflows', 'ai-agent-litellm.json')),
		).toBe(AGENT_WORKFLOW_ID);
	});

	afterAll(async () => {
		await proxy?.stop();
		await providers.stop();
		await openRouter.stop();
		await suite?.teardown();
	});

	it('the Chat node answers with the cost from the proxy, attribution metadata and tags accepted', async () => {
		const json = await firstItem('realChatAnswer001', 'LiteLLM Chat');
		expect(json.text).toBe('Echo: What is n8n?');
		expect(json.route).toBe('litellm');
		expect(json.model).toBe('gpt-4o-mini');
		const usage = json.usage as { promptTokens: number; completionTokens: number };
		// gpt-4o-mini at LiteLLM 1.83.7's prices: $0.15 / $0.60 per million tokens.
		expect(json.costUsd).toBeCloseTo(
			usage.promptTokens * 1.5e-7 + usage.completionTokens * 6e-7,
			12,
		);
		const sent = providers.calls('openai').at(-1)!.body as Json;
		expect(sent.messages).toEqual([{ role: 'user', content: 'What is n8n?' }]);
	});

	it('the Chat node returns a tool call from the provider, through LiteLLM', async () => {
		const json = await firstItem('realChatTools0001', 'LiteLLM Chat');
		expect(json.finishReason).toBe('tool_calls');
		const calls = (
			json.message as { tool_calls: Array<{ function: { name: string; arguments: string } }> }
		).tool_calls;
		expect(calls[0].function.name).toBe('get_weather');
		expect(JSON.parse(calls[0].function.arguments)).toEqual({ city: 'Paris' });
	});

	it('an unknown model group is a clear error item (continueOnFail), not a stack trace', async () => {
		const json = await firstItem('realChatError0001', 'LiteLLM Chat');
		// The node checks the model against the proxy's /v1/models first, so the user gets the list of groups.
		expect(String(json.error)).toMatch(
			/^Model "no-such-group" is not offered by this LiteLLM proxy for this key \(offered: gpt-4o-mini, /,
		);
	});

	it('the Chat Model under the AI Agent makes a tool round trip through the real proxy', async () => {
		const before = providers.calls('openai').length;
		const result = await suite.n8n.execute(AGENT_WORKFLOW_ID);
		expect(result.exitCode).toBe(0);
		const output = String(
			result.run?.data.resultData.runData['AI Agent'][0].data?.main[0]?.[0].json.output,
		);
		expect(output).toMatch(/^Tool Calculator returned: /);
		const calls = providers.calls('openai').slice(before);
		expect(calls.map((c) => c.status)).toEqual([200, 200]);
		expect(
			(calls[1].body as { messages: Array<{ role: string }> }).messages.map((m) => m.role),
		).toContain('tool');
	});

	it('the Key Manager on a proxy without a database says it needs DATABASE_URL', async () => {
		const json = await firstItem('realKeyList00001', 'Key Manager');
		expect(String(json.error)).toMatch(/runs without a database.*DATABASE_URL/);
	});

	it('the Usage node on a proxy without a database says it needs DATABASE_URL', async () => {
		const json = await firstItem('realKeySpend0001', 'Usage');
		expect(String(json.error)).toMatch(/runs without a database.*DATABASE_URL/);
	});

	// Before the failover cases below, which stop the proxy. n8n runs as a server only for these.
	describe('the gateway workflow driven by the official openai client', () => {
		let client: OpenAI;
		const answers: string[] = [];
		const ask = (content: string) => [{ role: 'user' as const, content }];

		beforeAll(async () => {
			await suite.n8n.importCredentials([gatewayTokenCredential(GATEWAY_TOKEN)]);
			const id = await suite.n8n.importWorkflow(
				join(REPO_ROOT, 'workflows', 'openrouter-failover.json'),
			);
			await suite.n8n.start();
			await suite.n8n.activateWorkflow(id);
			// The webhook registers a moment after activation: the harness's webhook() waits for it.
			const warm = await suite.n8n.webhook(
				'llm-gateway/v1/chat/completions',
				{ model: 'gpt-4o-mini', messages: ask('warm up') },
				{ headers: { authorization: `Bearer ${GATEWAY_TOKEN}` } },
			);
			expect(warm.status).toBe(200);
			client = new OpenAI({
				apiKey: GATEWAY_TOKEN,
				baseURL: `${suite.n8n.baseUrl}/webhook/llm-gateway/v1`,
				maxRetries: 0,
				timeout: 60_000,
			});
		});

		afterAll(async () => {
			await suite?.n8n.stop();
			// Nothing the gateway answered carried a key.
			for (const secret of [master, OPENROUTER_KEY])
				expect(answers.join('\n')).not.toContain(secret);
		});

		const openAiCalls = () => providers.calls('openai');

		it('answers a chat completion through the real proxy: text, usage, the model asked for', async () => {
			const before = openAiCalls().length;
			const completion = await client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: ask('Hello gateway'),
			});
			answers.push(JSON.stringify(completion));
			expect(completion.object).toBe('chat.completion');
			expect(completion.model).toBe('gpt-4o-mini');
			expect(completion.choices[0].message.content).toBe('Echo: Hello gateway');
			expect(completion.choices[0].finish_reason).toBe('stop');
			expect(completion.usage!.prompt_tokens).toBeGreaterThan(0);
			expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
			expect(completion.usage!.total_tokens).toBe(
				completion.usage!.prompt_tokens + completion.usage!.completion_tokens,
			);
			expect(completion).toMatchObject({ route: 'litellm' });
			// LiteLLM, not OpenRouter, answered: the request reached the provider behind the proxy.
			expect(
				openAiCalls()
					.slice(before)
					.map((c) => c.status),
			).toEqual([200]);
		});

		it('stream: true is read chunk by chunk; the text is the non-streamed answer', async () => {
			const stream = await client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: ask('Hello stream'),
				stream: true,
				stream_options: { include_usage: true },
			});
			const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
			for await (const chunk of stream) chunks.push(chunk);
			answers.push(JSON.stringify(chunks));
			expect(chunks.length).toBeGreaterThanOrEqual(2);
			expect(chunks.every((c) => c.model === 'gpt-4o-mini')).toBe(true);
			expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(
				'Echo: Hello stream',
			);
			expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).toEqual(['stop']);
			expect(chunks[chunks.length - 1].usage?.total_tokens).toBeGreaterThan(0);
		});

		it('tools pass through the proxy, tool_calls come back, and the tool result gets the answer', async () => {
			const tool = {
				type: 'function' as const,
				function: {
					name: 'get_weather',
					description: 'Weather of a city',
					parameters: {
						type: 'object',
						properties: { city: { type: 'string' } },
						required: ['city'],
					},
				},
			};
			const before = openAiCalls().length;
			const first = await client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: ask('Paris'),
				tools: [tool],
			});
			answers.push(JSON.stringify(first));
			expect(first.choices[0].finish_reason).toBe('tool_calls');
			const call = first.choices[0].message.tool_calls![0];
			expect(call.type).toBe('function');
			expect(call.function.name).toBe('get_weather');
			expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
			expect((openAiCalls()[before].body as { tools: unknown }).tools).toEqual([tool]);

			const second = await client.chat.completions.create({
				model: 'gpt-4o-mini',
				messages: [
					...ask('Paris'),
					first.choices[0].message,
					{ role: 'tool', tool_call_id: call.id, content: 'sunny, 21 C' },
				],
				tools: [tool],
			});
			answers.push(JSON.stringify(second));
			expect(second.choices[0].finish_reason).toBe('stop');
			expect(second.choices[0].message.content).toBe('Tool get_weather returned: sunny, 21 C');
			const sent = openAiCalls().at(-1)!.body as {
				messages: Array<{ role: string; tool_call_id?: string }>;
			};
			expect(sent.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
			expect(sent.messages[2].tool_call_id).toBe(call.id);
		});

		it("an unknown model is a 400 APIError in OpenAI's error shape", async () => {
			const before = openAiCalls().length;
			const openRouterBefore = openRouter.ledger.length;
			const outcome = await client.chat.completions
				.create({ model: 'no-such-group', messages: ask('x') })
				.then(
					() => undefined,
					(error: unknown) => error,
				);
			expect(outcome).toBeInstanceOf(OpenAI.BadRequestError);
			const error = outcome as InstanceType<typeof OpenAI.APIError>;
			answers.push(JSON.stringify(error.error), error.message);
			expect(error.status).toBe(400);
			expect(error.error).toMatchObject({
				type: 'invalid_request_error',
				param: null,
				code: 'model_not_found',
			});
			expect((error.error as { message: string }).message).toMatch(
				/^Model "no-such-group" is not offered by this LiteLLM proxy/,
			);
			expect(error.headers?.['x-llm-gateway']).toBe('error=model_not_offered');
			// Refused before any provider call, and not sent to OpenRouter either.
			expect(openAiCalls().length).toBe(before);
			expect(openRouter.ledger.length).toBe(openRouterBefore);
		});
	});

	it('fails over to OpenRouter when the proxy hangs (process stopped with SIGSTOP)', async () => {
		proxy.pause();
		try {
			const json = await firstItem('realChatFailover1', 'LiteLLM Chat');
			expect(json.route).toBe('openrouter');
			expect(json.text).not.toBe('');
			expect((json.liteLlmError as { kind: string }).kind).toBe('timeout');
		} finally {
			proxy.resume();
		}
	});

	it('fails over to OpenRouter when the proxy process is gone', async () => {
		await proxy.stop();
		const json = await firstItem('realChatFailover1', 'LiteLLM Chat');
		expect(json.route).toBe('openrouter');
		expect((json.liteLlmError as { kind: string }).kind).toBe('connection');
	});
});
