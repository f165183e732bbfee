/**
 * What `npm start` shows of the SANDBOX (test/sandbox/start.ts, sandbox.ts): the real simulators started in
 * process, the credentials planned from the shipped workflows, and the banner printed from them. The e2e
 * test (test/e2e/start.e2e.test.ts) checks the same banner from a real `npm start`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SANDBOX_GATEWAY_TOKEN, type Sandbox, startSandbox } from '../../sandbox/sandbox';
import {
	describe as banner,
	oneLine,
	planCredentials,
	type RunningLocal,
} from '../../sandbox/start';
import { readShippedWorkflows } from '../../sandbox/workflows';

describe('the sandbox banner', () => {
	let sandbox: Sandbox;
	let text: string;
	let plan: ReturnType<typeof planCredentials>;

	beforeAll(async () => {
		sandbox = await startSandbox();
		const workflows = readShippedWorkflows(undefined, sandbox.slackWebhookUrl);
		plan = planCredentials(workflows, sandbox.credentials, sandbox.credentialsById);
		const running = {
			url: 'http://localhost:5678',
			port: 5678,
			owner: { email: 'owner@localhost.test', password: 'pw', firstName: 'L', lastName: 'O' },
			ownerCreated: false,
			folder: join(tmpdir(), 'n8n-local'),
			sandbox,
			workflows: workflows.map((w) => ({
				id: w.json.id ?? '',
				name: w.json.name,
				file: w.file,
				active: w.file === 'openrouter-failover.json',
				webhooks: w.file === 'openrouter-failover.json' ? ['llm-gateway/v1/chat/completions'] : [],
			})),
			credentials: plan.imports.map((c) => ({
				id: c.id,
				name: c.name,
				type: c.type,
				test: 'test OK',
			})),
			missingCredentials: plan.missingCredentials,
			ignoredVariables: [],
			logFile: join(tmpdir(), 'n8n-local', 'n8n.log'),
		} as unknown as RunningLocal;
		text = banner(running);
	});

	afterAll(async () => {
		await sandbox?.stop();
	});

	it("prints the gateway's bearer header, naming its credential", () => {
		expect(text).toContain(
			`with header: Authorization: Bearer ${SANDBOX_GATEWAY_TOKEN}  (the "LLM gateway token" credential)`,
		);
		expect(text).toContain(
			'webhook: POST http://localhost:5678/webhook/llm-gateway/v1/chat/completions',
		);
	});

	it('imports and lists every credential the workflows use, the LLM gateway token too', () => {
		expect(plan.missingCredentials).toEqual([]);
		const names = plan.imports.map((c) => `${c.name} (${c.type})`);
		expect(names).toContain('LLM gateway token (httpHeaderAuth)');
		for (const name of names) expect(text).toContain(`  ${name}: `);
		expect(plan.imports.find((c) => c.type === 'httpHeaderAuth')?.data).toEqual({
			name: 'Authorization',
			value: `Bearer ${SANDBOX_GATEWAY_TOKEN}`,
		});
	});

	it('gives every virtual key a different mask (prefix and last four)', () => {
		// key_name is LiteLLM's own mask, and what the Key Manager shows of a virtual key.
		const rows = [...sandbox.litellm.ctx.state.keys.values()].filter((r) => r.key_alias);
		expect(rows.length).toBeGreaterThanOrEqual(4);
		for (const r of rows) expect(r.key_name).toMatch(/^sk-\.\.\.\w{4}$/);
		expect(new Set(rows.map((r) => r.key_name)).size).toBe(rows.length);
	});

	it('lists every simulator on 127.0.0.1 and remembers its port', () => {
		for (const s of sandbox.services) {
			expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
			expect(text).toContain(s.url);
		}
		expect(Object.values(sandbox.ports).every((p) => p > 0)).toBe(true);
	});
});

describe('Slack lines in the terminal', () => {
	it('cuts a long first line at the limit with an ellipsis that says so', () => {
		const line = oneLine('x'.repeat(300), 160);
		expect(line).toHaveLength(160);
		expect(line.endsWith('…')).toBe(true);
	});

	it('marks a message with more lines, and leaves a short one alone', () => {
		expect(oneLine('Key validation: 2 problems\n• GROQ_API_KEY rate_limited', 160)).toBe(
			'Key validation: 2 problems …',
		);
		expect(oneLine('short', 160)).toBe('short');
	});
});

describe('sandbox ports', () => {
	it('starts each simulator on the port it had last time, and on a free one when that is taken', async () => {
		const first = await startSandbox();
		const ports = first.ports;
		await first.stop();
		const second = await startSandbox({ ports });
		try {
			expect(second.ports).toEqual(ports);
			const third = await startSandbox({ ports });
			try {
				// Every remembered port is in use by `second`: each simulator falls back to a free port.
				for (const [name, port] of Object.entries(third.ports))
					expect([name, port === ports[name as keyof typeof ports]]).toEqual([name, false]);
			} finally {
				await third.stop();
			}
		} finally {
			await second.stop();
		}
	});
});
