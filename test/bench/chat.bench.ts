/**
 * LiteLLM Chat benchmarks. Run: `npm run bench` (all) or `npx tsx test/bench/chat.bench.ts`
 * after `npm run build`. Every figure sits beside a baseline measured in the same run; nothing here asserts.
 *
 * 1. Throughput: 2,000 items through the built node in n8n-core's engine at concurrency 16, against the
 *    LiteLLM simulator with no added latency, beside a plain undici loop sending the same 2,000 requests at
 *    the same concurrency to the same simulator, and the same requests through n8n's own request function (n8n's
 *    floor, see n8n-request-floor.ts). Target: node ≥ 40% of the raw loop. Then where the time goes: a CPU
 *    profile of a separate node run.
 * 2. Failover latency, from the node's own per-item `latencyMs`:
 *    - LiteLLM port closed, breaker kept closed (every call tries LiteLLM first) versus calls that go straight
 *      to OpenRouter because the breaker is open (the "direct OpenRouter call"). Target: p50 added ≤ 5 ms.
 *    - LiteLLM accepting and never answering: the first call is bounded by the request timeout; while the
 *      breaker is open, the added p50 over the direct baseline. Target ≤ 5 ms.
 */
import { Agent, request } from 'undici';

import { runNode } from '../engine/harness';
import {
	chatCalls,
	closedPort,
	MASTER_KEY,
	model,
	OPENROUTER_KEY,
	resetBreakers,
	startLiteLlm,
	startOpenRouter,
} from '../engine/chat/setup';
import { printWhereTimeGoes, profileCpu } from './cpu-profile';
import { n8nRequestFloor } from './n8n-request-floor';
import { fmt, percentile, printTable, withPeakRss } from './table';

const ITEMS = 2000;
const CONCURRENCY = 16;

async function rawLoop(url: string, bodies: object[]): Promise<number> {
	const agent = new Agent({ connections: CONCURRENCY });
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < bodies.length) {
				const body = bodies[next++];
				const res = await request(`${url}/chat/completions`, {
					method: 'POST',
					dispatcher: agent,
					headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
					body: JSON.stringify(body),
				});
				await res.body.json();
				if (res.statusCode !== 200) throw new Error(`raw loop got ${res.statusCode}`);
			}
		}),
	);
	const seconds = (performance.now() - started) / 1000;
	await agent.close();
	return ITEMS / seconds;
}

async function throughput(): Promise<void> {
	const sim = await startLiteLlm();
	const items = Array.from({ length: ITEMS }, (_, n) => ({ json: { n } }));
	const parameters = {
		model: model('gpt-4o-mini'),
		promptType: 'simple',
		userMessage: '=Summarise item {{ $json.n }}',
		options: { concurrency: CONCURRENCY },
	};
	const credentials = { liteLlmApi: { baseUrl: sim.url, apiKey: MASTER_KEY } };

	// Warm-up: load the package and JIT both paths once.
	await runNode({ nodeType: 'liteLlmChat', parameters, credentials, items: items.slice(0, 50) });
	await rawLoop(sim.url, []);

	// The raw loop sends what the node sends (the same bodies, taken from the simulator's ledger).
	const ledgerStart = chatCalls(sim).length;
	const started = performance.now();
	const { result: run, peakRssMb } = await withPeakRss(() =>
		runNode({ nodeType: 'liteLlmChat', parameters, credentials, items }),
	);
	const nodeRate = ITEMS / ((performance.now() - started) / 1000);
	if (run.error || run.items.length !== ITEMS)
		throw new Error(`node run failed: ${run.error?.message}`);
	const bodies = chatCalls(sim)
		.slice(ledgerStart)
		.map((e) => e.body as object);
	const rawRate = await rawLoop(sim.url, bodies);
	// n8n's request path alone, the same bodies at the same concurrency: the floor of any node using its helpers.
	const floorRequests = bodies.map((body) => ({
		url: `${sim.url}/chat/completions`,
		method: 'POST',
		headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	}));
	await n8nRequestFloor(floorRequests.slice(0, 50), CONCURRENCY);
	const floorMs = await n8nRequestFloor(floorRequests, CONCURRENCY);
	const floorRate = ITEMS / (floorMs / 1000);
	// The per-item path: the same run once more under the CPU sampler (not timed).
	const { profile } = await profileCpu(() =>
		runNode({ nodeType: 'liteLlmChat', parameters, credentials, items }),
	);
	await sim.stop();

	printTable(
		`Throughput: ${ITEMS} items, concurrency ${CONCURRENCY}, LiteLLM simulator, no added latency`,
		['path', 'items/s', 'ratio to raw loop', 'target'],
		[
			['raw undici loop (baseline)', fmt(rawRate), '1.00', ''],
			[
				"n8n's request function loop (n8n's floor)",
				fmt(floorRate),
				fmt(floorRate / rawRate, 2),
				'',
			],
			['LiteLLM Chat node in n8n-core', fmt(nodeRate), fmt(nodeRate / rawRate, 2), '>= 0.40'],
		],
	);
	process.stdout.write(
		`node ÷ n8n's floor: ${fmt(nodeRate / floorRate, 2)} of its rate (n8n's request function opens a new connection per call; the raw loop keeps ${CONCURRENCY} alive)\n`,
	);
	printTable(
		'Memory of the node run',
		['measure', 'value'],
		[['peak RSS of the process during the node run (MB)', fmt(peakRssMb)]],
	);
	printWhereTimeGoes(
		`Where the node's per-item path spends its time (CPU profile of a separate run of ${ITEMS} items; the simulator runs in this process)`,
		profile,
	);
}

async function latencies(
	liteLlmUrl: string,
	openRouterUrl: string,
	threshold: number,
	timeoutMs: number,
	count: number,
) {
	const run = await runNode({
		nodeType: 'liteLlmChat',
		parameters: {
			model: model('gpt-4o-mini'),
			promptType: 'simple',
			userMessage: 'Hello',
			enableFailover: true,
			failoverOptions: {
				defaultModel: 'openai/gpt-4o-mini',
				breakerThreshold: threshold,
				breakerCooldown: 600,
			},
			options: { concurrency: 1, requestTimeout: timeoutMs },
		},
		credentials: {
			liteLlmApi: { baseUrl: liteLlmUrl, apiKey: MASTER_KEY },
			liteLlmOpenRouterApi: { baseUrl: openRouterUrl, apiKey: OPENROUTER_KEY },
		},
		items: Array.from({ length: count }, (_, n) => ({ json: { n } })),
	});
	if (run.error) throw new Error(run.error.message);
	return run.items.map((i) => ({
		ms: Number(i.json.latencyMs),
		reason: String(i.json.routeReason),
		route: String(i.json.route),
	}));
}

async function failover(): Promise<void> {
	const openrouter = await startOpenRouter();
	const N = 200;
	const deadUrl = `http://127.0.0.1:${await closedPort()}`;

	// Baseline: breaker open after the first call, every later call goes straight to OpenRouter.
	resetBreakers();
	const direct = (await latencies(deadUrl, openrouter.baseUrl, 1, 2000, N + 1)).slice(1);
	// Failed-over: the breaker never opens, every call is refused by LiteLLM first.
	resetBreakers();
	const refused = await latencies(deadUrl, openrouter.baseUrl, 1_000_000, 2000, N);

	// Hanging LiteLLM: the first call waits for the timeout, then the breaker is open.
	const litellm = await startLiteLlm();
	litellm.faults.add({ kind: 'hang' }, { path: '/chat/completions' });
	const timeoutMs = 300;
	resetBreakers();
	const hanging = await latencies(litellm.url, openrouter.baseUrl, 1, timeoutMs, N + 1);
	await Promise.all([litellm.stop(), openrouter.stop()]);

	const p = (xs: Array<{ ms: number }>, q: number) =>
		percentile(
			xs.map((x) => x.ms),
			q,
		);
	const directP50 = p(direct, 50);
	const directP95 = p(direct, 95);
	const whileOpen = hanging.slice(1);
	printTable(
		`Failover latency (per call, ${N} calls each, concurrency 1)`,
		['scenario', 'p50 ms', 'p95 ms', 'added p50 ms', 'added p95 ms', 'target'],
		[
			['direct to OpenRouter (breaker open; baseline)', fmt(directP50), fmt(directP95), '', '', ''],
			[
				'LiteLLM port closed, then OpenRouter',
				fmt(p(refused, 50)),
				fmt(p(refused, 95)),
				fmt(p(refused, 50) - directP50),
				fmt(p(refused, 95) - directP95),
				'added p50 <= 5',
			],
			[
				'LiteLLM hanging: while the breaker is open',
				fmt(p(whileOpen, 50)),
				fmt(p(whileOpen, 95)),
				fmt(p(whileOpen, 50) - directP50),
				fmt(p(whileOpen, 95) - directP95),
				'added p50 <= 5',
			],
		],
	);
	printTable(
		'LiteLLM hanging: the first call',
		['measure', 'value'],
		[
			['configured request timeout (ms)', timeoutMs],
			['first call latency (ms), timeout + OpenRouter', hanging[0].ms],
			['first call route / reason', `${hanging[0].route} / ${hanging[0].reason}`],
			[
				'later calls skipped LiteLLM',
				`${whileOpen.filter((x) => x.reason.startsWith('circuit open')).length} of ${whileOpen.length}`,
			],
		],
	);
}

/** `npx tsx test/bench/chat.bench.ts [throughput|failover]` runs one part; no argument runs both. */
async function main(): Promise<void> {
	const only = process.argv[2];
	if (!only || only === 'throughput') await throughput();
	if (!only || only === 'failover') await failover();
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack}\n`);
		process.exit(1);
	},
);
