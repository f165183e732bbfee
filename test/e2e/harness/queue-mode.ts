/**
 * n8n 2.41.1 in queue mode, for real: PostgreSQL 15 and Redis (Debian's binaries, temp folders, free ports on
 * 127.0.0.1), one `n8n start` main and `workers` × `n8n worker`, all three on one user folder so the packed
 * package installed there loads in each (n8n's community-nodes folder), with one shared encryption key.
 *
 * - Manual runs go to the workers too (`OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true`); without it n8n 2.41.1
 *   runs manual executions in the main process even in queue mode. Scheduled and webhook runs always queue.
 * - n8n's public-API key is created on first use; `start()` makes that first call, so later parallel calls
 *   do not each create one.
 * - `workerOf(executionId)` reads the workers' own log line "Worker started execution <id>".
 */
import type { IRunExecutionData } from 'n8n-workflow';

import type { WorkflowJson } from './credentials-file';
import { N8nWorker, workerPorts } from './n8n-worker';
import { type PostgresServer, startPostgres } from './postgres';
import { type RedisServer, startRedis } from './redis';
import { type N8nSuite, setupN8n } from './suite';

export interface QueueModeOptions {
	/** Number of `n8n worker` processes (default 2). */
	workers?: number;
	/** Jobs each worker runs at once (`--concurrency`, n8n's default 10). */
	concurrency?: number;
	/** Extra environment for the main and the workers. */
	env?: Record<string, string>;
}

export interface ExecutionRecord {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	startedAt: string | null;
	stoppedAt: string | null;
	data?: IRunExecutionData;
}

export interface QueueMode {
	suite: N8nSuite;
	postgres: PostgresServer;
	redis: RedisServer;
	workers: N8nWorker[];
	/** Milliseconds each part took to come up. */
	timings: Record<string, number>;
	/** Starts a manual execution on the queue from the workflow's first Manual Trigger; returns its id. */
	runManually(workflowId: string): Promise<string>;
	/** Polls the public API until the execution has stopped; returns it with its run data. */
	waitForExecution(id: string, timeoutMs?: number): Promise<ExecutionRecord>;
	/** Creates a workflow through the public API (name, nodes, connections, settings); returns its id. */
	createWorkflow(workflow: WorkflowJson): Promise<string>;
	/** Executions of a workflow that have stopped, oldest first. */
	finishedExecutions(workflowId: string): Promise<ExecutionRecord[]>;
	/** The worker that ran an execution (its name), or undefined when no worker logged it. */
	workerOf(executionId: string): string | undefined;
	/** Stops the workers, the main, Redis and PostgreSQL (everything this world started). */
	stop(): Promise<void>;
}

export async function setupQueueMode(options: QueueModeOptions = {}): Promise<QueueMode> {
	const timings: Record<string, number> = {};
	let t = Date.now();
	const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
	timings.servicesMs = Date.now() - t;
	const started: Array<() => Promise<void>> = [redis.stop, postgres.stop];
	const stopAll = async () => {
		for (const stop of started.splice(0).reverse()) await stop().catch(() => undefined);
	};
	try {
		t = Date.now();
		const suite = await setupN8n({
			env: {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: postgres.host,
				DB_POSTGRESDB_PORT: String(postgres.port),
				DB_POSTGRESDB_DATABASE: postgres.database,
				DB_POSTGRESDB_USER: postgres.user,
				DB_POSTGRESDB_PASSWORD: '',
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: redis.host,
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
				...options.env,
			},
		});
		started.push(suite.teardown);
		timings.installMs = Date.now() - t;

		t = Date.now();
		await suite.n8n.start();
		timings.mainStartMs = Date.now() - t;
		// The public-API key is made on first use: one call now, before anything calls in parallel.
		await suite.n8n.api('GET', '/workflows?limit=1');

		t = Date.now();
		const ports = await workerPorts(suite.n8n, options.workers ?? 2);
		const workers = ports.map((p, i) =>
			N8nWorker.create(`worker-${i + 1}`, suite.n8n, p, options.concurrency),
		);
		for (const worker of workers) started.push(() => worker.stop());
		await Promise.all(workers.map((w) => w.start()));
		timings.workersStartMs = Date.now() - t;

		const n8n = suite.n8n;
		const getExecution = async (id: string, includeData: boolean) => {
			const res = await n8n.api<ExecutionRecord>(
				'GET',
				`/executions/${id}?includeData=${includeData}`,
			);
			if (res.status !== 200)
				throw new Error(`execution ${id}: ${res.status} ${JSON.stringify(res.body)}`);
			return res.body;
		};

		return {
			suite,
			postgres,
			redis,
			workers,
			timings,
			async runManually(workflowId) {
				const wf = await n8n.api<{ nodes: Array<{ name: string; type: string }> }>(
					'GET',
					`/workflows/${workflowId}`,
				);
				if (wf.status !== 200)
					throw new Error(`workflow ${workflowId}: ${wf.status} ${JSON.stringify(wf.body)}`);
				const trigger = wf.body.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
				if (!trigger) throw new Error(`workflow ${workflowId} has no Manual Trigger`);
				const res = await n8n.rest<{ data: { executionId?: string } }>(
					'POST',
					`/workflows/${workflowId}/run`,
					{
						triggerToStartFrom: { name: trigger.name },
					},
				);
				const id = res.body?.data?.executionId;
				if (res.status !== 200 || !id)
					throw new Error(`run ${workflowId}: ${res.status} ${JSON.stringify(res.body)}`);
				return String(id);
			},
			async waitForExecution(id, timeoutMs = 120_000) {
				const deadline = Date.now() + timeoutMs;
				for (;;) {
					const found = await getExecution(id, false).catch(() => undefined);
					if (found?.stoppedAt && found.status !== 'running' && found.status !== 'new')
						return await getExecution(id, true);
					if (Date.now() > deadline)
						throw new Error(
							`execution ${id} did not stop within ${timeoutMs} ms (${found?.status ?? 'not found'})`,
						);
					await new Promise((r) => setTimeout(r, 300));
				}
			},
			async createWorkflow(workflow) {
				const res = await n8n.api<{ id: string }>('POST', '/workflows', {
					name: workflow.name ?? 'queue-mode e2e',
					nodes: workflow.nodes,
					connections: workflow.connections,
					settings: workflow.settings ?? { executionOrder: 'v1' },
				});
				if (res.status !== 200)
					throw new Error(`create workflow: ${res.status} ${JSON.stringify(res.body)}`);
				return res.body.id;
			},
			async finishedExecutions(workflowId) {
				const res = await n8n.api<{ data: ExecutionRecord[] }>(
					'GET',
					`/executions?workflowId=${workflowId}&limit=250`,
				);
				if (res.status !== 200)
					throw new Error(`executions: ${res.status} ${JSON.stringify(res.body)}`);
				return res.body.data.filter((e) => e.stoppedAt).sort((a, b) => Number(a.id) - Number(b.id));
			},
			workerOf(executionId) {
				return workers.find((w) => w.startedExecutions().includes(String(executionId)))?.name;
			},
			stop: stopAll,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}
