/**
 * "On Error: Continue (using error output)" in a real n8n 2.41.1: the Chat, Key Manager and Usage nodes each
 * fail (a rejected key) and their failed items must arrive at the node wired to the error output, with their
 * details, while "Continue" (regular output) still puts them on the success output.
 */
import { readFixture } from '../simulators/fixtures';
import { LiteLlmSimulator } from '../simulators/litellm';
import { OpenRouterSimulator } from '../simulators/openrouter';
import { registerCredits } from '../simulators/openrouter/credits';
import { type N8nSuite, setupN8n, type WorkflowJson } from './harness';

const MASTER_KEY = 'sk-e2e-error-output-master-01';
const WRONG_KEY = 'sk-e2e-error-output-wrong-0001';
const OPENROUTER_WRONG = `sk-or-v1-${'4e'.repeat(32)}`;

const LITELLM = { liteLlmApi: { id: 'errOutLiteLlm0001', name: 'LiteLLM (wrong key)' } };
const OPENROUTER = {
	liteLlmOpenRouterApi: { id: 'errOutOpenRtr0001', name: 'OpenRouter (wrong key)' },
};

/** The three nodes under test, each with the parameters of a call that fails with 401. */
const NODES = [
	{
		name: 'Chat',
		type: 'n8n-nodes-litellm.liteLlmChat',
		parameters: {
			model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
			promptType: 'simple',
			userMessage: 'Hello',
			options: {},
		},
		credentials: LITELLM,
	},
	{
		name: 'Key Manager',
		type: 'n8n-nodes-litellm.liteLlmKeyManager',
		parameters: { resource: 'model', operation: 'listModels' },
		credentials: LITELLM,
	},
	{
		name: 'Usage',
		type: 'n8n-nodes-litellm.liteLlmUsage',
		parameters: { operation: 'openRouterUsage' },
		credentials: OPENROUTER,
	},
];

function workflow(
	id: string,
	onError: 'continueErrorOutput' | 'continueRegularOutput',
): WorkflowJson {
	const nodes: WorkflowJson['nodes'] = [
		{
			id: 't',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	];
	const connections: WorkflowJson['connections'] = {
		Start: { main: [NODES.map((n) => ({ node: n.name, type: 'main', index: 0 }))] },
	};
	NODES.forEach((n, row) => {
		nodes.push({
			id: `n${row}`,
			name: n.name,
			type: n.type,
			typeVersion: 1,
			position: [240, row * 200],
			parameters: n.parameters,
			credentials: n.credentials,
			onError,
		});
		const outputs = [`${n.name} ok`, `${n.name} failed`];
		outputs.forEach((name, index) => {
			nodes.push({
				id: `n${row}o${index}`,
				name,
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [480, row * 200 + index * 80],
				parameters: {},
			});
		});
		connections[n.name] = {
			main:
				onError === 'continueErrorOutput'
					? outputs.map((name) => [{ node: name, type: 'main', index: 0 }])
					: [[{ node: outputs[0], type: 'main', index: 0 }]],
		};
	});
	return {
		id,
		name: `Error output (${onError})`,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

type Item = { json: Record<string, unknown> };

describe('failed items in a real n8n', () => {
	let suite: N8nSuite;
	const liteLlm = new LiteLlmSimulator({
		configYaml: readFixture('litellm-config.yaml'),
		env: { LITELLM_MASTER_KEY: MASTER_KEY },
	});
	const openRouter = new OpenRouterSimulator();
	registerCredits(openRouter.server, openRouter.ctx);

	beforeAll(async () => {
		await Promise.all([liteLlm.start(), openRouter.start()]);
		suite = await setupN8n();
		await suite.n8n.importCredentials([
			{
				id: LITELLM.liteLlmApi.id,
				name: LITELLM.liteLlmApi.name,
				type: 'liteLlmApi',
				data: { baseUrl: liteLlm.url, apiKey: WRONG_KEY },
			},
			{
				id: OPENROUTER.liteLlmOpenRouterApi.id,
				name: OPENROUTER.liteLlmOpenRouterApi.name,
				type: 'liteLlmOpenRouterApi',
				data: {
					apiKey: OPENROUTER_WRONG,
					baseUrl: openRouter.baseUrl,
					appTitle: 'n8n e2e',
					referer: '',
				},
			},
		]);
		await suite.n8n.importWorkflows([
			workflow('errOutputRouted01', 'continueErrorOutput'),
			workflow('errOutputRegular01', 'continueRegularOutput'),
		]);
	});

	afterAll(async () => {
		await suite?.teardown();
		await Promise.all([liteLlm.stop(), openRouter.stop()]);
	});

	async function runData(id: string) {
		const result = await suite.n8n.execute(id);
		if (result.exitCode !== 0) process.stderr.write(result.stdout.slice(-4000));
		expect(result.exitCode).toBe(0);
		expect(result.stdout).not.toContain(WRONG_KEY);
		expect(result.stdout).not.toContain(OPENROUTER_WRONG);
		const data = result.run!.data.resultData.runData;
		return (node: string, output = 0) => (data[node]?.[0]?.data?.main[output] ?? []) as Item[];
	}

	it('continueErrorOutput: each node sends its failed item to the error output, with kind and status', async () => {
		const items = await runData('errOutputRouted01');
		for (const { name } of NODES) {
			expect({ name, success: items(name, 0) }).toEqual({ name, success: [] });
			const failed = items(name, 1);
			expect(failed).toHaveLength(1);
			expect(failed[0].json.details).toMatchObject({ kind: 'authentication', httpCode: '401' });
			expect(String(failed[0].json.error)).toMatch(/401/);
			// The node wired to the error output ran with that item; the one on the success output did not run.
			expect(items(`${name} failed`)).toHaveLength(1);
			expect(items(`${name} ok`)).toEqual([]);
		}
	});

	it('continueRegularOutput: the same error item goes on the success output', async () => {
		const items = await runData('errOutputRegular01');
		for (const { name } of NODES) {
			const passed = items(`${name} ok`);
			expect(passed).toHaveLength(1);
			expect(Object.keys(passed[0].json).sort()).toEqual(['details', 'error']);
			expect(passed[0].json.details).toMatchObject({ kind: 'authentication', httpCode: '401' });
		}
	});
});
