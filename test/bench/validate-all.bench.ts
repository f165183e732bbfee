/**
 * Validate All benchmark: 1,000 provider keys across 10 providers in Infisical, each provider
 * answering after 50 ms, checked by the Key Manager at concurrency 32 (per-provider cap 8) inside n8n-core's
 * WorkflowExecute (the engine harness), through n8n's own HTTP helpers; the simulators run in a child
 * process. Beside it, in the same run:
 *  - the bound ceil(1000/32) × 50 ms, and
 *  - the measured floor: the same 1,000 key checks sent by a bare undici loop at concurrency 32 against the
 *    same simulators (no n8n, no Infisical read), i.e. what the latency alone costs here;
 *  - n8n's request-path floor: the same checks through n8n's own request function (what the node's helper
 *    calls end in, a new connection per call), at concurrency 32, nothing else (see n8n-request-floor.ts).
 * Target: node wall time ≤ 1.5 × the bound. Peak RSS sampled every 5 ms.
 *
 *   npm run build && npx tsx test/bench/validate-all.bench.ts      (KEYS=…, LATENCY=…, CONCURRENCY=…)
 */
import { cpus, loadavg } from 'node:os';

import { request } from 'undici';

import { runNode } from '../engine/harness';
import { CLIENT, PROVIDERS, type ValidateAllServers } from './servers/validate-all';
import { printWhereTimeGoes, profileCpu } from './cpu-profile';
import { n8nRequestFloor } from './n8n-request-floor';
import { hostInChild } from './sim-host';
import { fmt, printTable, withPeakRss } from './table';

const KEYS = Number(process.env.KEYS ?? 1000);
const LATENCY = Number(process.env.LATENCY ?? 50);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);

async function main(): Promise<void> {
	// Infisical and the providers run in a child process: this process is the client's alone.
	const host = await hostInChild<ValidateAllServers>('servers/validate-all.ts', {
		KEYS: String(KEYS),
		LATENCY: String(LATENCY),
	});
	const { infisicalUrl, baseUrls } = host.info;
	const checks = Array.from({ length: KEYS }, (_, n) => {
		const p = PROVIDERS[n % PROVIDERS.length];
		return bareCheck(p.id, baseUrls[p.sim], p.key(n));
	});

	// Floor: the bare loop, concurrency 32 (once over a few checks first, as every path here is warmed up).
	const bareLoop = async (list: typeof checks) => {
		const started = performance.now();
		let next = 0;
		await Promise.all(
			Array.from({ length: CONCURRENCY }, async () => {
				while (next < list.length) {
					const c = list[next++];
					const res = await request(c.url, {
						method: c.method as 'GET',
						headers: c.headers,
						body: c.body,
					});
					await res.body.text();
				}
			}),
		);
		return performance.now() - started;
	};
	await bareLoop(checks.slice(0, 100));
	const floor = await withPeakRss(() => bareLoop(checks));

	// n8n's request path alone: the floor for any node that uses n8n's helpers.
	await n8nRequestFloor(checks.slice(0, 100), CONCURRENCY);
	const n8nFloor = await withPeakRss(() => n8nRequestFloor(checks, CONCURRENCY));

	// The node, in the engine.
	const validateAll = () =>
		runNode({
			nodeType: 'liteLlmKeyManager',
			parameters: {
				resource: 'providerKey',
				operation: 'validateAll',
				concurrency: CONCURRENCY,
				perProvider: 8,
			},
			credentials: {
				liteLlmInfisicalApi: {
					siteUrl: infisicalUrl,
					...CLIENT,
					projectId: 'bench',
					environment: 'prod',
					folderPath: '/keys',
					accessToken: '',
				},
			},
		});
	// Warm-up: a first run also loads the package and n8n-core's execution path (about 0.9 s here).
	await validateAll();
	const node = await withPeakRss(async () => {
		const started = performance.now();
		const run = await validateAll();
		return { ms: performance.now() - started, run };
	});
	// Where the node's time goes: the same run once more under the CPU sampler (not timed).
	const { profile } = await profileCpu(validateAll);
	await host.stop();

	const items = node.result.run.items;
	if (node.result.run.error) throw new Error(`the node failed: ${node.result.run.error.message}`);
	const statuses: Record<string, number> = {};
	for (const item of items)
		statuses[String(item.json.status)] = (statuses[String(item.json.status)] ?? 0) + 1;
	const bound = Math.ceil(KEYS / CONCURRENCY) * LATENCY;

	printTable(
		`Validate All: ${KEYS} keys, ${PROVIDERS.length} providers, ${LATENCY} ms latency, concurrency ${CONCURRENCY}`,
		['run', 'wall ms', '× bound', 'keys/s', 'peak RSS MB'],
		[
			['bound ceil(N/C) × latency', bound, '1.00', fmt((KEYS / bound) * 1000, 0), '-'],
			[
				'bare undici loop (floor)',
				fmt(floor.result, 0),
				fmt(floor.result / bound, 2),
				fmt((KEYS / floor.result) * 1000, 0),
				fmt(floor.peakRssMb, 0),
			],
			[
				"n8n's request function loop (n8n's floor)",
				fmt(n8nFloor.result, 0),
				fmt(n8nFloor.result / bound, 2),
				fmt((KEYS / n8nFloor.result) * 1000, 0),
				fmt(n8nFloor.peakRssMb, 0),
			],
			[
				'Key Manager Validate All',
				fmt(node.result.ms, 0),
				fmt(node.result.ms / bound, 2),
				fmt((KEYS / node.result.ms) * 1000, 0),
				fmt(node.peakRssMb, 0),
			],
		],
	);
	const latencies = items.map((i) => Number(i.json.latencyMs)).sort((a, b) => a - b);
	process.stdout.write(
		`per-check latency seen by the node: p50 ${latencies[Math.floor(latencies.length / 2)]} ms, p95 ${latencies[Math.floor(latencies.length * 0.95)]} ms (provider latency ${LATENCY} ms); machine load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs\n`,
	);
	process.stdout.write(
		`items: ${items.length}; statuses: ${JSON.stringify(statuses)}; target ≤ 1.5 × bound: ${node.result.ms <= 1.5 * bound ? 'met' : 'NOT met'}; node ÷ n8n's floor: ${fmt(node.result.ms / n8nFloor.result, 2)} (the rest above the bound is n8n's request path)\n`,
	);
	printWhereTimeGoes(
		'Where Validate All spends its time (CPU profile of a separate run; idle is waiting for the providers)',
		profile,
	);
}

/** The same zero-token check the node sends, for the floor loop. */
function bareCheck(id: string, baseUrl: string, key: string) {
	const auth: Record<string, string> =
		id === 'anthropic'
			? { 'x-api-key': key, 'anthropic-version': '2023-06-01' }
			: id === 'gemini'
				? { 'x-goog-api-key': key }
				: key
					? { authorization: `Bearer ${key}` }
					: {};
	if (id === 'cohere') return { url: `${baseUrl}/v1/check-api-key`, method: 'POST', headers: auth };
	if (id === 'perplexity')
		return {
			url: `${baseUrl}/chat/completions`,
			method: 'POST',
			headers: { ...auth, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'sonar', messages: [] }),
		};
	if (id === 'ollama') return { url: `${baseUrl}/api/tags`, method: 'GET', headers: auth };
	return { url: `${baseUrl}/models`, method: 'GET', headers: auth };
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
