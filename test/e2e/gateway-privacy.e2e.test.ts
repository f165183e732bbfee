/**
 * The gateway workflow (workflows/openrouter-failover.json) in a real n8n 2.41.1 leaves its callers' bearer
 * token and prompts nowhere in n8n's user folder once the calls are over: not in the SQLite files (database,
 * write-ahead log, shared memory), not in execution data files. First with the settings the README asks for
 * (GATEWAY_PRIVACY_ENV), then, as a control that proves the search finds what is there, the same user folder
 * started again without them: n8n's database then holds the token after one call.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import OpenAI from 'openai';

import { GATEWAY_PRIVACY_ENV } from '../sandbox/gateway-privacy';
import { readFixture } from '../simulators/fixtures';
import { LiteLlmSimulator } from '../simulators/litellm';
import { OpenRouterSimulator } from '../simulators/openrouter';
import {
	type FileHit,
	findInFiles,
	N8nInstance,
	type N8nSuite,
	REPO_ROOT,
	setupN8n,
} from './harness';
import {
	gatewayTokenCredential,
	liteLlmProxyCredential,
	openRouterCredential,
} from './harness/shipped-credentials';

const MASTER_KEY = 'sk-e2e-privacy-master-31cc';
const VIRTUAL_KEY = 'sk-e2e-privacy-virtual-5d4e';
const OPENROUTER_KEY = `sk-or-v1-${'7c'.repeat(32)}`;
// Random per run: a hit can only come from this run's calls.
const GATEWAY_TOKEN = `e2e-privacy-token-${Math.random().toString(36).slice(2, 12)}`;
const PROMPT = `privacy probe prompt ${Math.random().toString(36).slice(2, 12)}`;
const NEEDLES = [GATEWAY_TOKEN, PROMPT];

/** Longer than one pruning round (6 s with GATEWAY_PRIVACY_ENV) plus a slow machine's margin. */
const PRUNE_WAIT_MS = 30_000;

describe('the gateway keeps callers’ tokens and prompts out of n8n’s storage', () => {
	let suite: N8nSuite;
	let control: N8nInstance | undefined;
	const liteLlm = new LiteLlmSimulator({
		configYaml: readFixture('litellm-config.yaml'),
		env: {
			LITELLM_MASTER_KEY: MASTER_KEY,
			OPENAI_API_KEY: 'sk-upstream-openai',
			ANTHROPIC_API_KEY: 'sk-ant-upstream',
		},
	});
	const openRouter = new OpenRouterSimulator();

	const clientFor = (n8n: N8nInstance) =>
		new OpenAI({
			apiKey: GATEWAY_TOKEN,
			baseURL: `${n8n.baseUrl}/webhook/llm-gateway/v1`,
			maxRetries: 0,
			timeout: 60_000,
		});

	/** Waits for the webhook to be registered, with a call that carries neither token nor prompt. */
	const waitForWebhook = async (n8n: N8nInstance) => {
		const res = await n8n.webhook('llm-gateway/v1/chat/completions', {}, {});
		// n8n's Header Auth answers 403 to a request without the header.
		expect(res.status).toBe(403);
	};

	beforeAll(async () => {
		await Promise.all([liteLlm.start(), openRouter.start()]);
		liteLlm.addVirtualKey({ key: VIRTUAL_KEY, key_alias: 'privacy', models: ['gpt-4o-mini'] });
		openRouter.addKey({ key: OPENROUTER_KEY, credits: 10 });
		suite = await setupN8n({ env: { ...GATEWAY_PRIVACY_ENV } });
		await suite.n8n.importCredentials([
			liteLlmProxyCredential(liteLlm.url, VIRTUAL_KEY),
			openRouterCredential(openRouter.baseUrl, OPENROUTER_KEY),
			gatewayTokenCredential(GATEWAY_TOKEN),
		]);
		const id = await suite.n8n.importWorkflow(
			join(REPO_ROOT, 'workflows', 'openrouter-failover.json'),
		);
		// The harness hands imports to n8n as plain JSON files in the user folder; they are not n8n's storage.
		await rm(join(suite.userFolder, 'imports'), { recursive: true, force: true });
		await suite.n8n.start();
		await suite.n8n.activateWorkflow(id);
		await waitForWebhook(suite.n8n);
	});

	afterAll(async () => {
		await control?.stop();
		await suite?.teardown();
		await Promise.all([liteLlm.stop(), openRouter.stop()]);
	});

	it('with the settings: after buffered, streamed and failed calls, no byte of the user folder holds them', async () => {
		const client = clientFor(suite.n8n);
		const completion = await client.chat.completions.create({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: PROMPT }],
		});
		expect(completion.choices[0].message.content).toContain(PROMPT);

		const stream = await client.chat.completions.create({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: PROMPT }],
			stream: true,
		});
		let streamed = '';
		for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
		expect(streamed).toContain(PROMPT);

		const failed = await client.chat.completions
			.create({ model: 'no-such-model', messages: [{ role: 'user', content: PROMPT }] })
			.then(
				() => undefined,
				(error: unknown) => error,
			);
		expect(failed).toBeInstanceOf(OpenAI.BadRequestError);

		// The simulator saw the prompt: the calls really carried it through n8n.
		expect(JSON.stringify(liteLlm.ledger)).toContain(PROMPT);

		let hits: FileHit[] = [];
		const deadline = Date.now() + PRUNE_WAIT_MS;
		do {
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			hits = await findInFiles(suite.userFolder, NEEDLES);
		} while (hits.length > 0 && Date.now() < deadline);
		expect(hits).toEqual([]);
	});

	it('control, same folder without the settings: the database holds the token after one call', async () => {
		await suite.n8n.stop();
		control = await N8nInstance.create({
			runtime: suite.prepared.runtime,
			userFolder: suite.userFolder,
		});
		await control.start();
		await waitForWebhook(control);
		const completion = await clientFor(control).chat.completions.create({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: PROMPT }],
		});
		expect(completion.choices[0].message.content).toContain(PROMPT);
		const hits = await findInFiles(suite.userFolder, NEEDLES);
		expect(hits.filter((h) => /database\.sqlite/.test(h.file)).map((h) => h.needle)).toEqual(
			expect.arrayContaining([GATEWAY_TOKEN, PROMPT]),
		);
	});
});
