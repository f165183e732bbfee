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
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

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
	/** sha256 of the tarball last installed, so an unchanged package is not reinstalled. */
	installedTarball?: string;
}

export interface LocalN8n {
	n8n: N8nInstance;
	owner: N8nOwner;
	/** True when this start created the owner (its password is printed once, then kept in owner.json). */
	ownerCreated: boolean;
	folder: string;
	stateFile: string;
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
	await buildIfStale(REPO_ROOT, (m) => log(m));
	const tarball = await packPackage(join(folder, 'pack'));
	const digest = createHash('sha256').update(readFileSync(tarball)).digest('hex');
	const nodeModules = join(folder, '.n8n', 'nodes', 'node_modules');
	const packageName = await readPackageJsonName();
	if (
		state.installedTarball !== digest ||
		!existsSync(join(nodeModules, packageName, 'package.json'))
	) {
		log(`installing ${packageName} into ${join(folder, '.n8n', 'nodes')}`);
		await installPackage(tarball, folder);
		state.installedTarball = digest;
	}
	for (const peer of PEERS) {
		const link = join(nodeModules, peer);
		await rm(link, { recursive: true, force: true });
		await mkdir(join(link, '..'), { recursive: true });
		await symlink(join(runtime.nodeModules, peer), link, 'dir');
	}
	await writeFile(stateFile, JSON.stringify(state, null, 2) + '\n');
	await chmod(stateFile, 0o600);

	const n8n = await N8nInstance.create({
		runtime,
		userFolder: folder,
		owner: state.owner,
		encryptionKey: state.encryptionKey,
		env: {
			N8N_PORT: String(options.port),
			N8N_HOST: 'localhost',
			N8N_EDITOR_BASE_URL: `http://localhost:${options.port}/`,
			WEBHOOK_URL: `http://localhost:${options.port}/`,
			// n8n's own calls home, beyond those the harness turns off (diagnostics, version notifications,
			// templates, personalization): banners, the license server's renewal, telemetry front-end hooks.
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
			N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
			EXTERNAL_FRONTEND_HOOKS_URLS: '',
			// The gateway workflow's callers' tokens and prompts stay out of n8n's storage.
			...GATEWAY_PRIVACY_ENV,
		},
	});
	// N8nInstance picks a free port for its own tests; here the user's port is the one n8n listens on (env
	// above), so the instance's readiness checks, login and API calls must use it too.
	(n8n as { port: number }).port = options.port;
	return { n8n, owner: state.owner, ownerCreated, folder, stateFile };
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
