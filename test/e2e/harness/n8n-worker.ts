/**
 * One `n8n worker` process of a queue-mode instance: the main's environment (same database, Redis, encryption
 * key and user folder, so the same community packages load), with its own task-broker port, health port and
 * event-log file. Ready when the worker server's `/healthz/readiness` answers 200 (database and Redis up).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { freePorts } from './free-port';
import type { N8nInstance } from './n8n-instance';
import { tail } from './run-command';

export class N8nWorker {
	private child?: ChildProcess;

	private output: string[] = [];

	private constructor(
		readonly name: string,
		private readonly main: N8nInstance,
		readonly healthPort: number,
		private readonly brokerPort: number,
		private readonly concurrency: number,
	) {}

	/** `ports`: its health and task-broker ports; give every worker of one main distinct ones (see `workerPorts`). */
	static create(
		name: string,
		main: N8nInstance,
		ports: [number, number],
		concurrency = 10,
	): N8nWorker {
		return new N8nWorker(name, main, ports[0], ports[1], concurrency);
	}

	get running(): boolean {
		return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
	}

	async start(timeoutMs = 180_000): Promise<void> {
		const started = Date.now();
		const { runtime } = this.main;
		const child = spawn(
			runtime.nodeBin,
			[runtime.n8nBin, 'worker', `--concurrency=${this.concurrency}`],
			{
				cwd: this.main.userFolder,
				env: {
					...this.main.env,
					N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(this.healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					// Two workers in one user folder would otherwise append to the same event log.
					N8N_EVENTBUS_LOGWRITER_LOGFULLPATH: join(
						this.main.userFolder,
						`n8nEventLog-${this.name}.log`,
					),
				},
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true, // its own group: its task runner ends with it
			},
		);
		this.child = child;
		const kill = () => killGroup(child.pid!);
		process.once('exit', kill);
		child.once('exit', () => process.removeListener('exit', kill));
		child.stdout?.setEncoding('utf8').on('data', (c: string) => this.output.push(c));
		child.stderr?.setEncoding('utf8').on('data', (c: string) => this.output.push(c));
		while (Date.now() - started < timeoutMs) {
			if (!this.running)
				throw new Error(`worker ${this.name} exited during start-up\n${tail(this.logs(), 60)}`);
			try {
				const res = await fetch(`http://127.0.0.1:${this.healthPort}/healthz/readiness`);
				await res.text();
				if (res.status === 200) return;
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 250));
		}
		await this.stop();
		throw new Error(
			`worker ${this.name} not ready after ${timeoutMs} ms\n${tail(this.logs(), 60)}`,
		);
	}

	/** SIGTERM (n8n lets running jobs finish), SIGKILL to the group after `graceMs`. */
	async stop(graceMs = 30_000): Promise<void> {
		const child = this.child;
		if (!child?.pid) return;
		const pid = child.pid;
		if (this.running) {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.kill('SIGTERM');
			const timer = setTimeout(() => killGroup(pid), graceMs);
			await exited;
			clearTimeout(timer);
		}
		killGroup(pid);
		this.child = undefined;
	}

	/** Execution ids this worker logged as started ("Worker started execution <id>"). */
	startedExecutions(): string[] {
		return [...this.logs().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
	}

	logs(): string {
		return this.output.join('');
	}
}

function killGroup(pid: number): void {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// already gone
	}
}

/**
 * Two ports per worker, all distinct and none of the main's: ports found free one call apart can be the same
 * one (the first was released before the second call), and the main's CLI broker port is free until a CLI
 * command runs beside the workers.
 */
export async function workerPorts(
	main: N8nInstance,
	workers: number,
): Promise<Array<[number, number]>> {
	const taken = new Set([main.port, main.brokerPort, main.cliBrokerPort]);
	for (;;) {
		const ports = await freePorts(2 * workers);
		if (ports.some((p) => taken.has(p))) continue;
		return Array.from(
			{ length: workers },
			(_, i) => [ports[2 * i], ports[2 * i + 1]] as [number, number],
		);
	}
}
