/**
 * PostgreSQL 15 and Redis for the queue-mode e2e world come from Debian's packages. `ensureQueueServices()`
 * installs them with apt-get when their binaries are missing (a clean CI machine; the e2e global setup calls
 * it) and does nothing when they are there. It runs behind the runtime's install lock, so two test runs on one
 * machine never run apt-get at the same time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { withDirLock } from './install-lock';
import { PG_BIN } from './postgres';
import { REDIS_SERVER } from './redis';
import { runCommand } from './run-command';
import { runtimeCacheDir } from './runtime';

function missing(): string[] {
	const packages: string[] = [];
	if (!existsSync(join(PG_BIN, 'postgres')) || !existsSync(join(PG_BIN, 'initdb')))
		packages.push('postgresql-15');
	if (!existsSync(REDIS_SERVER)) packages.push('redis-server');
	return packages;
}

export async function ensureQueueServices(
	log: (message: string) => void = () => undefined,
): Promise<void> {
	if (!missing().length) return;
	await withDirLock(
		join(runtimeCacheDir(), '.install.lock'),
		async () => {
			const packages = missing(); // another run may have installed them while this one waited
			if (!packages.length) return;
			if (process.getuid?.() !== 0) {
				throw new Error(
					`queue-mode e2e needs ${packages.join(' and ')}: apt-get install -y ${packages.join(' ')}`,
				);
			}
			log(`installing ${packages.join(', ')} with apt-get (queue-mode e2e)`);
			// Only the binaries matter: the tests start their own servers, on free ports, in temp folders.
			const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
			await runCommand('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 });
			await runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
				env,
				timeoutMs: 15 * 60_000,
			});
			const still = missing();
			if (still.length)
				throw new Error(
					`apt-get installed ${packages.join(' ')} but ${still.join(' ')} is still missing`,
				);
		},
		{ onWait: () => log('waiting for another run to finish installing') },
	);
}
