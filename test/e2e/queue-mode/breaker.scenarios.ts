/**
 * The breaker and failover in queue mode, with LiteLLM stopped (its port refuses connections).
 *
 * The breaker lives in the memory of each n8n process (module state of the package, per LiteLLM base URL), so
 * in queue mode every worker has its own: a worker opens its breaker after its own 3 signs that the proxy is
 * down (here: each execution's model check finding the port closed) and then sends calls straight to
 * OpenRouter; the other worker's breaker does not know and keeps trying LiteLLM until it has seen 3 itself.
 * Every call still gets its answer from OpenRouter within the node's total deadline, on either worker.
 */
import { freePort } from '../harness';
import { nodeItems, type QueueWorld } from './world';

const DEADLINE_S = 20;
const THRESHOLD = 3;

export function breakerScenarios(world: () => QueueWorld): void {
	it('executions spread over both workers fail over within the deadline; each worker opens its own breaker after its own failures', async () => {
		const w = world();
		// A LiteLLM that is not running: nothing listens on its port (the world's own LiteLLM stays up for the rest).
		const url = `http://127.0.0.1:${await freePort()}`;
		const credentialId = await w.suite.n8n.createCredential({
			name: 'LiteLLM (stopped)',
			type: 'liteLlmApi',
			data: { baseUrl: url, apiKey: KEYS_MASTER },
		});
		const id = await w.queue.createWorkflow({
			name: 'Chat with failover (queue e2e)',
			nodes: [
				{
					id: 'a1',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'a2',
					name: 'Chat',
					type: 'n8n-nodes-litellm.liteLlmChat',
					typeVersion: 1,
					position: [220, 0],
					parameters: {
						model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
						promptType: 'simple',
						userMessage: 'Hello',
						options: { requestTimeout: 5000 },
						enableFailover: true,
						failoverOptions: {
							breakerThreshold: THRESHOLD,
							breakerCooldown: 300,
							totalDeadline: DEADLINE_S,
							mapping: {
								entries: [
									{
										liteLlmModel: 'gpt-4o-mini',
										openRouterModel: 'openai/gpt-4o-mini',
										fallbackModels: '',
									},
								],
							},
						},
					},
					credentials: {
						liteLlmApi: { id: credentialId, name: 'LiteLLM (stopped)' },
						liteLlmOpenRouterApi: { id: 'openRouter000001', name: 'OpenRouter' },
					},
				},
			],
			connections: { Start: { main: [[{ node: 'Chat', type: 'main', index: 0 }]] } },
		});

		// Waves of two executions at once, until each worker has run more than THRESHOLD of them.
		const byWorker = new Map<
			string,
			Array<{ id: string; route: unknown; reason: string; latencyMs: number }>
		>();
		for (let wave = 0; wave < 12; wave++) {
			const ids = await Promise.all([w.queue.runManually(id), w.queue.runManually(id)]);
			for (const runId of ids) {
				const run = await w.queue.waitForExecution(runId);
				expect(run.status).toBe('success');
				const [item] = nodeItems(run, 'Chat');
				const worker = w.queue.workerOf(runId)!;
				expect(worker).toMatch(/^worker-\d$/);
				byWorker.set(worker, [
					...(byWorker.get(worker) ?? []),
					{
						id: runId,
						route: item.route,
						reason: String(item.routeReason),
						latencyMs: Number(item.latencyMs),
					},
				]);
				w.outputs.push(JSON.stringify(item));
			}
			if (
				byWorker.size === 2 &&
				[...byWorker.values()].every((runs) => runs.length > THRESHOLD + 1)
			)
				break;
		}
		expect(byWorker.size).toBe(2);
		for (const [worker, runs] of byWorker) {
			runs.sort((a, b) => Number(a.id) - Number(b.id));
			// Every call answered by OpenRouter, well within the deadline.
			for (const run of runs) {
				expect(run.route).toBe('openrouter');
				expect(run.latencyMs).toBeLessThan(DEADLINE_S * 1000);
			}
			const refused = runs.filter((r) => /^litellm unreachable/.test(r.reason)).length;
			const skipped = runs.filter((r) => /^circuit open: litellm skipped/.test(r.reason)).length;
			expect(refused + skipped).toBe(runs.length);
			// Its own failures open its own breaker: at least THRESHOLD tries of LiteLLM on this worker (more only
			// when two executions were in flight on it at once), then only skips.
			expect({ worker, refused: refused >= THRESHOLD && refused <= THRESHOLD + 1 }).toEqual({
				worker,
				refused: true,
			});
			expect(skipped).toBe(runs.length - refused);
			const firstSkip = runs.findIndex((r) => r.reason.startsWith('circuit open'));
			expect(runs.slice(firstSkip).every((r) => r.reason.startsWith('circuit open'))).toBe(true);
			w.timings[`breaker ${worker} runs`] = runs.length;
			w.timings[`breaker ${worker} tried LiteLLM`] = refused;
		}
	}, 240_000);
}

const KEYS_MASTER = 'sk-e2e-master-breaker-0000';
