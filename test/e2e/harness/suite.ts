/**
 * Suite-level helpers. `prepareE2e()` does the once-per-run work (runtime, build, pack) and records the
 * result in `.work/prepared.json`; jest's globalSetup calls it, and a test file run some other way calls it
 * itself. `setupN8n()` gives each test file a fresh user folder (in the OS temp dir, see below) with the
 * packed package installed, and an `N8nInstance` on it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8nInstance, type N8nInstanceOptions } from './n8n-instance';
import {
	buildIfStale,
	E2E_WORK_DIR,
	installPackage,
	packPackage,
	type PackageTypes,
	readPackageTypes,
} from './package-under-test';
import { ensureRuntime, type N8nRuntime } from './runtime';

export interface PreparedE2e {
	runtime: N8nRuntime;
	tarball: string;
	types: PackageTypes;
	/** How long each step took in this preparation (ms). */
	timings: { runtimeMs: number; buildMs: number; packMs: number };
}

const PREPARED_FILE = join(E2E_WORK_DIR, 'prepared.json');

let prepared: Promise<PreparedE2e> | undefined;

/** Ensures the runtime, builds when stale, packs the package. Memoised per process. */
export async function prepareE2e(): Promise<PreparedE2e> {
	prepared ??= (async () => {
		let t = Date.now();
		const runtime = await ensureRuntime();
		const runtimeMs = Date.now() - t;
		t = Date.now();
		await buildIfStale();
		const buildMs = Date.now() - t;
		t = Date.now();
		const tarball = await packPackage(join(E2E_WORK_DIR, 'pack'));
		const packMs = Date.now() - t;
		const result: PreparedE2e = {
			runtime,
			tarball,
			types: await readPackageTypes(),
			timings: { runtimeMs, buildMs, packMs },
		};
		await writeFile(PREPARED_FILE, JSON.stringify(result, null, 2));
		return result;
	})();
	return await prepared;
}

/** What globalSetup prepared in this jest run, or a fresh preparation when there is none. */
export async function preparedE2e(): Promise<PreparedE2e> {
	if (process.env.N8N_E2E_PREPARED === '1' && existsSync(PREPARED_FILE)) {
		return JSON.parse(await readFile(PREPARED_FILE, 'utf8')) as PreparedE2e;
	}
	return await prepareE2e();
}

export interface N8nSuite {
	prepared: PreparedE2e;
	n8n: N8nInstance;
	userFolder: string;
	/** Stops n8n and deletes the user folder (kept when N8N_E2E_KEEP=1, for a look at logs and the DB). */
	teardown(): Promise<void>;
}

/**
 * A fresh user folder with the packed package installed, and an N8nInstance on it (not started).
 * The folder is in the OS temp dir, not under the repository: there, the package's `require('n8n-workflow')`
 * would find the repository's dev copy before n8n's own, which a real install never does.
 */
export async function setupN8n(
	options: Partial<Omit<N8nInstanceOptions, 'runtime' | 'userFolder'>> = {},
): Promise<N8nSuite> {
	const prep = await preparedE2e();
	const userFolder = await mkdtemp(join(tmpdir(), 'n8n-litellm-e2e-'));
	await installPackage(prep.tarball, userFolder);
	const n8n = await N8nInstance.create({ ...options, runtime: prep.runtime, userFolder });
	return {
		prepared: prep,
		n8n,
		userFolder,
		async teardown() {
			await n8n.stop();
			if (process.env.N8N_E2E_KEEP === '1') {
				await writeFile(join(userFolder, 'n8n-server.log'), n8n.logs());
				process.stderr.write(`[e2e] kept ${userFolder} (server output in n8n-server.log)\n`);
				return;
			}
			await rm(userFolder, { recursive: true, force: true });
		},
	};
}
