/**
 * One real n8n (the cached 2.41.1 runtime on Node 24) with its own user folder, sqlite database and ports.
 *
 * - CLI commands (`import:*`, `export:nodes`, `execute`) run as separate processes on the same database;
 *   they get their own task-broker port, so they work while the server runs (two n8n processes cannot share the broker's port).
 * - `start()` runs `n8n start` on 127.0.0.1 and waits for `/healthz/readiness`. The owner is created from
 *   the environment (bcrypt hash of a known password), so `login()` and `createApiKey()` need no UI.
 * - `stop()` ends only the process this instance started (by pid) and waits for it to exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';

import type { IRun } from 'n8n-workflow';

import type { CredentialImport, WorkflowJson } from './credentials-file';
import { parseRunFromStdout } from './execute-output';
import { freePorts } from './free-port';
import { N8N_OFFLINE_ENV } from './offline-env';
import { type CommandResult, runCommand, tail } from './run-command';
import { type N8nRuntime, runtimeEnv } from './runtime';

/** Fixed so that credentials imported as plain objects decrypt in every process of the instance. */
export const E2E_ENCRYPTION_KEY = 'n8n-nodes-litellm-e2e-encryption-key-0001';

export interface N8nOwner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const DEFAULT_OWNER: N8nOwner = {
	email: 'owner@e2e.n8n-nodes-litellm.test',
	password: 'E2e-Owner-Passw0rd',
	firstName: 'E2E',
	lastName: 'Owner',
};

export interface N8nInstanceOptions {
	runtime: N8nRuntime;
	/** N8N_USER_FOLDER: n8n keeps `.n8n/` (database, config, `nodes/`) below it. */
	userFolder: string;
	encryptionKey?: string;
	owner?: N8nOwner;
	/**
	 * The owner's bcrypt hash, when the caller keeps one across starts: n8n signs a session with a digest of
	 * it, so a new hash (a new salt) on every start would end every browser session.
	 */
	passwordHash?: string;
	/** Extra environment, applied last (e.g. `{ N8N_LOG_LEVEL: 'debug' }`). */
	env?: Record<string, string>;
}

export interface ExecuteResult {
	/**
	 * 0 for a successful run, 1 for a failed one (n8n's own codes). When the process crashed while exiting
	 * after printing a complete run (see `crashedAtExit`), the code n8n would have returned for that run.
	 */
	exitCode: number;
	/**
	 * n8n 2.41.1 on Node 24.22.3 here sometimes dies with SIGSEGV during process teardown after it printed
	 * the finished run (about 1 run in 5, also from a plain shell, with or without a server beside it). The
	 * run is complete and stored; this flag records that it happened.
	 */
	crashedAtExit: boolean;
	/** The raw process outcome, for tests that care. */
	processExitCode: number;
	signal?: NodeJS.Signals;
	/** The run n8n printed; undefined when it printed none (e.g. an unknown workflow id). */
	run?: IRun;
	stdout: string;
	stderr: string;
}

export interface HttpResult<T = unknown> {
	status: number;
	/** Parsed JSON, or the text when the body is not JSON. */
	body: T;
	headers: Headers;
}

/** What `n8n export:nodes` writes per node type (only the fields tests use are typed). */
export interface ExportedNodeType {
	name: string;
	displayName: string;
	version: number | number[];
	credentials?: Array<{ name: string }>;
	[key: string]: unknown;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/** Every instance still running, so a crashing test process does not leave n8n servers behind. */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of liveChildren) {
		if (child.pid) killGroup(child.pid, 'SIGKILL');
	}
});

export class N8nInstance {
	readonly runtime: N8nRuntime;

	readonly userFolder: string;

	readonly owner: N8nOwner;

	/** HTTP port of `n8n start`. */
	readonly port: number;

	/** Task-broker port of the server. */
	readonly brokerPort: number;

	/** Task-broker port of CLI commands (`execute` beside a running server). */
	readonly cliBrokerPort: number;

	/** Milliseconds from spawn to a ready `/healthz/readiness` in the last `start()`. */
	startupMs?: number;

	/** The environment every process of this instance gets (queue-mode workers start from it). */
	readonly env: NodeJS.ProcessEnv;

	private child?: ChildProcess;

	private output: string[] = [];

	private cookie?: string;

	private apiKey?: string;

	private constructor(options: N8nInstanceOptions, ports: number[], passwordHash: string) {
		this.runtime = options.runtime;
		this.userFolder = options.userFolder;
		this.owner = options.owner ?? DEFAULT_OWNER;
		[this.port, this.brokerPort, this.cliBrokerPort] = ports;
		this.env = buildEnv(options, this.owner, passwordHash, this.port, this.brokerPort);
	}

	/** Picks free ports and hashes the owner's password; does not start anything. */
	static async create(options: N8nInstanceOptions): Promise<N8nInstance> {
		await mkdir(options.userFolder, { recursive: true });
		const ports = await freePorts(3);
		// bcryptjs from n8n's own node_modules: the same library n8n checks the hash with.
		const bcrypt = createRequire(join(options.runtime.nodeModules, 'n8n', 'package.json'))(
			'bcryptjs',
		) as {
			hashSync(password: string, rounds: number): string;
		};
		const owner = options.owner ?? DEFAULT_OWNER;
		return new N8nInstance(
			options,
			ports,
			options.passwordHash ?? bcrypt.hashSync(owner.password, 10),
		);
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The sqlite database (n8n's default location under the user folder). */
	get dbPath(): string {
		return join(this.userFolder, '.n8n', 'database.sqlite');
	}

	/** `.n8n/nodes`: community packages installed here load as `<package>.<node>`. */
	get nodesDir(): string {
		return join(this.userFolder, '.n8n', 'nodes');
	}

	get running(): boolean {
		return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
	}

	/** Runs `n8n <args>` as a separate process with this instance's environment. */
	async cli(
		args: string[],
		options: { check?: boolean; timeoutMs?: number } = {},
	): Promise<CommandResult> {
		return await runCommand(this.runtime.nodeBin, [this.runtime.n8nBin, ...args], {
			cwd: this.userFolder,
			env: { ...this.env, N8N_RUNNERS_BROKER_PORT: String(this.cliBrokerPort) },
			timeoutMs: options.timeoutMs ?? 5 * 60_000,
			check: options.check ?? true,
		});
	}

	/** `n8n import:credentials`; `data` objects are encrypted with the instance key. */
	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const file = await this.writeTempJson('credentials', credentials);
		await this.cli(['import:credentials', `--input=${file}`]);
	}

	/**
	 * `n8n import:workflow` of one workflow (object or path to a JSON file); returns its id. A workflow
	 * without an id gets a fresh one first, so the caller always knows what to execute.
	 */
	async importWorkflow(workflow: WorkflowJson | string): Promise<string> {
		const loaded = typeof workflow === 'string' ? await readJson(workflow) : workflow;
		if (Array.isArray(loaded)) {
			throw new Error('importWorkflow takes one workflow; use importWorkflows for an array');
		}
		const [id] = await this.importWorkflows([loaded as WorkflowJson]);
		return id;
	}

	/** `n8n import:workflow` of several workflows (array or path to a JSON file holding one or many). */
	async importWorkflows(workflows: WorkflowJson[] | string): Promise<string[]> {
		const loaded = typeof workflows === 'string' ? await readJson(workflows) : workflows;
		const list = (Array.isArray(loaded) ? loaded : [loaded]) as WorkflowJson[];
		const withIds = list.map((w) => ({ ...w, id: w.id ?? newWorkflowId() }));
		const file = await this.writeTempJson('workflows', withIds);
		await this.cli(['import:workflow', `--input=${file}`]);
		return withIds.map((w) => w.id);
	}

	/**
	 * `n8n execute --id --rawOutput`: the workflow must start with a Manual Trigger (or Execute Workflow /
	 * Manual Chat Trigger); pinData is ignored. Exit code 1 means the run failed (the run is still parsed).
	 */
	async execute(workflowId: string, options: { timeoutMs?: number } = {}): Promise<ExecuteResult> {
		const { exitCode, signal, stdout, stderr } = await this.cli(
			['execute', `--id=${workflowId}`, '--rawOutput'],
			{
				check: false,
				timeoutMs: options.timeoutMs ?? 5 * 60_000,
			},
		);
		const run = parseRunFromStdout(stdout);
		const crashedAtExit = signal === 'SIGSEGV' && !!run?.status;
		return {
			exitCode: crashedAtExit
				? run?.data.resultData.error || run?.status !== 'success'
					? 1
					: 0
				: exitCode,
			crashedAtExit,
			processExitCode: exitCode,
			signal,
			run,
			stdout,
			stderr,
		};
	}

	/** `n8n export:nodes`: every node type this instance knows, community packages included. */
	async exportNodes(): Promise<ExportedNodeType[]> {
		const file = join(this.userFolder, `nodes-${Date.now()}.json`);
		await this.cli(['export:nodes', `--output=${file}`]);
		return JSON.parse(await readFile(file, 'utf8')) as ExportedNodeType[];
	}

	/** Starts `n8n start` and resolves once `/healthz/readiness` answers 200. */
	async start(options: { timeoutMs?: number } = {}): Promise<void> {
		if (this.running) throw new Error('n8n is already running');
		const timeoutMs = options.timeoutMs ?? 180_000;
		const started = Date.now();
		this.cookie = undefined;
		this.apiKey = undefined;
		const child = spawn(this.runtime.nodeBin, [this.runtime.n8nBin, 'start'], {
			cwd: this.userFolder,
			env: this.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			// Its own process group: the task runner it forks can be ended with it if it hangs.
			detached: true,
		});
		this.child = child;
		liveChildren.add(child);
		child.once('exit', () => liveChildren.delete(child));
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.output.push(chunk));
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.output.push(chunk));

		while (Date.now() - started < timeoutMs) {
			if (!this.running) {
				throw new Error(
					`n8n exited during startup (code ${child.exitCode})\n${tail(this.logs(), 60)}`,
				);
			}
			if (await this.isReady()) {
				this.startupMs = Date.now() - started;
				return;
			}
			await delay(250);
		}
		await this.stop();
		throw new Error(`n8n was not ready after ${timeoutMs} ms\n${tail(this.logs(), 60)}`);
	}

	/** SIGTERM to the n8n process, then SIGKILL to its group if it has not exited in `graceMs`. */
	async stop(options: { graceMs?: number } = {}): Promise<void> {
		const child = this.child;
		if (!child?.pid) return;
		const pid = child.pid;
		if (this.running) {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.kill('SIGTERM');
			let timer: NodeJS.Timeout | undefined;
			const graceful = await Promise.race([
				exited.then(() => true),
				new Promise<boolean>(
					(resolve) => (timer = setTimeout(() => resolve(false), options.graceMs ?? 30_000)),
				),
			]);
			clearTimeout(timer);
			if (!graceful) {
				killGroup(pid, 'SIGKILL');
				await exited;
			}
		}
		// The task runner is a child of n8n in the same group; make sure it did not outlive its parent.
		killGroup(pid, 'SIGKILL');
		liveChildren.delete(child);
		this.child = undefined;
	}

	/** Everything the server printed (stdout and stderr, interleaved) since this instance was made. */
	logs(): string {
		return this.output.join('');
	}

	/** `POST /rest/login` as the owner; keeps the `n8n-auth` cookie for `rest()`. */
	async login(): Promise<void> {
		const res = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: this.owner.email, password: this.owner.password }),
		});
		const text = await res.text();
		if (res.status !== 200) throw new Error(`login failed: ${res.status} ${text}`);
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('login answered 200 without an n8n-auth cookie');
		this.cookie = cookie.split(';')[0];
	}

	/** Creates a public-API key with every scope the owner may grant; `api()` uses it. */
	async createApiKey(label = `e2e-${Date.now()}`): Promise<string> {
		const scopes = await this.rest<{ data: string[] }>('GET', '/api-keys/scopes');
		if (scopes.status !== 200)
			throw new Error(`api-key scopes: ${scopes.status} ${JSON.stringify(scopes.body)}`);
		const created = await this.rest<{ data: { rawApiKey: string } }>('POST', '/api-keys', {
			label,
			scopes: scopes.body.data,
			expiresAt: null,
		});
		if (created.status !== 200)
			throw new Error(`api-key create: ${created.status} ${JSON.stringify(created.body)}`);
		this.apiKey = created.body.data.rawApiKey;
		return this.apiKey;
	}

	/** Internal REST API (`/rest<path>`) with the session cookie; logs in on first use. */
	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<HttpResult<T>> {
		if (!this.cookie) await this.login();
		return await this.http<T>(method, `/rest${path}`, body, { cookie: this.cookie! });
	}

	/** Public API (`/api/v1<path>`) with `X-N8N-API-KEY`; creates a key on first use. */
	async api<T = unknown>(method: string, path: string, body?: unknown): Promise<HttpResult<T>> {
		if (!this.apiKey) await this.createApiKey();
		return await this.http<T>(method, `/api/v1${path}`, body, { 'x-n8n-api-key': this.apiKey! });
	}

	/** `POST /api/v1/credentials`; returns the new credential's id. */
	async createCredential(credential: {
		name: string;
		type: string;
		data: Record<string, unknown>;
	}): Promise<string> {
		const res = await this.api<{ id: string }>('POST', '/credentials', credential);
		if (res.status !== 200)
			throw new Error(`create credential: ${res.status} ${JSON.stringify(res.body)}`);
		return res.body.id;
	}

	/**
	 * Tests a stored credential with its type's `test` request: `POST /api/v1/credentials/{id}/test`
	 * (public API of n8n 2.41, scope credential:read). A failed test is `{ status: 'Error' }` with HTTP 200.
	 */
	async testCredential(id: string): Promise<CredentialTestResult> {
		const res = await this.api<CredentialTestResult>(
			'POST',
			`/credentials/${encodeURIComponent(id)}/test`,
		);
		if (res.status !== 200)
			throw new Error(`credential test: ${res.status} ${JSON.stringify(res.body)}`);
		return res.body;
	}

	/** Whether the server knows a credential type (`GET /api/v1/credentials/schema/{type}` is 200). */
	async hasCredentialType(type: string): Promise<boolean> {
		const res = await this.api('GET', `/credentials/schema/${encodeURIComponent(type)}`);
		return res.status === 200;
	}

	/** `POST /api/v1/workflows/{id}/activate` (publish in 2.x): registers its webhooks and schedules. */
	async activateWorkflow(id: string): Promise<void> {
		const res = await this.api('POST', `/workflows/${encodeURIComponent(id)}/activate`);
		if (res.status !== 200)
			throw new Error(`activate ${id}: ${res.status} ${JSON.stringify(res.body)}`);
	}

	/**
	 * Calls a production webhook (`/webhook/<path>`) of an active workflow; `test: true` uses `/webhook-test/`.
	 * n8n registers an activated workflow's webhooks shortly after `activate` answers, so a 404 "is not
	 * registered" (which ran nothing) is retried for up to `registrationWaitMs` (default 15 s).
	 */
	async webhook<T = unknown>(
		path: string,
		body?: unknown,
		options: {
			method?: string;
			headers?: Record<string, string>;
			test?: boolean;
			registrationWaitMs?: number;
		} = {},
	): Promise<HttpResult<T>> {
		const prefix = options.test ? '/webhook-test/' : '/webhook/';
		const deadline = Date.now() + (options.registrationWaitMs ?? 15_000);
		for (;;) {
			const res = await this.http<T>(
				options.method ?? 'POST',
				prefix + path.replace(/^\/+/, ''),
				body,
				options.headers ?? {},
			);
			const notRegistered =
				res.status === 404 &&
				/is not registered/.test(JSON.stringify(res.body) ?? '') &&
				!options.test;
			if (!notRegistered || Date.now() > deadline) return res;
			await delay(200);
		}
	}

	private async http<T>(
		method: string,
		path: string,
		body: unknown,
		headers: Record<string, string>,
	): Promise<HttpResult<T>> {
		const send = () =>
			fetch(this.baseUrl + path, {
				method,
				headers: {
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
					...headers,
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		let res: Response;
		try {
			res = await send();
		} catch (error) {
			// A kept-alive socket that n8n closed as it was reused resets the request. A read is sent again
			// once; a write is not, since it may have landed.
			if (method !== 'GET' || !isConnectionReset(error)) throw error;
			res = await send();
		}
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: keep the text
		}
		return { status: res.status, body: parsed as T, headers: res.headers };
	}

	private async isReady(): Promise<boolean> {
		try {
			const res = await fetch(`${this.baseUrl}/healthz/readiness`);
			await res.text();
			return res.status === 200;
		} catch {
			return false;
		}
	}

	private async writeTempJson(kind: string, data: unknown): Promise<string> {
		const dir = join(this.userFolder, 'imports');
		await mkdir(dir, { recursive: true });
		const file = join(dir, `${kind}-${Date.now()}-${randomBytes(3).toString('hex')}.json`);
		await writeFile(file, JSON.stringify(data, null, 2));
		return file;
	}
}

function buildEnv(
	options: N8nInstanceOptions,
	owner: N8nOwner,
	passwordHash: string,
	port: number,
	brokerPort: number,
): NodeJS.ProcessEnv {
	// Nothing n8n-related leaks in from the developer's shell, and not jest's NODE_ENV=test either
	// (observed: with it, `export:nodes` exits 0 without output or file, and `start` exits 1).
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(
			([key]) =>
				!/^(N8N_|DB_|EXECUTIONS_|QUEUE_|JEST_)/.test(key) &&
				!['NODE_ENV', 'NODE_OPTIONS'].includes(key),
		),
	);
	return {
		...runtimeEnv(options.runtime, inherited),
		N8N_USER_FOLDER: options.userFolder,
		N8N_ENCRYPTION_KEY: options.encryptionKey ?? E2E_ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		...N8N_OFFLINE_ENV,
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_SECURE_COOKIE: 'false',
		// `execute` prints the run through the logger: below info it prints nothing.
		N8N_LOG_LEVEL: 'info',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: passwordHash,
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...options.env,
	};
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

function newWorkflowId(): string {
	// n8n treats workflow ids of up to 21 characters as valid; 16 alphanumerics like n8n's own.
	const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
}

async function readJson(path: string): Promise<unknown> {
	const file = isAbsolute(path) ? path : join(process.cwd(), path);
	if (!existsSync(file)) throw new Error(`no such workflow file: ${file}`);
	return JSON.parse(await readFile(file, 'utf8'));
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function isConnectionReset(error: unknown): boolean {
	const cause = (error as { cause?: { code?: string } }).cause;
	return cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET';
}
