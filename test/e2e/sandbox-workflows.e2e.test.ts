/**
 * The promise of `npm start`'s SANDBOX: a newcomer can run every shipped workflow offline, and each has
 * something to show. startLocal() in process (free port, temp user folder), then each workflow through
 * `n8n execute` (what "Execute workflow" does), checked by its Slack messages at the sandbox receiver.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startLocal, type RunningLocal } from '../sandbox/start';
import { freePort } from './harness';

describe('sandbox: every shipped workflow runs offline', () => {
	let folder: string;
	let running: RunningLocal;

	beforeAll(async () => {
		folder = await mkdtemp(join(tmpdir(), 'n8n-litellm-sandbox-'));
		const port = await freePort();
		running = await startLocal({
			env: { PATH: process.env.PATH, HOME: process.env.HOME, N8N_PORT: String(port) },
			folder,
			log: () => undefined,
		});
	}, 8 * 60_000);

	afterAll(async () => {
		await running?.stop();
		await rm(folder, { recursive: true, force: true });
	});

	async function run(id: string): Promise<string[]> {
		const before = running.sandbox!.slack.messages.length;
		const result = await running.n8n.execute(id);
		expect([id, result.exitCode, result.run?.status]).toEqual([id, 0, 'success']);
		return running
			.sandbox!.slack.messages.slice(before)
			.map((m) => String((m as { text?: string }).text));
	}

	it('key validation reports the invalid and rate-limited keys and the expiring virtual keys', async () => {
		const [message, ...rest] = await run('keyValidation0001');
		expect(rest).toEqual([]);
		expect(message).toMatch(/GROQ_API_KEY rate_limited/);
		expect(message).toMatch(/TOGETHERAI_API_KEY invalid/);
		expect(message).toMatch(/mcp-tools/);
		expect(message).toMatch(/open-webui/);
	});

	it('cost alerts post the budget crossings and the daily report', async () => {
		const messages = await run('costAlerts000001');
		expect(messages.some((m) => /agents .*crossed 95%/.test(m))).toBe(true);
		expect(messages.some((m) => /open-webui .*crossed 80%/.test(m))).toBe(true);
		expect(messages.some((m) => /LiteLLM spend/.test(m))).toBe(true);
	});

	it('key rotation rotates the old virtual key and the OpenRouter and Perplexity keys', async () => {
		const [summary] = await run('keyRotation00001');
		expect(summary).toMatch(/Key rotation: 3 rotated/);
		expect(summary).toMatch(/OPEN_WEBUI_LITELLM_KEY/);
		expect(summary).toMatch(/OPENROUTER_API_KEY/);
		expect(summary).toMatch(/PERPLEXITYAI_API_KEY/);
	});

	it('the AI Agent example asks the Calculator and answers from its result', async () => {
		const result = await running.n8n.execute('aiAgentLiteLlm0001');
		expect([result.exitCode, result.run?.status]).toEqual([0, 'success']);
		const runData = result.run!.data.resultData.runData;
		// The Calculator sub-node really ran inside n8n, on the question of the Settings node.
		expect(runData.Calculator?.length).toBeGreaterThanOrEqual(1);
		expect(runData['AI Agent'][0].data?.main[0]?.[0].json.output).toBe(
			'Tool Calculator returned: 42',
		);
	});
});
