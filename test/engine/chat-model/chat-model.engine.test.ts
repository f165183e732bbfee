/**
 * The LiteLLM Chat Model supplied by n8n-core's real SupplyDataContext (the built package, `npm run build`
 * first) to a root node, against the LiteLLM and OpenRouter simulators over loopback.
 */
import { readFixture } from '../../simulators/fixtures';
import { LiteLlmSimulator } from '../../simulators/litellm';
import { OpenRouterSimulator } from '../../simulators/openrouter';
import { closedPort } from '../chat/setup';
import { REPO_ROOT } from '../harness';
import { scanForSecrets } from '../harness/scan-for-secrets';
import { EXECUTION_ID, MODEL_NODE, type ModelRun, runWithModel, WORKFLOW } from './run-with-model';

const MASTER_KEY = 'sk-master-engine-7f3a9c';
const VIRTUAL_KEY = 'sk-team-engine-0b5e21';
const OPENROUTER_KEY = 'sk-or-v1-' + 'e'.repeat(64);

const liteLlm = new LiteLlmSimulator({
	configYaml: readFixture('litellm-config.yaml'),
	env: {
		LITELLM_MASTER_KEY: MASTER_KEY,
		OPENAI_API_KEY: 'sk-upstream-openai',
		ANTHROPIC_API_KEY: 'sk-ant-upstream',
	},
});
const openRouter = new OpenRouterSimulator();

beforeAll(async () => {
	await liteLlm.start();
	await openRouter.start();
	liteLlm.addVirtualKey({ key: VIRTUAL_KEY, models: ['gpt-4o-mini', 'claude-3-5-haiku'] });
	openRouter.addKey({ key: OPENROUTER_KEY, credits: 5 });
});

afterAll(async () => {
	await liteLlm.stop();
	await openRouter.stop();
});

const liteLlmCredentials = () => ({ liteLlmApi: { baseUrl: liteLlm.url, apiKey: VIRTUAL_KEY } });
const model = (value: string) => ({ __rl: true, mode: 'list', value });

function chatCalls(sim: {
	ledger: Array<{ method: string; path: string; body: unknown; headers: Record<string, unknown> }>;
}) {
	return sim.ledger.filter((e) => e.method === 'POST' && e.path.endsWith('/chat/completions'));
}

function noSecrets(result: ModelRun): void {
	expect(
		scanForSecrets(
			[result.run, result.logs, result.aiEvents],
			[VIRTUAL_KEY, MASTER_KEY, OPENROUTER_KEY],
		),
	).toEqual([]);
}

describe('LiteLLM backend', () => {
	it('answers through the proxy, with the key as Bearer and spend attributed to workflow and execution', async () => {
		const before = chatCalls(liteLlm).length;
		const result = await runWithModel({
			modelParameters: {
				backend: 'liteLlm',
				model: model('gpt-4o-mini'),
				options: { temperature: 0.3, maxTokens: 100 },
			},
			credentials: liteLlmCredentials(),
			probe: { prompt: 'Say hi' },
		});
		expect(result.error).toBeUndefined();
		expect(result.probe?.data?.main[0]?.[0].json.text).toBe('Echo: Say hi');

		const calls = chatCalls(liteLlm).slice(before);
		expect(calls).toHaveLength(1);
		expect(calls[0].path).toBe('/v1/chat/completions');
		expect(calls[0].headers.authorization).toBe(`Bearer ${VIRTUAL_KEY}`);
		expect(calls[0].body).toMatchObject({
			model: 'gpt-4o-mini',
			temperature: 0.3,
			max_tokens: 100,
		});

		const row = liteLlm.spendLog[liteLlm.spendLog.length - 1];
		expect(row.status).toBe('success');
		expect(row.request_tags).toEqual([
			'n8n',
			`n8n-workflow:${WORKFLOW.id}`,
			`n8n-execution:${EXECUTION_ID}`,
		]);
		expect(row.metadata.spend_logs_metadata).toEqual({
			n8n_workflow_id: WORKFLOW.id,
			n8n_workflow_name: WORKFLOW.name,
			n8n_execution_id: EXECUTION_ID,
			n8n_node: MODEL_NODE,
		});

		// n8n's tracing (from supplyModel) records the call on the sub-node: token usage from LiteLLM's usage.
		const modelOutput = result.model?.[0]?.data?.ai_languageModel?.[0]?.[0]?.json as {
			tokenUsage?: Record<string, number>;
		};
		expect(modelOutput.tokenUsage).toEqual({
			promptTokens: row.prompt_tokens,
			completionTokens: row.completion_tokens,
			totalTokens: row.total_tokens,
		});
		noSecrets(result);
	});

	it("completes a tool-call round trip in the tool-calling agent with LiteLLM's null fields", async () => {
		const before = chatCalls(liteLlm).length;
		const result = await runWithModel({
			modelParameters: { backend: 'liteLlm', model: model('claude-3-5-haiku'), options: {} },
			credentials: liteLlmCredentials(),
			probe: { mode: 'agent', prompt: 'What time is it?' },
		});
		expect(result.error).toBeUndefined();
		const output = result.probe?.data?.main[0]?.[0].json as {
			output: string;
			steps: Array<{ tool: string; observation: string }>;
		};
		// get_time is a one-input tool (optional `input` string): the simulated model passes the question on.
		expect(output.steps).toEqual([
			{ tool: 'get_time', input: { input: 'What time is it?' }, observation: '12:00' },
		]);
		expect(output.output).toBe('Tool get_time returned: 12:00');

		const calls = chatCalls(liteLlm).slice(before);
		expect(calls).toHaveLength(2);
		const first = calls[0].body as { tools: Array<{ function: { name: string } }> };
		expect(first.tools.map((t) => t.function.name)).toEqual(['get_time']);
		const second = calls[1].body as {
			messages: Array<{ role: string; content: unknown; tool_call_id?: string }>;
		};
		expect(second.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
		expect(second.messages[3].content).toBe('12:00');
		// Both calls attributed.
		const rows = liteLlm.spendLog.slice(-2);
		for (const row of rows) expect(row.request_tags).toContain(`n8n-execution:${EXECUTION_ID}`);
		noSecrets(result);
	});

	it('sends LiteLLM fallbacks, JSON response format and extra body fields', async () => {
		const before = chatCalls(liteLlm).length;
		const result = await runWithModel({
			modelParameters: {
				backend: 'liteLlm',
				model: model('gpt-4o-mini'),
				options: {
					fallbacks: 'claude-3-5-haiku',
					responseFormat: 'json_object',
					additionalParams: '{"user":"agent-7"}',
					tags: 'support',
				},
			},
			credentials: liteLlmCredentials(),
			probe: { prompt: 'Answer in JSON' },
		});
		expect(result.error).toBeUndefined();
		const body = chatCalls(liteLlm).slice(before)[0].body as Record<string, unknown>;
		expect(body).toMatchObject({
			fallbacks: ['claude-3-5-haiku'],
			response_format: { type: 'json_object' },
			user: 'agent-7',
		});
		expect(body.tags).toEqual([
			'n8n',
			`n8n-workflow:${WORKFLOW.id}`,
			`n8n-execution:${EXECUTION_ID}`,
			'support',
		]);
	});
});

describe('OpenRouter backend', () => {
	it("answers through OpenRouter with the models list, provider routing and the credential's headers", async () => {
		const before = chatCalls(openRouter).length;
		const result = await runWithModel({
			modelParameters: {
				backend: 'openRouter',
				model: model('openai/gpt-4o-mini'),
				options: { openRouterModels: 'anthropic/claude-3.5-haiku' },
				providerRouting: { sort: 'price', allowFallbacks: true },
			},
			credentials: {
				liteLlmOpenRouterApi: {
					apiKey: OPENROUTER_KEY,
					baseUrl: openRouter.baseUrl,
					appTitle: 'n8n engine',
					referer: '',
				},
			},
			probe: { prompt: 'Hi from the fallback' },
		});
		expect(result.error).toBeUndefined();
		expect(result.probe?.data?.main[0]?.[0].json.text).toEqual(
			expect.stringContaining('Hi from the fallback'),
		);
		const call = chatCalls(openRouter).slice(before)[0];
		expect(call.path).toBe('/api/v1/chat/completions');
		expect(call.headers.authorization).toBe(`Bearer ${OPENROUTER_KEY}`);
		expect(call.headers['x-openrouter-title']).toBe('n8n engine');
		expect(call.body).toMatchObject({
			model: 'openai/gpt-4o-mini',
			models: ['anthropic/claude-3.5-haiku'],
			provider: { sort: 'price', allow_fallbacks: true },
		});
		expect(call.body).not.toHaveProperty('metadata');
		noSecrets(result);
	});
});

describe('bad input fails when the sub-node is supplied, naming the field', () => {
	async function failure(
		modelParameters: Record<string, unknown>,
		credentials = liteLlmCredentials(),
	) {
		const before = chatCalls(liteLlm).length;
		const result = await runWithModel({ modelParameters: modelParameters as never, credentials });
		expect(chatCalls(liteLlm).length).toBe(before);
		// The root node fails with n8n-core's "Error in sub-node", carrying our message as description.
		expect(result.error?.message).toBe(`Error in sub-node ${MODEL_NODE}`);
		const subNodeError = result.model?.[0]?.error;
		expect(subNodeError?.name).toBe('NodeOperationError');
		expect(result.error?.description).toBe(subNodeError?.message);
		noSecrets(result);
		return subNodeError!.message;
	}

	it('a missing model', async () => {
		expect(await failure({ backend: 'liteLlm', model: model(''), options: {} })).toBe(
			'Model is required',
		);
	});

	it('a base URL without scheme', async () => {
		const message = await failure(
			{ backend: 'liteLlm', model: model('gpt-4o-mini'), options: {} },
			{ liteLlmApi: { baseUrl: liteLlm.url.replace('http://', ''), apiKey: VIRTUAL_KEY } },
		);
		expect(message).toMatch(
			/^The Base URL of the LiteLLM API credential must start with http:\/\/ or https:\/\//,
		);
	});

	it('malformed JSON in Additional Body Fields', async () => {
		const message = await failure({
			backend: 'liteLlm',
			model: model('gpt-4o-mini'),
			options: { additionalParams: '{"user": ' },
		});
		expect(message).toMatch(/^Additional Body Fields is not valid JSON/);
	});
});

describe("errors are as specific as the Chat node's, keys masked", () => {
	const BROKE_KEY = 'sk-team-engine-broke-4d2c';
	const ALL_MODELS_KEY = 'sk-team-engine-all-models-8a1f';

	async function failure(
		modelParameters: Record<string, unknown>,
		credentials = liteLlmCredentials(),
	) {
		const result = await runWithModel({
			modelParameters: modelParameters as never,
			credentials,
			probe: { prompt: 'Say hi' },
		});
		expect(result.error).toBeDefined();
		noSecrets(result);
		expect(scanForSecrets([result.error], [BROKE_KEY, ALL_MODELS_KEY])).toEqual([]);
		return result.error!;
	}

	it('LiteLLM down: the cause, not "Connection error."', async () => {
		const port = await closedPort();
		const error = await failure(
			{ backend: 'liteLlm', model: model('gpt-4o-mini'), options: {} },
			{ liteLlmApi: { baseUrl: `http://127.0.0.1:${port}`, apiKey: VIRTUAL_KEY } },
		);
		expect(error.message).toMatch(/Could not reach LiteLLM \(connection refused\)/);
	});

	it('a spent budget says budget, not rate limit', async () => {
		liteLlm.addVirtualKey({ key: BROKE_KEY, models: [], max_budget: 0.01, spend: 0.02 });
		const error = await failure(
			{ backend: 'liteLlm', model: model('gpt-4o-mini'), options: {} },
			{ liteLlmApi: { baseUrl: liteLlm.url, apiKey: BROKE_KEY } },
		);
		expect(error.message).toMatch(/LiteLLM budget is exceeded \(429 budget_exceeded\)/);
		expect((error as { httpCode?: string }).httpCode).toBe('429');
	});

	it('an unknown model says so, not "Bad request - please check your parameters"', async () => {
		liteLlm.addVirtualKey({ key: ALL_MODELS_KEY, models: [] });
		const error = await failure(
			{ backend: 'liteLlm', model: model('no-such-model'), options: {} },
			{ liteLlmApi: { baseUrl: liteLlm.url, apiKey: ALL_MODELS_KEY } },
		);
		expect(error.message).toMatch(/LiteLLM does not know this model \(400\)/);
		expect(String(error.description)).toContain('Invalid model name passed in model=no-such-model');
	});
});

describe('"LiteLLM Proxy, Fail Over to OpenRouter": the Chat node\'s failover policy', () => {
	const BROKE = 'sk-team-engine-failover-broke-31';
	const both = (liteLlmUrl: string, apiKey = VIRTUAL_KEY) => ({
		liteLlmApi: { baseUrl: liteLlmUrl, apiKey },
		liteLlmOpenRouterApi: {
			apiKey: OPENROUTER_KEY,
			baseUrl: openRouter.baseUrl,
			appTitle: 'engine',
			referer: '',
		},
	});
	const parameters = {
		backend: 'liteLlmFailover',
		model: model('gpt-4o-mini'),
		failoverOptions: { openRouterModel: 'openai/gpt-4o-mini' },
		options: {},
	};

	beforeEach(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		(
			require(`${REPO_ROOT}/dist/nodes/shared/failover/breaker.js`) as { resetBreakers: () => void }
		).resetBreakers();
	});

	it("LiteLLM down: OpenRouter answers with the mapped model, without LiteLLM's fields", async () => {
		const port = await closedPort();
		const before = chatCalls(openRouter).length;
		const result = await runWithModel({
			modelParameters: parameters as never,
			credentials: both(`http://127.0.0.1:${port}`),
			probe: { prompt: 'Say hi' },
		});
		expect(result.error).toBeUndefined();
		expect(result.probe?.data?.main[0]?.[0].json.text).toContain('Say hi');
		const calls = chatCalls(openRouter).slice(before);
		expect(calls).toHaveLength(1);
		expect(calls[0].headers.authorization).toBe(`Bearer ${OPENROUTER_KEY}`);
		expect(calls[0].body).toMatchObject({ model: 'openai/gpt-4o-mini' });
		expect(calls[0].body).not.toHaveProperty('tags');
		expect(calls[0].body).not.toHaveProperty('metadata');
		noSecrets(result);
	});

	it("a spent budget is the agent's error: OpenRouter is never asked", async () => {
		liteLlm.addVirtualKey({ key: BROKE, models: [], max_budget: 0.01, spend: 0.02 });
		const before = chatCalls(openRouter).length;
		const result = await runWithModel({
			modelParameters: parameters as never,
			credentials: both(liteLlm.url, BROKE),
			probe: { prompt: 'Say hi' },
		});
		expect(result.error?.message).toMatch(/LiteLLM budget is exceeded \(429 budget_exceeded\)/);
		expect(chatCalls(openRouter).length).toBe(before);
	});

	it("a provider's 503 in LiteLLM's JSON is LiteLLM's answer, not a failover", async () => {
		liteLlm.failDeployment('claude-3-5-haiku', { status: 503 });
		try {
			const before = chatCalls(openRouter).length;
			const result = await runWithModel({
				modelParameters: { ...parameters, model: model('claude-3-5-haiku') } as never,
				credentials: both(liteLlm.url),
				probe: { prompt: 'Say hi' },
			});
			expect(result.error?.message).toMatch(/upstream LLM provider failed behind LiteLLM \(503\)/);
			expect(chatCalls(openRouter).length).toBe(before);
		} finally {
			liteLlm.resetFaults();
		}
	});
});
