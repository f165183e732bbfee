/**
 * Shared set-up of the Chat node's engine tests: the LiteLLM and OpenRouter simulators on loopback, keys,
 * and a `chat()` that runs the built node inside n8n-core's WorkflowExecute.
 */
import { createServer } from 'node:net';
import path from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	StructuredChunk,
} from 'n8n-workflow';

import { REPO_ROOT, runNode, type NodeRun } from '../harness';
import { readFixture } from '../../simulators/fixtures';
import { LiteLlmSimulator } from '../../simulators/litellm';
import { OpenRouterSimulator } from '../../simulators/openrouter';

export const MASTER_KEY = 'sk-master-engine-test-0001';
export const VIRTUAL_KEY = 'sk-virtual-engine-test-7777';
export const OPENROUTER_KEY = `sk-or-v1-${'5e'.repeat(32)}`;
export const ALL_SECRETS = [MASTER_KEY, VIRTUAL_KEY, OPENROUTER_KEY];

export async function startLiteLlm(): Promise<LiteLlmSimulator> {
	const sim = new LiteLlmSimulator({
		configYaml: readFixture('litellm-config.yaml'),
		env: {
			LITELLM_MASTER_KEY: MASTER_KEY,
			OPENAI_API_KEY: 'sk-upstream-openai-000000000001',
			AZURE_API_KEY: 'azure-upstream-0001',
			ANTHROPIC_API_KEY: 'sk-ant-upstream-000000000001',
			GEMINI_API_KEY: 'AIzaUpstream000000000000000000001',
		},
	});
	await sim.start();
	return sim;
}

export async function startOpenRouter(): Promise<OpenRouterSimulator> {
	const sim = new OpenRouterSimulator();
	await sim.start();
	sim.addKey({ key: OPENROUTER_KEY, label: 'engine-test', credits: 25 });
	return sim;
}

/**
 * Both simulators for one describe block: started once, breakers reset before each test, faults cleared after
 * it, stopped at the end. `ready` receives them once they listen.
 */
export function withChatSimulators(
	ready: (litellm: LiteLlmSimulator, openrouter: OpenRouterSimulator) => void,
): void {
	let litellm: LiteLlmSimulator;
	let openrouter: OpenRouterSimulator;
	beforeAll(async () => {
		[litellm, openrouter] = await Promise.all([startLiteLlm(), startOpenRouter()]);
		ready(litellm, openrouter);
	});
	beforeEach(() => resetBreakers());
	afterEach(() => {
		litellm.faults.clear();
		litellm.resetFaults();
		openrouter.faults.clear();
		openrouter.resetFaults();
	});
	afterAll(async () => Promise.all([litellm.stop(), openrouter.stop()]));
}

/** The chat calls OpenRouter received. */
export const openRouterChats = (openrouter: OpenRouterSimulator) =>
	openrouter.ledger.filter((e) => e.path === '/api/v1/chat/completions');

/** A port nobody listens on: bound, read, released. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** The breaker state lives in the built package's module, the one n8n loads. */
export function resetBreakers(): void {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const breaker = require(path.join(REPO_ROOT, 'dist/nodes/shared/failover/breaker.js')) as {
		resetBreakers: () => void;
	};
	breaker.resetBreakers();
}

export interface ChatRun {
	liteLlmUrl: string;
	apiKey?: string;
	openRouterUrl?: string;
	parameters: IDataObject;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** A streaming run (n8n streams the response): the chunks the node sends. */
	onChunk?: (chunk: StructuredChunk) => void;
}

export const model = (name: string) => ({ __rl: true, mode: 'id', value: name });

export async function chat(run: ChatRun): Promise<NodeRun> {
	const credentials: Record<string, ICredentialDataDecryptedObject> = {
		liteLlmApi: { baseUrl: run.liteLlmUrl, apiKey: run.apiKey ?? MASTER_KEY },
	};
	if (run.openRouterUrl)
		credentials.liteLlmOpenRouterApi = {
			apiKey: OPENROUTER_KEY,
			baseUrl: run.openRouterUrl,
			appTitle: 'n8n engine test',
		};
	return runNode({
		nodeType: 'liteLlmChat',
		parameters: { promptType: 'simple', userMessage: 'Hello there', ...run.parameters },
		credentials,
		items: run.items,
		continueOnFail: run.continueOnFail,
		onChunk: run.onChunk,
		workflow: { id: 'wf-chat-1', name: 'Chat engine test' },
		executionId: 'exec-42',
	});
}

/** Failover switched on, mapping gpt-4o-mini to OpenRouter's id, with a fallback list. */
export function failoverParameters(extra: IDataObject = {}): IDataObject {
	return {
		enableFailover: true,
		failoverOptions: {
			mapping: {
				entries: [
					{
						liteLlmModel: 'gpt-4o-mini',
						openRouterModel: 'openai/gpt-4o-mini',
						fallbackModels: 'anthropic/claude-3.5-haiku',
					},
				],
			},
			breakerThreshold: 2,
			breakerCooldown: 1,
			...extra,
		},
	};
}

/** The chat requests LiteLLM received. */
export function chatCalls(sim: LiteLlmSimulator) {
	return sim.ledger.filter((e) => e.path === '/chat/completions' && e.method === 'POST');
}

/** The HTTP status n8n recorded on a NodeApiError (the run keeps a plain copy of the error). */
export function httpCodeOf(error: unknown): string | undefined {
	return (error as { httpCode?: string | null } | undefined)?.httpCode ?? undefined;
}
