/**
 * Runs the real LiteLLM proxy (installed by install.ts) on 127.0.0.1 and a free port, with no database:
 *
 *   const proxy = await LiteLlmProxy.start({ configYaml, env: { LITELLM_MASTER_KEY: 'sk-…', OPENAI_API_KEY: '…' } });
 *   await fetch(`${proxy.url}/v1/models`, …);
 *   proxy.pause(); proxy.resume();   // SIGSTOP/SIGCONT: the port still accepts connections, nothing answers
 *   await proxy.stop();              // SIGTERM to its process group, SIGKILL after 10 s
 *
 * The child gets a clean environment (PATH, a private HOME in a temp folder, what the caller passes), never
 * the test process's own: no DATABASE_URL, provider key or proxy variable leaks in. Always set:
 * LITELLM_LOCAL_MODEL_COST_MAP=True (the bundled price map; no download at start), `--telemetry False`, and
 * the admin UI off. Its stdout and stderr are kept (bounded) for `logs()` and for the error when it does not
 * come up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../e2e/harness/free-port';
import { tail } from '../e2e/harness/run-command';
import { ensureLiteLlm, type LiteLlmInstall } from './install';

export interface LiteLlmProxyOptions {
	/** A LiteLLM config.yaml (secrets as `os.environ/NAME`, given in `env`). */
	configYaml: string;
	/** Environment of the proxy on top of the fixed one: master key, provider keys, LITELLM_* switches. */
	env?: Record<string, string>;
	port?: number;
	install?: LiteLlmInstall;
	/** How long to wait for /health/liveliness (default 120 s: importing LiteLLM takes a while on 2 cores). */
	startTimeoutMs?: number;
}

const LOG_LIMIT = 2_000_000;

export class LiteLlmProxy {
	private output = '';

	private exited?: { code: number | null; signal: NodeJS.Signals | null };

	private constructor(
		private readonly child: ChildProcess,
		readonly port: number,
		readonly install: LiteLlmInstall,
		private readonly workDir: string,
	) {
		const keep = (chunk: Buffer) => {
			this.output += chunk.toString('utf8');
			if (this.output.length > LOG_LIMIT) this.output = this.output.slice(-LOG_LIMIT / 2);
		};
		child.stdout?.on('data', keep);
		child.stderr?.on('data', keep);
		// The proxy runs in its own process group (so stop() reaches uvicorn's children too); if this process
		// ends without stop(), the group must not outlive it.
		const orphanGuard = () => this.signalGroup('SIGKILL');
		process.once('exit', orphanGuard);
		child.once('exit', (code, signal) => {
			this.exited = { code, signal };
			process.removeListener('exit', orphanGuard);
		});
	}

	static async start(options: LiteLlmProxyOptions): Promise<LiteLlmProxy> {
		const install = options.install ?? (await ensureLiteLlm());
		const port = options.port ?? (await freePort());
		const workDir = await mkdtemp(join(tmpdir(), 'litellm-proxy-'));
		const configPath = join(workDir, 'config.yaml');
		await writeFile(configPath, options.configYaml);
		const env: NodeJS.ProcessEnv = {
			PATH: `${join(install.venv, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
			HOME: workDir,
			LANG: 'C.UTF-8',
			PYTHONUNBUFFERED: '1',
			LITELLM_LOCAL_MODEL_COST_MAP: 'True',
			DISABLE_ADMIN_UI: 'True',
			...options.env,
		};
		const args = [
			'--config',
			configPath,
			'--host',
			'127.0.0.1',
			'--port',
			String(port),
			'--telemetry',
			'False',
			'--num_workers',
			'1',
		];
		const child = spawn(install.cli, args, {
			cwd: workDir,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const proxy = new LiteLlmProxy(child, port, install, workDir);
		try {
			await proxy.waitReady(options.startTimeoutMs ?? 120_000);
		} catch (error) {
			await proxy.stop();
			throw error;
		}
		return proxy;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get running(): boolean {
		return this.exited === undefined;
	}

	/** The proxy's stdout and stderr so far (the last 1-2 MB). */
	logs(): string {
		return this.output;
	}

	/** Freezes the process (SIGSTOP): connections are accepted by the kernel, no answer comes. */
	pause(): void {
		this.signalGroup('SIGSTOP');
	}

	resume(): void {
		this.signalGroup('SIGCONT');
	}

	async stop(): Promise<void> {
		if (this.running) {
			this.signalGroup('SIGCONT'); // a paused process cannot handle SIGTERM
			this.signalGroup('SIGTERM');
			if (!(await this.waitExit(10_000))) {
				this.signalGroup('SIGKILL');
				await this.waitExit(5_000);
			}
		}
		await rm(this.workDir, { recursive: true, force: true });
	}

	private signalGroup(signal: NodeJS.Signals): void {
		if (!this.running || !this.child.pid) return;
		try {
			process.kill(-this.child.pid, signal);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
		}
	}

	private async waitExit(ms: number): Promise<boolean> {
		const deadline = Date.now() + ms;
		while (this.running && Date.now() < deadline) await sleep(100);
		return !this.running;
	}

	private async waitReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.running) {
				throw new Error(
					`LiteLLM exited (${JSON.stringify(this.exited)}) before it was ready:\n${tail(this.output, 60)}`,
				);
			}
			try {
				const res = await fetch(`${this.url}/health/liveliness`, {
					signal: AbortSignal.timeout(2_000),
				});
				if (res.status === 200) return;
			} catch {
				// not listening yet
			}
			await sleep(250);
		}
		throw new Error(
			`LiteLLM did not answer /health/liveliness within ${timeoutMs} ms:\n${tail(this.output, 60)}`,
		);
	}
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
