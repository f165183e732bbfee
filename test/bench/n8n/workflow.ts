/**
 * The real-n8n bench's workflows: Manual Trigger, then one branch per measured node, each branch a Code node
 * making N items and the node under test. With n8n's v1 execution order a branch runs to its end before the
 * next one starts (top to bottom), so the nodes never run at the same time and each node's `executionTime` in
 * the run data is its own. Warm-up branches (few items, no latency) come first, so every measured node runs
 * with its code already loaded and compiled, as in a long-lived n8n.
 */
import type { CredentialImport, WorkflowJson } from '../../e2e/harness';
import { BENCH_KEY, BENCH_MODEL, latencyBaseUrl } from '../servers/chat-latency';

/** The measured nodes, in table order. */
export const COLUMNS = ['openai', 'http', 'chatDefault', 'chat16'] as const;
export type Column = (typeof COLUMNS)[number];

export const COLUMN_TITLES: Record<Column, string> = {
	openai: 'n8n OpenAI 1.8 (sequential)',
	http: 'n8n HTTP Request 4.2',
	chatDefault: 'LiteLLM Chat, default concurrency',
	chat16: 'LiteLLM Chat, concurrency 16',
};

export interface Branch {
	column: Column;
	items: number;
	latencyMs: number;
	/** The node's name in the workflow and in the run data. */
	name: string;
}

const PROMPT = 'Summarise item {{ $json.n }}';

/** One credential per type and latency; ids are stable so the workflows can name them. */
export function credentialsFor(serverUrl: string, latencies: number[]): CredentialImport[] {
	return latencies.flatMap((ms) => [
		{
			id: `benchOpenAi${String(ms).padStart(5, '0')}`,
			name: `bench OpenAI ${ms} ms`,
			type: 'openAiApi',
			data: { apiKey: BENCH_KEY, url: latencyBaseUrl(serverUrl, ms), header: false },
		},
		{
			id: `benchLiteLlm${String(ms).padStart(5, '0')}`,
			name: `bench LiteLLM ${ms} ms`,
			type: 'liteLlmApi',
			data: { baseUrl: latencyBaseUrl(serverUrl, ms), apiKey: BENCH_KEY },
		},
	]);
}

function credentialRef(type: 'openAiApi' | 'liteLlmApi', latencyMs: number) {
	const prefix = type === 'openAiApi' ? 'benchOpenAi' : 'benchLiteLlm';
	const id = `${prefix}${String(latencyMs).padStart(5, '0')}`;
	return {
		[type]: { id, name: `bench ${type === 'openAiApi' ? 'OpenAI' : 'LiteLLM'} ${latencyMs} ms` },
	};
}

/** The node under test for one branch, as n8n stores it. */
function nodeUnderTest(branch: Branch, serverUrl: string): Record<string, unknown> {
	const { column, latencyMs, name } = branch;
	if (column === 'openai') {
		return {
			name,
			type: '@n8n/n8n-nodes-langchain.openAi',
			typeVersion: 1.8,
			parameters: {
				resource: 'text',
				operation: 'message',
				modelId: { __rl: true, mode: 'id', value: BENCH_MODEL },
				messages: { values: [{ content: `=${PROMPT}` }] },
				options: {},
			},
			credentials: credentialRef('openAiApi', latencyMs),
		};
	}
	if (column === 'http') {
		return {
			name,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'POST',
				url: `${latencyBaseUrl(serverUrl, latencyMs)}/chat/completions`,
				sendHeaders: true,
				headerParameters: {
					parameters: [{ name: 'Authorization', value: `Bearer ${BENCH_KEY}` }],
				},
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ model: "${BENCH_MODEL}", messages: [{ role: "user", content: "Summarise item " + $json.n }] }) }}`,
				options: {},
			},
		};
	}
	return {
		name,
		type: 'n8n-nodes-litellm.liteLlmChat',
		typeVersion: 1,
		parameters: {
			model: { __rl: true, mode: 'id', value: BENCH_MODEL },
			promptType: 'simple',
			userMessage: `=${PROMPT}`,
			options: column === 'chat16' ? { concurrency: 16 } : {},
		},
		credentials: credentialRef('liteLlmApi', latencyMs),
	};
}

/** Manual Trigger → (Code making `items` items → node) per branch, branches top to bottom in order. */
export function benchWorkflow(name: string, branches: Branch[], serverUrl: string): WorkflowJson {
	const nodes: Array<Record<string, unknown>> = [
		{
			id: 'trigger',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	];
	const connections: Record<string, unknown> = {};
	const fromStart: Array<{ node: string; type: 'main'; index: 0 }> = [];
	branches.forEach((branch, b) => {
		const maker = `Make ${branch.items} items for ${branch.name}`;
		nodes.push({
			id: `make${b}`,
			name: maker,
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [250, b * 200],
			parameters: {
				jsCode: `return Array.from({ length: ${branch.items} }, (_, n) => ({ json: { n } }));`,
			},
		});
		nodes.push({ id: `node${b}`, position: [500, b * 200], ...nodeUnderTest(branch, serverUrl) });
		fromStart.push({ node: maker, type: 'main', index: 0 });
		connections[maker] = { main: [[{ node: branch.name, type: 'main', index: 0 }]] };
	});
	connections.Start = { main: [fromStart] };
	return { name, nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

/** Warm-up branches (no latency, a few items) then the measured ones. */
export function rowBranches(
	measured: Array<{ column: Column; items: number }>,
	latencyMs: number,
	warmupItems = 20,
): Branch[] {
	const warmups = COLUMNS.map((column) => ({
		column,
		items: warmupItems,
		latencyMs: 0,
		name: `warm-up ${column}`,
	}));
	const runs = measured.map(({ column, items }) => ({
		column,
		items,
		latencyMs,
		name: `${column} ${items} items`,
	}));
	return [...warmups, ...runs];
}
