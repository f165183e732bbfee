/**
 * Runs a benchmark's simulators in a child process, so the measured process holds only the client (the
 * node in n8n-core, or the baseline loop): its CPU and its RSS are then the client's alone, as they would
 * be beside a real LiteLLM or Infisical.
 *
 *   const host = await hostInChild('servers/spend.ts', { ROWS: '1000000' });
 *   host.info.url ...; await host.stop();
 *
 * The module exports `start(): Promise<{ info: object; stop(): Promise<void> }>`; the child prints
 * `READY <json>` once started and stops its servers on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface HostedServers<I> {
	info: I;
	pid: number;
	stop(): Promise<void>;
}

export async function hostInChild<I>(
	module: string,
	env: Record<string, string> = {},
): Promise<HostedServers<I>> {
	const child: ChildProcess = spawn(
		process.execPath,
		['--import', 'tsx', path.join(__dirname, 'sim-host-main.ts'), path.join(__dirname, module)],
		{
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	const info = await new Promise<I>((resolve, reject) => {
		let buffer = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			const line = buffer.split('\n').find((l) => l.startsWith('READY '));
			if (line) resolve(JSON.parse(line.slice(6)) as I);
		});
		child.once('exit', (code) => reject(new Error(`simulator host exited early (${code})`)));
	});
	return {
		info,
		pid: child.pid!,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}
