/**
 * The queue-mode world: the workflow suite's simulators and seeded state (see ../workflows/setup.ts), with the
 * shipped workflows imported into an n8n in queue mode (PostgreSQL, Redis, a main and two workers) instead of the
 * single SQLite process.
 */
import { type QueueMode, setupQueueMode } from '../harness/queue-mode';
import { startWorld, type World } from '../workflows/setup';

export interface QueueWorld extends World {
	queue: QueueMode;
}

export async function startQueueWorld(): Promise<QueueWorld> {
	let queue: QueueMode | undefined;
	try {
		const world = await startWorld(async () => {
			queue = await setupQueueMode();
			return queue.suite;
		});
		const stopWorld = world.stop;
		return Object.assign(world, {
			queue: queue!,
			// Workers and main first (they talk to the simulators until they stop), then the simulators.
			async stop() {
				await queue!.stop();
				await stopWorld();
			},
		});
	} catch (error) {
		await queue?.stop();
		throw error;
	}
}

/** Starts `count` manual executions of a workflow at once; returns their ids. */
export async function queueRuns(
	w: QueueWorld,
	workflowId: string,
	count: number,
): Promise<string[]> {
	return await Promise.all(Array.from({ length: count }, () => w.queue.runManually(workflowId)));
}

/** Node output items of a finished execution (first output, first run of the node). */
export function nodeItems(
	execution: {
		data?: {
			resultData: {
				runData: Record<
					string,
					Array<{ data?: { main?: Array<Array<{ json: unknown }> | null> } }>
				>;
			};
		};
	},
	node: string,
): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[node];
	return (runs?.[0]?.data?.main?.[0] ?? []).map((i) => i.json as Record<string, unknown>);
}
