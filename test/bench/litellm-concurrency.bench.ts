/**
 * Which default concurrency suits the LiteLLM Chat node: the node (in n8n-core's engine) sends ITEMS calls
 * through the REAL LiteLLM proxy (the pinned version, default settings, one worker, no database) whose one
 * model's `api_base` is a local OpenAI-compatible server answering after LATENCY ms (default 200, a short
 * provider answer). Printed per concurrency (1, 5, 8, 16, 32 unless LEVELS=…): calls/s, the rate of the
 * latency bound ceil(ITEMS / concurrency) × LATENCY and the ratio to it, and the gain over the level before. The proxy, not the provider, is what stops
 * scaling: past the knee extra concurrency only queues in the proxy (and against provider rate limits).
 *
 *   npm run bench concurrency     (or: npm run build && npx tsx test/bench/litellm-concurrency.bench.ts)
 */
import { cpus, loadavg } from 'node:os';

import { runNode } from '../engine/harness';
import { LiteLlmProxy } from '../litellm-proxy/proxy';
import {
	BENCH_KEY,
	BENCH_MODEL,
	type ChatLatencyServer,
	latencyBaseUrl,
} from './servers/chat-latency';
import { hostInChild } from './sim-host';
import { fmt, printTable } from './table';

const LATENCY = Number(process.env.LATENCY ?? 200);
const LEVELS = (process.env.LEVELS ?? '1,5,8,16,32').split(',').map(Number);
/** Calls per level: enough rounds at the highest level that start and end effects stay small. */
const ITEMS = Number(process.env.ITEMS ?? 96);
const MASTER_KEY = 'sk-bench-litellm-master-0001';

function proxyConfig(upstream: string): string {
	return [
		'model_list:',
		`  - model_name: ${BENCH_MODEL}`,
		'    litellm_params:',
		`      model: openai/${BENCH_MODEL}`,
		`      api_base: ${upstream}`,
		'      api_key: os.environ/BENCH_UPSTREAM_KEY',
		'general_settings:',
		'  master_key: os.environ/LITELLM_MASTER_KEY',
		'',
	].join('\n');
}

async function callsPerSecond(url: string, concurrency: number, items: number): Promise<number> {
	const started = performance.now();
	const run = await runNode({
		nodeType: 'liteLlmChat',
		parameters: {
			model: { __rl: true, mode: 'id', value: BENCH_MODEL },
			promptType: 'simple',
			userMessage: '=Summarise item {{ $json.n }}',
			options: { concurrency },
		},
		credentials: { liteLlmApi: { baseUrl: url, apiKey: MASTER_KEY } },
		items: Array.from({ length: items }, (_, n) => ({ json: { n } })),
	});
	const seconds = (performance.now() - started) / 1000;
	if (run.error || run.items.length !== items || run.items.some((i) => i.json.error))
		throw new Error(`node run at concurrency ${concurrency} failed: ${run.error?.message}`);
	return items / seconds;
}

async function main(): Promise<void> {
	const upstream = await hostInChild<ChatLatencyServer>('servers/chat-latency.ts');
	const proxy = await LiteLlmProxy.start({
		configYaml: proxyConfig(latencyBaseUrl(upstream.info.url, LATENCY)),
		env: { LITELLM_MASTER_KEY: MASTER_KEY, BENCH_UPSTREAM_KEY: BENCH_KEY },
	});
	try {
		// Warm-up: the proxy's first calls import and build its router and HTTP clients.
		await callsPerSecond(proxy.url, 4, 16);
		const rows: string[][] = [];
		const loads: string[] = [];
		let before = 0;
		for (const concurrency of LEVELS) {
			loads.push(loadavg()[0].toFixed(1));
			const rate = await callsPerSecond(proxy.url, concurrency, ITEMS);
			// The latency bound: ceil(items / concurrency) rounds of the provider latency.
			const boundRate = (ITEMS * 1000) / (Math.ceil(ITEMS / concurrency) * LATENCY);
			rows.push([
				String(concurrency),
				fmt(rate),
				fmt(boundRate),
				fmt(rate / boundRate, 2),
				before ? `${fmt((rate / before - 1) * 100, 0)} %` : '',
			]);
			before = rate;
		}
		printTable(
			`Real LiteLLM proxy (one worker, default settings), provider latency ${LATENCY} ms, ${ITEMS} calls per level, through the LiteLLM Chat node`,
			['concurrency', 'calls/s', 'bound calls/s', 'rate / bound', 'gain over previous'],
			rows,
		);
		process.stdout.write(
			`load average (1 min) at each level: ${loads.join(', ')} on ${cpus().length} CPUs\n`,
		);
	} finally {
		await proxy.stop();
		await upstream.stop();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
