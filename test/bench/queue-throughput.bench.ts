/**
 * Queue-mode throughput. Run: `npm run bench -- queue` (after `npm run build`; it packs the package and
 * starts a real n8n 2.41.1 in queue mode: PostgreSQL, Redis, a main and two workers, as the e2e suite does).
 *
 * 10 manual executions of a 200-item LiteLLM Chat workflow, queued at once, against the LiteLLM simulator
 * answering every call after 50 ms (in a child process), first with one worker running and then with two.
 * Items per second = 2,000 items / (first enqueue → last execution stopped). Target: two workers ≥ 1.6× one on
 * a 2-core machine. Benchmarks report; nothing here asserts.
 */
import { setupQueueMode } from '../e2e/harness/queue-mode';
import { MASTER_KEY } from './servers/queue-litellm';
import { hostInChild } from './sim-host';
import { fmt, printTable } from './table';

const EXECUTIONS = 10;
const ITEMS = 200;
const CONCURRENCY = 20;
const LATENCY_MS = 50;

async function main(): Promise<void> {
	const sim = await hostInChild<{ url: string }>('servers/queue-litellm.ts', {
		LATENCY_MS: String(LATENCY_MS),
	});
	const queue = await setupQueueMode({ workers: 2 });
	try {
		const n8n = queue.suite.n8n;
		const credentialId = await n8n.createCredential({
			name: 'LiteLLM (bench)',
			type: 'liteLlmApi',
			data: { baseUrl: sim.info.url, apiKey: MASTER_KEY },
		});
		const workflowId = await queue.createWorkflow({
			name: `Chat ${ITEMS} items (queue bench)`,
			nodes: [
				{
					id: 'b1',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'b2',
					name: 'Items',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [200, 0],
					parameters: {
						jsCode: `return Array.from({ length: ${ITEMS} }, (_, n) => ({ json: { n } }));`,
					},
				},
				{
					id: 'b3',
					name: 'Chat',
					type: 'n8n-nodes-litellm.liteLlmChat',
					typeVersion: 1,
					position: [400, 0],
					parameters: {
						model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
						promptType: 'simple',
						userMessage: '=Summarise item {{ $json.n }}',
						options: { concurrency: CONCURRENCY },
					},
					credentials: { liteLlmApi: { id: credentialId, name: 'LiteLLM (bench)' } },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: 'Chat', type: 'main', index: 0 }]] },
			},
		});

		const round = async (label: string) => {
			const started = Date.now();
			const ids = await Promise.all(
				Array.from({ length: EXECUTIONS }, () => queue.runManually(workflowId)),
			);
			const runs = await Promise.all(ids.map((id) => queue.waitForExecution(id, 600_000)));
			const seconds = (Date.now() - started) / 1000;
			const items = runs.reduce(
				(sum, r) => sum + (r.data?.resultData.runData.Chat?.[0]?.data?.main?.[0]?.length ?? 0),
				0,
			);
			const failed = runs.filter((r) => r.status !== 'success').length;
			if (failed || items !== EXECUTIONS * ITEMS)
				throw new Error(`${label}: ${failed} failed runs, ${items} items`);
			const perWorker = queue.workers.map(
				(w) => ids.filter((id) => queue.workerOf(id) === w.name).length,
			);
			return { label, seconds, rate: items / seconds, perWorker };
		};

		// Warm-up on both workers (the package loads and JITs in each), not measured.
		await round('warm-up');
		await queue.workers[1].stop();
		const one = await round('1 worker');
		await queue.workers[1].start();
		const two = await round('2 workers');
		printTable(
			`Queue mode: ${EXECUTIONS} executions × ${ITEMS} items, LiteLLM latency ${LATENCY_MS} ms, node concurrency ${CONCURRENCY}`,
			['workers', 'seconds', 'items/s', 'executions per worker'],
			[one, two].map((r) => [r.label, fmt(r.seconds, 2), fmt(r.rate), r.perWorker.join(' / ')]),
		);
		process.stdout.write(
			`two workers / one worker: ${fmt(two.rate / one.rate, 2)}× (target ≥ 1.6×)\n`,
		);
	} finally {
		await queue.stop();
		await sim.stop();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
