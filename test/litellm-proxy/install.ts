/**
 * The real LiteLLM proxy for tests, installed once from PyPI into a Python virtual environment in the
 * same cache folder as the n8n runtime (`$N8N_LITELLM_CACHE`, default `~/.cache/n8n-nodes-litellm`), as
 * `litellm-<version>/venv`. The version is deploy/compose.yaml's (version.ts); the wheel is downloaded
 * first and its sha256 compared with the reviewed one before pip installs it with the `proxy` extra.
 * `.ready` marks a finished install; a directory lock keeps concurrent jest processes from installing
 * twice (the later one waits, then reuses). Nothing is written inside the repository.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { withDirLock } from '../e2e/harness/install-lock';
import { runCommand } from '../e2e/harness/run-command';
import { runtimeCacheDir } from '../e2e/harness/runtime';
import { pinnedLiteLlmVersion, WHEEL_SHA256 } from './version';

export interface LiteLlmInstall {
	version: string;
	/** `<cache>/litellm-<version>` */
	dir: string;
	venv: string;
	python: string;
	/** The `litellm` CLI of the venv (the proxy server). */
	cli: string;
	readyFile: string;
}

export interface EnsureLiteLlmOptions {
	cacheDir?: string;
	/** The Python that creates the venv (default `$LITELLM_PYTHON` or `python3`). */
	python?: string;
	log?: (message: string) => void;
}

export function liteLlmPaths(
	cacheDir: string = runtimeCacheDir(),
	version = pinnedLiteLlmVersion(),
): LiteLlmInstall {
	const dir = join(cacheDir, `litellm-${version}`);
	const venv = join(dir, 'venv');
	return {
		version,
		dir,
		venv,
		python: join(venv, 'bin', 'python'),
		cli: join(venv, 'bin', 'litellm'),
		readyFile: join(dir, '.ready'),
	};
}

/** Installs LiteLLM unless `.ready` says it is there; safe to call from several processes at once. */
export async function ensureLiteLlm(options: EnsureLiteLlmOptions = {}): Promise<LiteLlmInstall> {
	const install = liteLlmPaths(options.cacheDir);
	const log = options.log ?? ((message: string) => process.stderr.write(`[litellm] ${message}\n`));
	if (isReady(install)) return install;

	await mkdir(install.dir, { recursive: true });
	await withDirLock(
		`${install.dir}.install.lock`,
		async () => {
			if (isReady(install)) return;
			const started = Date.now();
			log(
				`installing litellm[proxy]==${install.version} into ${install.venv} (a few minutes, once)`,
			);
			const output: string[] = [];
			try {
				await createVenv(
					install,
					options.python ?? process.env.LITELLM_PYTHON ?? 'python3',
					output,
				);
				const wheel = await downloadWheel(install, output);
				await pipInstall(install, wheel, output);
				await checkInstalledVersion(install);
			} finally {
				await writeFile(join(install.dir, 'install.log'), output.join('\n'));
			}
			const seconds = Math.round((Date.now() - started) / 1000);
			await writeFile(
				install.readyFile,
				JSON.stringify({
					litellm: install.version,
					installedAt: new Date().toISOString(),
					seconds,
				}) + '\n',
			);
			log(`litellm ${install.version} ready in ${seconds} s`);
		},
		{
			onWait: (owner) =>
				log(`another process (${JSON.stringify(owner)}) is installing LiteLLM; waiting`),
		},
	);
	if (!isReady(install)) throw new Error(`LiteLLM in ${install.dir} is not ready after install`);
	return install;
}

function isReady(install: LiteLlmInstall): boolean {
	return existsSync(install.readyFile) && existsSync(install.cli) && existsSync(install.python);
}

async function createVenv(
	install: LiteLlmInstall,
	python: string,
	output: string[],
): Promise<void> {
	if (existsSync(install.python)) return;
	const result = await runCommand(python, ['-m', 'venv', install.venv], { timeoutMs: 5 * 60_000 });
	output.push(`$ ${python} -m venv ${install.venv}`, result.stdout, result.stderr);
}

/** `pip download` of the one wheel, then its sha256 against the reviewed value. */
async function downloadWheel(install: LiteLlmInstall, output: string[]): Promise<string> {
	const wheels = join(install.dir, 'wheel');
	const name = `litellm-${install.version}-py3-none-any.whl`;
	const path = join(wheels, name);
	if (!existsSync(path)) {
		const args = [
			'-m',
			'pip',
			'download',
			'--disable-pip-version-check',
			'--no-deps',
			'--only-binary=:all:',
			'-d',
			wheels,
			`litellm==${install.version}`,
		];
		const result = await runCommand(install.python, args, { timeoutMs: 10 * 60_000 });
		output.push(`$ pip ${args.slice(2).join(' ')}`, result.stdout, result.stderr);
	}
	if (!existsSync(path))
		throw new Error(
			`pip download did not produce ${name} (found: ${(await readdir(wheels)).join(', ')})`,
		);
	const digest = createHash('sha256')
		.update(await readFile(path))
		.digest('hex');
	if (digest !== WHEEL_SHA256[install.version]) {
		throw new Error(
			`${name} has sha256 ${digest}, not the reviewed ${WHEEL_SHA256[install.version]}: refusing to install it`,
		);
	}
	return path;
}

async function pipInstall(install: LiteLlmInstall, wheel: string, output: string[]): Promise<void> {
	const args = [
		'-m',
		'pip',
		'install',
		'--disable-pip-version-check',
		`litellm[proxy] @ file://${wheel}`,
	];
	const result = await runCommand(install.python, args, { timeoutMs: 30 * 60_000 });
	output.push(`$ pip ${args.slice(2).join(' ')}`, result.stdout, result.stderr);
}

async function checkInstalledVersion(install: LiteLlmInstall): Promise<void> {
	const { stdout } = await runCommand(install.python, [
		'-c',
		"import importlib.metadata as m; print(m.version('litellm'))",
	]);
	if (stdout.trim() !== install.version)
		throw new Error(`the venv holds litellm ${stdout.trim()}, not ${install.version}`);
	if (!existsSync(install.cli)) throw new Error(`litellm installed but ${install.cli} is missing`);
}
