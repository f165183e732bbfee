/**
 * A throw-away PostgreSQL 15 from Debian's packages for the queue-mode e2e world: `initdb` into a fresh temp
 * folder, `postgres` on 127.0.0.1 and a free port, no fsync (the data dies with the test). PostgreSQL refuses
 * to run as root, so when the tests run as root the server runs as the `postgres` user Debian's package
 * creates (the folder is handed to it first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './free-port';
import { runCommand, tail } from './run-command';

export const PG_BIN = process.env.N8N_E2E_PG_BIN || '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
	host: string;
	port: number;
	user: string;
	database: string;
	/** `pg_dump` of the database as plain SQL. */
	dump(): Promise<string>;
	/** One SQL statement through `psql`; returns its unaligned, tuples-only output. */
	sql(statement: string): Promise<string>;
	logs(): string;
	stop(): Promise<void>;
}

interface RunAs {
	uid?: number;
	gid?: number;
}

async function postgresUser(): Promise<RunAs> {
	if (process.getuid?.() !== 0) return {};
	const uid = Number((await runCommand('id', ['-u', 'postgres'])).stdout.trim());
	const gid = Number((await runCommand('id', ['-g', 'postgres'])).stdout.trim());
	return { uid, gid };
}

export async function startPostgres(database = 'n8n'): Promise<PostgresServer> {
	const runAs = await postgresUser();
	const dir = await mkdtemp(join(tmpdir(), 'n8n-litellm-pg-'));
	if (runAs.uid !== undefined) await chown(dir, runAs.uid, runAs.gid!);
	const data = join(dir, 'data');
	const user = 'postgres';
	const asPg = { ...runAs, env: { ...process.env, LC_ALL: 'C.UTF-8' } };
	await run(
		join(PG_BIN, 'initdb'),
		['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-sync'],
		asPg,
	);
	const port = await freePort();
	const output: string[] = [];
	const child: ChildProcess = spawn(
		join(PG_BIN, 'postgres'),
		[
			'-D',
			data,
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-k',
			dir,
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=100',
		],
		{ ...asPg, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	child.stdout?.setEncoding('utf8').on('data', (c: string) => output.push(c));
	child.stderr?.setEncoding('utf8').on('data', (c: string) => output.push(c));
	killOnExit(child);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const connection = ['-h', '127.0.0.1', '-p', String(port), '-U', user];

	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			// SIGINT is PostgreSQL's "fast shutdown": sessions are ended, no waiting on clients.
			child.kill('SIGINT');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		}
		await rm(dir, { recursive: true, force: true });
	};

	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(`postgres exited during start-up\n${tail(output.join(''))}`);
		const ready = await runCommand(join(PG_BIN, 'pg_isready'), [...connection], { check: false });
		if (ready.exitCode === 0) break;
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`postgres not ready after 30 s\n${tail(output.join(''))}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	await runCommand(join(PG_BIN, 'createdb'), [...connection, database]);

	return {
		host: '127.0.0.1',
		port,
		user,
		database,
		async dump() {
			return (
				await runCommand(join(PG_BIN, 'pg_dump'), [...connection, '--no-owner', database], {
					timeoutMs: 120_000,
				})
			).stdout;
		},
		async sql(statement) {
			return (
				await runCommand(join(PG_BIN, 'psql'), [
					...connection,
					'-d',
					database,
					'-At',
					'-c',
					statement,
				])
			).stdout.trim();
		},
		logs: () => output.join(''),
		stop,
	};
}

async function run(
	command: string,
	args: string[],
	options: RunAs & { env: NodeJS.ProcessEnv },
): Promise<void> {
	const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
	let text = '';
	child.stdout.setEncoding('utf8').on('data', (c: string) => (text += c));
	child.stderr.setEncoding('utf8').on('data', (c: string) => (text += c));
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (c) => resolve(c));
	});
	if (code !== 0)
		throw new Error(`${command} ${args.join(' ')} exited with ${code}\n${tail(text)}`);
}

/** A test process that dies without `stop()` must not leave the server behind. */
function killOnExit(child: ChildProcess): void {
	const kill = () => child.kill('SIGKILL');
	process.once('exit', kill);
	child.once('exit', () => process.removeListener('exit', kill));
}
