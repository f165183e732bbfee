/**
 * LiteLLM Chat behind a Webhook in Streaming mode, in a real n8n 2.41.1: the caller reads n8n's streamed
 * response (one JSON object per line) while LiteLLM is still sending, and the text pieces make up the
 * answer. Against the LiteLLM simulator, streaming with a pause between chunks.
 */
import { readFixture } from '../simulators/fixtures';
import { LiteLlmSimulator } from '../simulators/litellm';
import { type N8nSuite, setupN8n, type WorkflowJson } from './harness';

const MASTER_KEY = 'sk-e2e-stream-master-42ab';
const VIRTUAL_KEY = 'sk-e2e-stream-virtual-93cd';
const PROMPT = 'Stream me a sentence about rivers, mountains and the sea';

interface Line {
	type: string;
	content?: string;
	metadata?: { nodeName?: string; itemIndex?: number };
}

const WORKFLOW: WorkflowJson = {
	name: 'Chat streaming e2e',
	nodes: [
		{
			id: 'b1000000-0000-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: [0, 0],
			webhookId: 'c2000000-0000-4000-8000-000000000002',
			parameters: {
				httpMethod: 'POST',
				path: 'chat-stream',
				responseMode: 'streaming',
				options: {},
			},
		},
		{
			id: 'b1000000-0000-4000-8000-000000000003',
			name: 'LiteLLM Chat',
			type: 'n8n-nodes-litellm.liteLlmChat',
			typeVersion: 1,
			position: [300, 0],
			parameters: {
				model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
				promptType: 'simple',
				userMessage: '={{ $json.body.prompt }}',
				options: {},
			},
			credentials: { liteLlmApi: { id: 'liteLlmStream001', name: 'LiteLLM' } },
		},
	],
	connections: { Webhook: { main: [[{ node: 'LiteLLM Chat', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

describe('LiteLLM Chat streams into a streaming Webhook response', () => {
	let suite: N8nSuite;
	const liteLlm = new LiteLlmSimulator({
		configYaml: readFixture('litellm-config.yaml'),
		env: { LITELLM_MASTER_KEY: MASTER_KEY, OPENAI_API_KEY: 'sk-upstream-openai' },
		// A pause after every chunk: the stream lasts long enough to be read while it is still coming.
		streamChunkDelayMs: 150,
	});

	beforeAll(async () => {
		await liteLlm.start();
		liteLlm.addVirtualKey({ key: VIRTUAL_KEY, key_alias: 'stream', models: ['gpt-4o-mini'] });
		suite = await setupN8n();
		await suite.n8n.importCredentials([
			{
				id: 'liteLlmStream001',
				name: 'LiteLLM',
				type: 'liteLlmApi',
				data: { baseUrl: liteLlm.url, apiKey: VIRTUAL_KEY },
			},
		]);
		const id = await suite.n8n.importWorkflow(WORKFLOW);
		await suite.n8n.start();
		await suite.n8n.activateWorkflow(id);
	});

	afterAll(async () => {
		await suite?.teardown();
		await liteLlm.stop();
	});

	/** POSTs to the webhook (waiting for its registration) and reads the response line by line. */
	async function streamLines(onLine: (line: Line) => void): Promise<void> {
		const deadline = Date.now() + 15_000;
		let res: Response;
		for (;;) {
			res = await fetch(`${suite.n8n.baseUrl}/webhook/chat-stream`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ prompt: PROMPT }),
			});
			if (res.status !== 404 || Date.now() > deadline) break;
			await res.text();
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		expect(res.status).toBe(200);
		const decoder = new TextDecoder();
		let buffer = '';
		for await (const bytes of res.body!) {
			buffer += decoder.decode(bytes, { stream: true });
			let newline: number;
			while ((newline = buffer.indexOf('\n')) >= 0) {
				const text = buffer.slice(0, newline).trim();
				buffer = buffer.slice(newline + 1);
				if (text) onLine(JSON.parse(text) as Line);
			}
		}
	}

	it('text pieces arrive while LiteLLM is still streaming, between begin and end, and make up the answer', async () => {
		const key = liteLlm.keyRow(VIRTUAL_KEY)!;
		const lines: Line[] = [];
		// LiteLLM charges the key only once its stream has ended: a piece that arrives while the key is
		// still uncharged arrived while the answer was still being generated.
		let spendAtFirstPiece: number | undefined;
		await streamLines((line) => {
			if (line.type === 'item' && spendAtFirstPiece === undefined) spendAtFirstPiece = key.spend;
			lines.push(line);
		});
		const ours = lines.filter((l) => l.metadata?.nodeName === 'LiteLLM Chat');
		const types = ours.map((l) => l.type);
		expect(types[0]).toBe('begin');
		expect(types[types.length - 1]).toBe('end');
		const pieces = ours.filter((l) => l.type === 'item').map((l) => l.content ?? '');
		expect(pieces.length).toBeGreaterThan(2);
		expect(spendAtFirstPiece).toBe(0);
		// ...and the charge does come, once the simulator has closed its stream (just after [DONE]).
		for (let waited = 0; key.spend === 0 && waited < 5_000; waited += 100)
			await new Promise((resolve) => setTimeout(resolve, 100));
		expect(key.spend).toBeGreaterThan(0);
		expect(pieces.join('')).toContain('rivers, mountains and the sea');
		const sent = liteLlm.ledger.filter((e) => e.path === '/chat/completions').pop()!.body;
		expect(sent).toMatchObject({ stream: true, stream_options: { include_usage: true } });
		// Nothing of the key in what the caller read.
		expect(JSON.stringify(lines)).not.toContain(VIRTUAL_KEY);
	});
});
