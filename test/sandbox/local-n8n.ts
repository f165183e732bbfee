/**
 * The local n8n of `npm start`: the cached n8n 2.41.1 runtime (test/e2e/harness `ensureRuntime`), the
 * package packed and installed into `<project>/.n8n-local/.n8n/nodes` (git-ignored) exactly as n8n installs
 * community packages, and an `N8nInstance` on a fixed port with a persistent owner and encryption key.
 *
 * One difference from the e2e suite, which keeps its user folders in the OS temp dir: this folder is inside
 * the repository, where the package's `require('n8n-workflow')` would walk up to the repository's own
 * node_modules and load a second copy of n8n-workflow beside n8n's (its error classes would then not be
 * n8n's). So the peer dependencies are linked into `.n8n/nodes/node_modules` to n8n's own copies: the same
 * files n8n itself loads, found first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';

import { withProgress } from '../e2e/harness/progress';
import {
	buildIfStale,
	ensureRuntime,
	installPackage,
	N8nInstance,
	type N8nOwner,
	packPackage,
	readPackageJsonName,
} from './harness-bridge';
import { GATEWAY_PRIVACY_ENV } from './gateway-privacy';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** `.n8n-local/` by default; N8N_LOCAL_DIR moves it (the smoke test uses a temp folder). */
export function localDir(env: NodeJS.ProcessEnv = process.env): string {
	return resolve(env.N8N_LOCAL_DIR || join(REPO_ROOT, '.n8n-local'));
}

/** Peers the package requires at run time; linked to n8n's own copies (see the header). */
const PEERS = ['n8n-workflow', '@n8n/ai-node-sdk'];

interface LocalState {
	encryptionKey: string;
	owner: N8nOwner;
	/**
	 * The owner's bcrypt hash, kept so that n8n sees the same owner on every start: n8n signs each session
	 * with a digest of it, and a new hash would log every open browser out.
	 */
	passwordHash?: string;
	/** sha256 of the tarball last installed, so an unchanged package is not reinstalled. */
	installedTarball?: string;
	/** sha256 of what `npm pack` packs (package.json and dist/) when it was last installed. */
	packedInputs?: string;
	/** sha256 of the credentials and workflows last imported (see start.ts). */
	imported?: string;
}

export interface LocalN8n {
	n8n: N8nInstance;
	owner: N8nOwner;
	/** True when this start created the owner (its password is printed once, then kept in owner.json). */
	ownerCreated: boolean;
	folder: string;
	stateFile: string;
	/** The digest recorded by the last `recordImport` (undefined before the first import). */
	lastImport?: string;
	/** Records what was imported, so that the next start can skip an identical import. */
	recordImport(digest: string): Promise<void>;
}

export async function prepareLocalN8n(options: {
	port: number;
	folder?: string;
	log: (message: string) => void;
}): Promise<LocalN8n> {
	const folder = options.folder ?? localDir();
	const { log } = options;
	await mkdir(folder, { recursive: true });
	await assertPortFree(options.port);

	const stateFile = join(folder, 'owner.json');
	let state: LocalState | undefined = existsSync(stateFile)
		? (JSON.parse(await readFile(stateFile, 'utf8')) as LocalState)
		: undefined;
	const ownerCreated = !state;
	state ??= {
		encryptionKey: randomBytes(24).toString('base64url'),
		owner: {
			email: 'owner@localhost.test',
			password: `Local-${randomBytes(9).toString('base64url')}1`,
			firstName: 'Local',
			lastName: 'Owner',
		},
	};

	log(
		'n8n runtime: checking the cache (the first run installs Node 24 and n8n 2.41.1, several minutes)',
	);
	const runtime = await ensureRuntime({ log: (m) => log(`n8n runtime: ${m}`) });
	if (!(await buildIfStale(REPO_ROOT, (m) => log(m))))
		log('dist is newer than every source: build skipped');
	const nodeModules = join(folder, '.n8n', 'nodes', 'node_modules');
	const packageName = await readPackageJsonName();
	const inputs = packInputsDigest(REPO_ROOT);
	const installed = existsSync(join(nodeModules, packageName, 'package.json'));
	if (installed && state.packedInputs === inputs) {
		log('package.json and dist/ unchanged since the last start: pack and install skipped');
	} else {
		const tarball = await withProgress({ label: 'npm pack', log }, () =>
			packPackage(join(folder, 'pack')),
		);
		const digest = createHash('sha256').update(readFileSync(tarball)).digest('hex');
		if (state.installedTarball !== digest || !installed) {
			await withProgress(
				{ label: `installing ${packageName} into ${join(folder, '.n8n', 'nodes')}`, log },
				() => installPackage(tarball, folder),
			);
			state.installedTarball = digest;
		}
		state.packedInputs = inputs;
	}
	state.passwordHash ??= hashPassword(runtime.nodeModules, state.owner.password);
	for (const peer of PEERS) {
		const link = join(nodeModules, peer);
		await rm(link, { recursive: true, force: true });
		await mkdir(join(link, '..'), { recursive: true });
		await symlink(join(runtime.nodeModules, peer), link, 'dir');
	}
	const saved = state;
	const save = async () => {
		await writeFile(stateFile, JSON.stringify(saved, null, 2) + '\n');
		await chmod(stateFile, 0o600);
	};
	await save();

	const n8n = await N8nInstance.create({
		runtime,
		userFolder: folder,
		owner: state.owner,
		passwordHash: state.passwordHash,
		encryptionKey: state.encryptionKey,
		env: {
			N8N_PORT: String(options.port),
			N8N_HOST: 'localhost',
			N8N_EDITOR_BASE_URL: `http://localhost:${options.port}/`,
			WEBHOOK_URL: `http://localhost:${options.port}/`,
			// n8n's calls home are off in every instance of the harness (N8N_OFFLINE_ENV, applied by N8nInstance).
			// The gateway workflow's callers' tokens and prompts stay out of n8n's storage.
			...GATEWAY_PRIVACY_ENV,
		},
	});
	// N8nInstance picks a free port for its own tests; here the user's port is the one n8n listens on (env
	// above), so the instance's readiness checks, login and API calls must use it too.
	(n8n as { port: number }).port = options.port;
	return {
		n8n,
		owner: state.owner,
		ownerCreated,
		folder,
		stateFile,
		lastImport: state.imported,
		async recordImport(digest: string) {
			saved.imported = digest;
			await save();
		},
	};
}

/**
 * sha256 over what `npm pack` puts in the tarball (package.json, README.md, LICENSE and every file of dist/,
 * path and content). Equal digests mean an identical package, so pack and install are skipped.
 */
export function packInputsDigest(root: string): string {
	const hash = createHash('sha256');
	for (const file of ['package.json', 'README.md', 'LICENSE'])
		if (existsSync(join(root, file)))
			hash.update(`\0${file}\0`).update(readFileSync(join(root, file)));
	const dist = join(root, 'dist');
	const files = existsSync(dist)
		? readdirSync(dist, { recursive: true, withFileTypes: true })
				.filter((e) => e.isFile())
				.map((e) => join(e.parentPath, e.name))
				.sort()
		: [];
	for (const file of files) hash.update(`\0${relative(root, file)}\0`).update(readFileSync(file));
	return hash.digest('hex');
}

/** bcrypt from n8n's own node_modules: the library n8n checks the owner's password with. */
function hashPassword(n8nModules: string, password: string): string {
	const bcrypt = createRequire(join(n8nModules, 'n8n', 'package.json'))('bcryptjs') as {
		hashSync(password: string, rounds: number): string;
	};
	return bcrypt.hashSync(password, 10);
}

async function assertPortFree(port: number): Promise<void> {
	await new Promise<void>((resolvePort, reject) => {
		const server = createServer();
		server.once('error', () =>
			reject(
				new Error(
					`port ${port} on 127.0.0.1 is in use (another n8n?). Stop it or start on another port: N8N_PORT=5680 npm start`,
				),
			),
		);
		server.listen(port, '127.0.0.1', () => server.close(() => resolvePort()));
	});
}
