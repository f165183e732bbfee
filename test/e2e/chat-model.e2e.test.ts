/**
 * The LiteLLM Chat Model in a real n8n 2.41.1 (packed package under .n8n/nodes): the shipped workflow
 * workflows/ai-agent-litellm.json (Manual Trigger → AI Agent 3.1 with this node as its model, failing over to
 * OpenRouter only when LiteLLM is down, and n8n's Calculator tool) and a Basic LLM Chain, against the LiteLLM and
 * OpenRouter simulators over loopback. LiteLLM answers in its real shapes: `content: null` beside tool calls,
 * `tool_calls: null` and `function_call: null` on plain answers.
 */
import { join } from 'node:path';

import { readFixture } from '../simulators/fixtures';
import { LiteLlmSimulator } from '../simulators/litellm';
import { OpenRouterSimulator } from '../simulators/openrouter';
import { type N8nSuite, REPO_ROOT, setupN8n, type WorkflowJson } from './harness';
import { liteLlmProxyCredential, openRouterCredential } from './harness/shipped-credentials';

const VIRTUAL_KEY = 'sk-e2e-agent-virtual-5c2d';
const MASTER_KEY = 'sk-e2e-master-91ab';
const OPENROUTER_KEY = 'sk-or-v1-' + 'a1'.repeat(32);
const WORKFLOW_ID = 'aiAgentLiteLlm0001';

const CHAIN_WORKFLOW: WorkflowJson = {
	id: 'llmChainLiteLlm001',
	name: 'Basic LLM Chain on LiteLLM',
	nodes: [
		{
			id: 'c1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'c2',
			name: 'Basic LLM Chain',
			type: '@n8n/n8n-nodes-langchain.chainLlm',
			typeVersion: 1.9,
			position: [220, 0],
			parameters: { promptType: 'define', text: 'Hello chain' },
		},
		{
			id: 'c3',
			name: 'LiteLLM Chat Model',
			type: 'n8n-nodes-litellm.liteLlmChatModel',
			typeVersion: 1,
			position: [220, 200],
			parameters: {
				backend: 'liteLlm',
				model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
				options: {},
			},
			credentials: { liteLlmApi: { id: 'liteLlmProxy0001', name: 'LiteLLM proxy' } },
		},
	],
	connections: {
		Start: { main: [[{ node: 'Basic LLM Chain', type: 'main', index: 0 }]] },
		'LiteLLM Chat Model': {
			ai_languageModel: [[{ node: 'Basic LLM Chain', type: 'ai_languageModel', index: 0 }]],
		},
	},
	settings: { executionOrder: 'v1' },
};

type Json = Record<string, unknown>;

function chatCalls(sim: {
	ledger: Array<{ method: string; path: string; body: unknown; status: number }>;
}) {
	return sim.ledger.filter((e) => e.method === 'POST' && e.path.endsWith('/chat/completions'));
}

describe('LiteLLM Chat Model in a real n8n', () => {
	let suite: N8nSuite;
	const liteLlm = new LiteLlmSimulator({
		configYaml: readFixture('litellm-config.yaml'),
		env: { LITELLM_MASTER_KEY: MASTER_KEY, OPENAI_API_KEY: 'sk-upstream-openai' },
	});
	const openRouter = new OpenRouterSimulator();

	beforeAll(async () => {
		suite = await setupN8n();
		await liteLlm.start();
		await openRouter.start();
		liteLlm.addVirtualKey({ key: VIRTUAL_KEY, models: ['gpt-4o-mini'] });
		openRouter.addKey({ key: OPENROUTER_KEY, credits: 5 });
		await suite.n8n.importCredentials([
			liteLlmProxyCredential(liteLlm.url, VIRTUAL_KEY),
			openRouterCredential(openRouter.baseUrl, OPENROUTER_KEY),
		]);
		expect(
			await suite.n8n.importWorkflow(join(REPO_ROOT, 'workflows', 'ai-agent-litellm.json')),
		).toBe(WORKFLOW_ID);
		await suite.n8n.importWorkflow(CHAIN_WORKFLOW);
	});

	afterAll(async () => {
		await liteLlm.stop();
		await openRouter.stop();
		await suite?.teardown();
	});

	it('the AI Agent completes a tool-call round trip through LiteLLM, spend tagged with workflow and execution', async () => {
		const before = chatCalls(liteLlm).length;
		const spendBefore = liteLlm.spendLog.length;
		const result = await suite.n8n.execute(WORKFLOW_ID);
		if (result.exitCode !== 0) process.stderr.write(result.stdout.slice(-4000));
		expect(result.exitCode).toBe(0);
		expect(result.run?.status).toBe('success');

		const agentItems = result.run?.data.resultData.runData['AI Agent'][0].data?.main[0];
		const output = String(agentItems?.[0].json.output);
		process.stderr.write(`[e2e] agent output: ${output}\n`);
		// n8n names the tool after its node. The model passes the question (Settings: "6 * 7") as the
		// Calculator's one `input`, n8n runs the Calculator, and the answer is made from its result.
		expect(output).toBe('Tool Calculator returned: 42');

		// Two LiteLLM calls: the tool call (content null beside tool_calls) and the answer (tool_calls null).
		const calls = chatCalls(liteLlm).slice(before);
		expect(calls.map((c) => c.status)).toEqual([200, 200]);
		const first = calls[0].body as { tools: Array<{ function: { name: string } }> };
		expect(first.tools.map((t) => t.function.name)).toContain('Calculator');
		const second = calls[1].body as { messages: Array<{ role: string; content?: unknown }> };
		expect(second.messages.map((m) => m.role)).toEqual(
			expect.arrayContaining(['assistant', 'tool']),
		);
		expect(second.messages.find((m) => m.role === 'tool')?.content).toMatch(/"42"/);
		// The Calculator sub-node really ran inside n8n.
		expect(result.run?.data.resultData.runData.Calculator?.length).toBeGreaterThanOrEqual(1);
		// OpenRouter, the fallback, was not needed.
		expect(chatCalls(openRouter)).toHaveLength(0);

		const rows = liteLlm.spendLog.slice(spendBefore);
		expect(rows).toHaveLength(2);
		const executionId = (rows[0].metadata.spend_logs_metadata as Json).n8n_execution_id;
		expect(typeof executionId).toBe('string');
		expect(executionId).not.toBe('');
		for (const row of rows) {
			expect(row.status).toBe('success');
			expect(row.request_tags).toEqual([
				'n8n',
				`n8n-workflow:${WORKFLOW_ID}`,
				`n8n-execution:${String(executionId)}`,
			]);
			expect(row.metadata.spend_logs_metadata).toEqual({
				n8n_workflow_id: WORKFLOW_ID,
				n8n_workflow_name: 'AI Agent on LiteLLM with OpenRouter fallback',
				n8n_execution_id: executionId,
				n8n_node: 'LiteLLM Chat Model',
			});
		}
		expect(result.stdout).not.toContain(VIRTUAL_KEY);
	});

	it('a Basic LLM Chain with this model answers', async () => {
		const result = await suite.n8n.execute('llmChainLiteLlm001');
		if (result.exitCode !== 0) process.stderr.write(result.stdout.slice(-4000));
		expect(result.exitCode).toBe(0);
		const items = result.run?.data.resultData.runData['Basic LLM Chain'][0].data?.main[0];
		expect(items?.[0].json.text).toBe('Echo: Hello chain');
		expect(liteLlm.spendLog[liteLlm.spendLog.length - 1].request_tags).toContain(
			'n8n-workflow:llmChainLiteLlm001',
		);
	});

	it('a spent budget stops the agent with the budget error: nothing answers around it', async () => {
		const row = liteLlm.keyRow(VIRTUAL_KEY)!;
		row.max_budget = 0.000001;
		row.spend = 1;
		const before = chatCalls(openRouter).length;
		try {
			const result = await suite.n8n.execute(WORKFLOW_ID);
			expect(result.exitCode).toBe(1);
			expect(result.stdout).toMatch(/LiteLLM budget is exceeded \(429 budget_exceeded\)/);
			expect(chatCalls(openRouter).length).toBe(before);
			expect(result.stdout).not.toContain(VIRTUAL_KEY);
		} finally {
			row.max_budget = null;
			row.spend = 0;
		}
	});

	it("with LiteLLM stopped, the Chat Model fails over to OpenRouter (the Chat node's policy)", async () => {
		await liteLlm.stop();
		const before = chatCalls(openRouter).length;
		const result = await suite.n8n.execute(WORKFLOW_ID);
		if (result.exitCode !== 0) process.stderr.write(result.stdout.slice(-4000));
		expect(result.exitCode).toBe(0);
		const output = String(
			result.run?.data.resultData.runData['AI Agent'][0].data?.main[0]?.[0].json.output,
		);
		process.stderr.write(`[e2e] failover output: ${output}\n`);
		expect(output).toBe('Tool Calculator returned: 42');

		const calls = chatCalls(openRouter).slice(before);
		expect(calls.length).toBeGreaterThanOrEqual(2);
		expect(calls[0].body).toMatchObject({ model: 'openai/gpt-4o-mini' });
		expect(calls[0].body).not.toHaveProperty('metadata');
		expect(result.stdout).toMatch(
			/answered through OpenRouter \(litellm unreachable \(connection refused\)\)/,
		);
		expect(result.stdout).not.toContain(OPENROUTER_KEY);
	});
});
