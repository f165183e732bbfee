/**
 * A throw-away redis-server (Debian's package) for the queue-mode e2e world: 127.0.0.1, a free port, its own
 * temp folder and no persistence (no RDB snapshots, no AOF), so nothing outlives the test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './free-port';
import { tail } from './run-command';

export const REDIS_SERVER = process.env.N8N_E2E_REDIS_SERVER || '/usr/bin/redis-server';

export interface RedisServer {
	host: string;
	port: number;
	logs(): string;
	stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
	const dir = await mkdtemp(join(tmpdir(), 'n8n-litellm-redis-'));
	const port = await freePort();
	const output: string[] = [];
	const child: ChildProcess = spawn(
		REDIS_SERVER,
		[
			'--bind',
			'127.0.0.1',
			'--port',
			String(port),
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--protected-mode',
			'yes',
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	child.stdout?.setEncoding('utf8').on('data', (c: string) => output.push(c));
	child.stderr?.setEncoding('utf8').on('data', (c: string) => output.push(c));
	killOnExit(child);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		}
		await rm(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 15_000;
	while (!(await pong(port))) {
		if (child.exitCode !== null)
			throw new Error(`redis-server exited during start-up\n${tail(output.join(''))}`);
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server not answering PING after 15 s\n${tail(output.join(''))}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return { host: '127.0.0.1', port, logs: () => output.join(''), stop };
}

/** RESP `PING` over a plain socket: true once the server answers `+PONG`. */
async function pong(port: number): Promise<boolean> {
	return await new Promise<boolean>((resolve) => {
		const socket = connect(port, '127.0.0.1');
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d.toString();
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/** A test process that dies without `stop()` must not leave the server behind. */
function killOnExit(child: ChildProcess): void {
	const kill = () => child.kill('SIGKILL');
	process.once('exit', kill);
	child.once('exit', () => process.removeListener('exit', kill));
}
