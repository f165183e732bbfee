/**
 * The package as users get it: built, `npm pack`ed, and installed from the tarball into an n8n user
 * folder's `.n8n/nodes` (the way n8n installs community packages), so its node types are
 * `n8n-nodes-litellm.<name>`, exactly as in the shipped workflows.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

import { runCommand } from './run-command';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * The package to build, pack and check: the repository, or N8N_E2E_PACKAGE_ROOT (e.g. a `git archive`
 * of a commit, to test a known state while the working tree is being edited).
 */
export function packageRoot(): string {
	return process.env.N8N_E2E_PACKAGE_ROOT ? resolve(process.env.N8N_E2E_PACKAGE_ROOT) : REPO_ROOT;
}

/** Git-ignored scratch space of the e2e suite (tarballs, the prepared-suite record). */
export const E2E_WORK_DIR = join(REPO_ROOT, 'test', 'e2e', '.work');

interface PackageJson {
	name: string;
	version: string;
	n8n: { credentials?: string[]; nodes?: string[] };
}

export interface PackageTypes {
	packageName: string;
	/** Full node type names as n8n registers them: `<package>.<description.name>`. */
	nodeTypes: string[];
	/** Credential type names (global in n8n, no prefix). */
	credentialTypes: string[];
}

export async function readPackageJson(root = packageRoot()): Promise<PackageJson> {
	return JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as PackageJson;
}

/**
 * The node and credential type names the `n8n` section of package.json promises, read from the built
 * classes (each `dist/...X.node.js` exports class `X`, as n8n's loader requires).
 */
export async function readPackageTypes(root = packageRoot()): Promise<PackageTypes> {
	const pkg = await readPackageJson(root);
	const load = (file: string): unknown => {
		const exported = require(join(root, file)) as Record<string, new () => unknown>;
		const className = basename(file).split('.')[0];
		const Cls = exported[className];
		if (typeof Cls !== 'function') throw new Error(`${file} does not export class ${className}`);
		return new Cls();
	};
	return {
		packageName: pkg.name,
		nodeTypes: (pkg.n8n.nodes ?? []).map(
			(file) => `${pkg.name}.${(load(file) as { description: { name: string } }).description.name}`,
		),
		credentialTypes: (pkg.n8n.credentials ?? []).map(
			(file) => (load(file) as { name: string }).name,
		),
	};
}

/**
 * Runs `npm run build` when dist is missing a file of the `n8n` section or is older than any source.
 * (`npm test` builds first, so there this is a no-op and dist is not rebuilt under other test runs.)
 * Set N8N_E2E_SKIP_BUILD=1 to pack dist as it is.
 */
export async function buildIfStale(
	root = packageRoot(),
	log: (message: string) => void = defaultLog,
): Promise<boolean> {
	// N8N_E2E_SKIP_BUILD=1 packs dist as it is (e.g. while others rebuild the same checkout).
	if (process.env.N8N_E2E_SKIP_BUILD === '1') return false;
	const pkg = await readPackageJson(root);
	const distFiles = [...(pkg.n8n.nodes ?? []), ...(pkg.n8n.credentials ?? [])].map((f) =>
		join(root, f),
	);
	const missing = distFiles.filter((f) => !existsSync(f));
	const newestSource = Math.max(
		...['package.json', 'tsconfig.json', 'gulpfile.js'].map((f) => mtime(join(root, f))),
		newestMtime(join(root, 'nodes')),
		newestMtime(join(root, 'credentials')),
	);
	const oldestDist = missing.length ? 0 : Math.min(...distFiles.map(mtime));
	if (!missing.length && oldestDist >= newestSource) return false;
	log(
		missing.length
			? `dist lacks ${missing.length} file(s); npm run build`
			: 'dist is older than the sources; npm run build',
	);
	await runCommand('npm', ['run', 'build'], { cwd: root, timeoutMs: 5 * 60_000 });
	return true;
}

/** `npm pack` of the repository into `destDir`; returns the tarball path. */
export async function packPackage(destDir: string, root = packageRoot()): Promise<string> {
	await mkdir(destDir, { recursive: true });
	const { stdout } = await runCommand('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: root,
		timeoutMs: 2 * 60_000,
	});
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
	const tarball = join(destDir, packed.filename);
	if (!existsSync(tarball))
		throw new Error(`npm pack reported ${packed.filename} but ${tarball} is missing`);
	return tarball;
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes/node_modules`, the folder n8n scans for community
 * packages. `--ignore-scripts` as n8n does; `--legacy-peer-deps` so n8n-workflow (a peer) is not pulled in
 * beside the package: it must resolve to n8n's own copy at run time.
 */
export async function installPackage(tarball: string, userFolder: string): Promise<string> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	await mkdir(nodesDir, { recursive: true });
	const manifest = join(nodesDir, 'package.json');
	if (!existsSync(manifest)) {
		await writeFile(
			manifest,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	await runCommand(
		'npm',
		[
			'install',
			'--ignore-scripts',
			'--legacy-peer-deps',
			'--no-audit',
			'--no-fund',
			'--bin-links=false',
			'--package-lock=false',
			'--prefer-offline',
			tarball,
		],
		{ cwd: nodesDir, timeoutMs: 5 * 60_000 },
	);
	const pkg = await readPackageJson();
	const installed = join(nodesDir, 'node_modules', pkg.name);
	if (!existsSync(join(installed, 'package.json')))
		throw new Error(`${pkg.name} is not in ${nodesDir}/node_modules`);
	return installed;
}

function mtime(file: string): number {
	return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function newestMtime(dir: string): number {
	if (!existsSync(dir)) return 0;
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		newest = Math.max(newest, mtime(join(entry.parentPath, entry.name)));
	}
	return newest;
}

function defaultLog(message: string): void {
	process.stderr.write(`[e2e] ${message}\n`);
}
