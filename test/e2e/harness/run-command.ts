/**
 * Runs a child process and captures its output. Used for npm, node-gyp and the n8n CLI: every command
 * the harness starts goes through here, so each one is awaited and never outlives the test run.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface CommandResult {
	/** The exit code; for a process ended by a signal, 128 + the signal number (as shells report it). */
	exitCode: number;
	/** The signal that ended the process, if one did. */
	signal?: NodeJS.Signals;
	stdout: string;
	stderr: string;
}

export interface CommandOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Kill the command (SIGKILL, after SIGTERM) when it runs longer than this. */
	timeoutMs?: number;
	/** Throw when the exit code is not 0 (default true); the error carries the output tail. */
	check?: boolean;
	/** Each piece of output as it arrives (stdout and stderr), e.g. for progress lines. */
	onOutput?: (chunk: string) => void;
}

export async function runCommand(
	command: string,
	args: string[],
	options: CommandOptions = {},
): Promise<CommandResult> {
	const { cwd, env, timeoutMs = 15 * 60_000, check = true, onOutput } = options;
	const child = spawn(command, args, {
		cwd,
		env: env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
		onOutput?.(chunk);
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
		onOutput?.(chunk);
	});

	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		child.kill('SIGTERM');
		setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5_000).unref();
	}, timeoutMs);

	const [exitCode, signal] = await new Promise<[number, NodeJS.Signals | undefined]>(
		(resolve, reject) => {
			child.once('error', reject);
			child.once('close', (code, sig) =>
				resolve([code ?? 128 + (sig ? constants.signals[sig] : 0), sig ?? undefined]),
			);
		},
	).finally(() => clearTimeout(timer));

	const result: CommandResult = { exitCode, signal, stdout, stderr };
	if (timedOut) throw new CommandError(`timed out after ${timeoutMs} ms`, command, args, result);
	if (check && exitCode !== 0)
		throw new CommandError(`exited with ${exitCode}`, command, args, result);
	return result;
}

export class CommandError extends Error {
	constructor(
		reason: string,
		command: string,
		args: string[],
		readonly result: CommandResult,
	) {
		super(
			`${command} ${args.join(' ')} ${reason}\n--- stdout (tail) ---\n${tail(result.stdout)}\n--- stderr (tail) ---\n${tail(result.stderr)}`,
		);
		this.name = 'CommandError';
	}
}

export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}
