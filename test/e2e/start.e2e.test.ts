/**
 * `npm start` as a user runs it: the start script in its own process group (as a terminal runs it), on a
 * free port and in a temp user folder. It must come up in sandbox mode, print the login, serve n8n with
 * the workflows and credentials imported, answer the gateway through the simulated LiteLLM, and on SIGINT
 * (Ctrl-C) stop n8n and every simulator and exit 0. Then it starts again in the same folder (a warm start):
 * nothing changed, so build, pack, install and import are skipped, and the browser session of the first
 * start is still logged in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, REPO_ROOT } from './harness';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ port, host: '127.0.0.1' });
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('error', () => resolve(false));
	});
}

/** Pids of processes whose working directory is `dir` (n8n and its task runner run in the user folder). */
function processesIn(dir: string): number[] {
	return readdirSync('/proc')
		.filter((d) => /^\d+$/.test(d))
		.filter((d) => {
			try {
				return readlinkSync(`/proc/${d}/cwd`) === dir;
			} catch {
				return false;
			}
		})
		.map(Number);
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('npm start (test/sandbox/start.ts)', () => {
	let folder: string;
	let port: number;
	let child: ChildProcess;
	let output = '';
	let exited: Promise<number | null>;

	let cookie = '';

	/** Runs `npm start` (its script) and waits for the banner's last line. */
	async function start(): Promise<void> {
		output = '';
		const env = Object.fromEntries(
			Object.entries(process.env).filter(
				([k]) => !/^(N8N_|LITELLM_|OPENROUTER_|INFISICAL_|SLACK_)/.test(k) && k !== 'NODE_ENV',
			),
		);
		child = spawn(TSX, ['test/sandbox/start.ts'], {
			cwd: REPO_ROOT,
			env: { ...env, N8N_PORT: String(port), N8N_LOCAL_DIR: folder },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // its own process group, like a terminal's foreground job
		});
		child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
		child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
		exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
		const deadline = Date.now() + 8 * 60_000;
		while (!output.includes('Stop everything: Ctrl-C')) {
			if (child.exitCode !== null)
				throw new Error(`start exited early (${child.exitCode}):\n${output}`);
			if (Date.now() > deadline) throw new Error(`start not ready:\n${output}`);
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	beforeAll(async () => {
		folder = await mkdtemp(join(tmpdir(), 'n8n-litellm-start-'));
		port = await freePort();
		await start();
	}, 9 * 60_000);

	afterAll(async () => {
		if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
		await rm(folder, { recursive: true, force: true });
	});

	it('prints a SANDBOX banner with the login, and n8n answers readiness', async () => {
		expect(output).toContain(`n8n is ready at http://localhost:${port}`);
		expect(output).toContain('*** SANDBOX ***');
		const owner = JSON.parse(readFileSync(join(folder, 'owner.json'), 'utf8')) as {
			owner: { email: string; password: string };
		};
		expect(output).toContain(`password ${owner.owner.password}`);
		const ready = await fetch(`http://127.0.0.1:${port}/healthz/readiness`);
		expect(await ready.json()).toEqual({ status: 'ok' });
	});

	it('logs in as the printed owner and lists the imported workflows and credentials', async () => {
		const { owner } = JSON.parse(readFileSync(join(folder, 'owner.json'), 'utf8')) as {
			owner: { email: string; password: string };
		};
		const login = await fetch(`http://127.0.0.1:${port}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		expect(login.status).toBe(200);
		cookie = login.headers
			.getSetCookie()
			.find((c) => c.startsWith('n8n-auth='))!
			.split(';')[0];
		const workflows = (await (
			await fetch(`http://127.0.0.1:${port}/rest/workflows`, { headers: { cookie } })
		).json()) as { data: Array<{ id: string }> };
		const shipped = [
			'keyValidation0001',
			'keyRotation00001',
			'costAlerts000001',
			'llmGateway000001',
		];
		expect(workflows.data.map((w) => w.id)).toEqual(expect.arrayContaining(shipped));
		const credentials = (await (
			await fetch(`http://127.0.0.1:${port}/rest/credentials`, { headers: { cookie } })
		).json()) as { data: Array<{ type: string }> };
		expect(new Set(credentials.data.map((c) => c.type))).toEqual(
			new Set(['liteLlmApi', 'liteLlmOpenRouterApi', 'liteLlmInfisicalApi', 'httpHeaderAuth']),
		);
		// Every credential of the package passed its test against the simulators.
		expect(output).not.toMatch(/test failed/);
	});

	it('prints the gateway bearer header and every credential, the LLM gateway token too', () => {
		expect(output).toContain(
			'with header: Authorization: Bearer sandbox-gateway-token-0001  (the "LLM gateway token" credential)',
		);
		expect(output).toMatch(/^ {2}LLM gateway token \(httpHeaderAuth\): /m);
		// Progress while n8n boots, then how long it took.
		expect(output).toMatch(/starting n8n on http:\/\/localhost:\d+: done in \d+/);
	});

	it('answers the gateway webhook through the sandbox LiteLLM', async () => {
		const res = await fetch(`http://127.0.0.1:${port}/webhook/llm-gateway/v1/chat/completions`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				authorization: 'Bearer sandbox-gateway-token-0001',
			},
			body: JSON.stringify({
				model: 'gpt-4o-mini',
				messages: [{ role: 'user', content: 'hello' }],
			}),
		});
		const body = (await res.json()) as { object: string; route: string };
		expect(res.status).toBe(200);
		expect(body).toMatchObject({ object: 'chat.completion', route: 'litellm' });
	});

	it('stops n8n and every simulator on SIGINT and exits 0', async () => {
		const simPorts = [...output.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
		expect(simPorts.length).toBeGreaterThanOrEqual(5);
		expect(processesIn(folder).length).toBeGreaterThan(0); // n8n runs in the user folder
		process.kill(-child.pid!, 'SIGINT');
		expect(await exited).toBe(0);
		expect(output).toContain('[start] stopped');
		expect(await listening(port)).toBe(false);
		for (const p of simPorts) expect([p, await listening(p)]).toEqual([p, false]);
		// Nothing of the process group is left (n8n runs in its own group and is stopped by pid).
		expect(alive(child.pid!)).toBe(false);
		expect(processesIn(folder)).toEqual([]);
	}, 60_000);
	it(
		'starts warm in the same folder: build, pack, install and import skipped; the session still valid',
		async () => {
			const started = Date.now();
			await start();
			process.stderr.write(`[e2e] warm npm start: ${Date.now() - started} ms to the banner\n`);
			expect(output).toContain('build skipped');
			expect(output).toContain('pack and install skipped');
			expect(output).toContain(
				'credentials and workflows unchanged since the last start: import skipped',
			);
			expect(output).not.toMatch(/importing \d+ workflow/);
			expect(output).not.toMatch(/test failed/);
			// The first start's login (its cookie) is still a session: n8n sees the same owner.
			const me = await fetch(`http://127.0.0.1:${port}/rest/login`, { headers: { cookie } });
			expect(me.status).toBe(200);
			const body = (await me.json()) as { data: { email: string } };
			const { owner } = JSON.parse(readFileSync(join(folder, 'owner.json'), 'utf8')) as {
				owner: { email: string };
			};
			expect(body.data.email).toBe(owner.email);
			// The gateway answers again (workflows and credentials from the first import, active).
			const res = await fetch(`http://127.0.0.1:${port}/webhook/llm-gateway/v1/chat/completions`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					authorization: 'Bearer sandbox-gateway-token-0001',
				},
				body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
			});
			expect(res.status).toBe(200);
			process.kill(-child.pid!, 'SIGINT');
			expect(await exited).toBe(0);
		},
		9 * 60_000,
	);
});
