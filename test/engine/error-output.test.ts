/**
 * "Continue (using error output)": every node of the package sends a failed item to the error output, with
 * its details, and "Continue" (regular output) keeps the same item on the success output. Run in n8n-core's
 * WorkflowExecute, whose handleNodeErrorOutput is the code that splits the items in a real n8n.
 */
import type { INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { readFixture } from '../simulators/fixtures';
import { LiteLlmSimulator } from '../simulators/litellm';
import { OpenRouterSimulator } from '../simulators/openrouter';
import { registerCredits } from '../simulators/openrouter/credits';
import { runNode, scanForSecrets } from './harness';

const MASTER_KEY = 'sk-master-error-output-0001';
const WRONG_KEY = 'sk-wrong-error-output-00000001';
const OPENROUTER_WRONG = `sk-or-v1-${'3d'.repeat(32)}`;

let litellm: LiteLlmSimulator;
let openRouter: OpenRouterSimulator;

beforeAll(async () => {
	litellm = new LiteLlmSimulator({
		configYaml: readFixture('litellm-config.yaml'),
		env: { LITELLM_MASTER_KEY: MASTER_KEY },
	});
	openRouter = new OpenRouterSimulator();
	registerCredits(openRouter.server, openRouter.ctx);
	await Promise.all([litellm.start(), openRouter.start()]);
});
afterAll(async () => {
	await Promise.all([litellm.stop(), openRouter.stop()]);
});

const credentials = () => ({
	liteLlmApi: { baseUrl: litellm.url, apiKey: WRONG_KEY },
	liteLlmOpenRouterApi: {
		apiKey: OPENROUTER_WRONG,
		baseUrl: openRouter.baseUrl,
		appTitle: 'error output test',
		referer: '',
	},
	liteLlmInfisicalApi: {
		siteUrl: 'http://127.0.0.1:9',
		clientId: 'x',
		clientSecret: 'y',
		projectId: 'p',
		environment: 'prod',
		folderPath: '/',
		accessToken: '',
	},
});

const CASES: Array<{ node: string; parameters: INodeParameters; status: string; kind: string }> = [
	{
		node: 'liteLlmChat',
		parameters: {
			model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
			promptType: 'simple',
			userMessage: 'Hello',
		},
		status: '401',
		kind: 'authentication',
	},
	{
		node: 'liteLlmKeyManager',
		parameters: { resource: 'model', operation: 'listModels' },
		status: '401',
		kind: 'authentication',
	},
	{
		node: 'liteLlmUsage',
		parameters: { operation: 'openRouterUsage' },
		status: '401',
		kind: 'authentication',
	},
];

const inputs: INodeExecutionData[] = [{ json: { n: 0 } }, { json: { n: 1 } }];

async function run(nodeType: string, parameters: INodeParameters, onError: INode['onError']) {
	return runNode({
		nodeType,
		parameters,
		credentials: credentials() as never,
		items: inputs,
		onError,
	});
}

describe.each(CASES)('$node', ({ node, parameters, status, kind }) => {
	it('continueErrorOutput: failed items leave on the error output, details kept, nothing on the success output', async () => {
		const result = await run(node, parameters, 'continueErrorOutput');
		expect(result.error).toBeUndefined();
		expect(result.outputs).toHaveLength(2);
		const [success, failed] = result.outputs;
		expect(success).toEqual([]);
		expect(failed).toHaveLength(2);
		for (const item of failed) {
			expect(typeof item.json.error).toBe('string');
			expect(item.json.details).toMatchObject({ kind, httpCode: status });
			expect(String((item.json.details as { description?: string }).description)).toContain(
				`HTTP ${status}`,
			);
		}
		expect(
			scanForSecrets([result.outputs, result.logs], [WRONG_KEY, OPENROUTER_WRONG, MASTER_KEY]),
		).toEqual([]);
	});

	it('continueRegularOutput: the same error items on the success output, paired with their inputs', async () => {
		const result = await run(node, parameters, 'continueRegularOutput');
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of result.items) {
			expect(Object.keys(item.json).sort()).toEqual(['details', 'error']);
			expect(item.json.details).toMatchObject({ kind, httpCode: status });
		}
	});
});
