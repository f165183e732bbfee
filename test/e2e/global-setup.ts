/**
 * jest globalSetup of the e2e project: installs (or reuses) the n8n runtime, builds when stale and packs
 * the package once per run (test files then read the record instead of packing again), and installs
 * Chromium for the editor suite and PostgreSQL and Redis for the queue-mode suite when they are missing.
 */
import { ensureLiteLlm } from '../litellm-proxy/install';
import { ensureChromium } from './editor/chromium';
import { ensureQueueServices } from './harness/queue-services';
import { prepareE2e } from './harness/suite';

export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	const prepared = await prepareE2e();
	await ensureLiteLlm(); // real-litellm.e2e.test.ts runs the real proxy (installed once, like the n8n runtime)
	// The editor suite drives Debian's Chromium; a clean machine gets it here (no-op when installed).
	await ensureChromium((m) => process.stderr.write(`\n[e2e] ${m}\n`));
	// The queue-mode suite runs Debian's PostgreSQL 15 and Redis; a clean machine gets them here.
	await ensureQueueServices((m) => process.stderr.write(`\n[e2e] ${m}\n`));
	process.env.N8N_E2E_PREPARED = '1';
	const t = prepared.timings;
	process.stderr.write(
		`\n[e2e] prepared in ${Date.now() - started} ms (runtime ${t.runtimeMs} ms, build ${t.buildMs} ms, pack ${t.packMs} ms): ${prepared.tarball}\n`,
	);
}
