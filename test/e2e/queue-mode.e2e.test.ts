/**
 * The package in n8n's queue mode: one world (PostgreSQL 15, Redis, an n8n main and two workers, the
 * workflow suite's simulators) started once for every scenario module in ./queue-mode, to keep CI time down.
 * Order matters where scenarios share state: the budget scenarios read key spend before the rotation replaces
 * the open-webui key; the database scan runs last, over everything the runs stored.
 */
import { breakerScenarios } from './queue-mode/breaker.scenarios';
import { exactlyOnceScenarios } from './queue-mode/exactly-once.scenarios';
import { secretScanScenarios } from './queue-mode/secret-scan.scenarios';
import { shippedWorkflowScenarios } from './queue-mode/shipped-workflows.scenarios';
import { type QueueWorld, startQueueWorld } from './queue-mode/world';

let w: QueueWorld | undefined;
const world = (): QueueWorld => {
	if (!w) throw new Error('the queue-mode world did not start');
	return w;
};

beforeAll(async () => {
	w = await startQueueWorld();
}, 600_000);

afterAll(async () => {
	if (!w) return;
	process.stderr.write(
		`[e2e] queue-mode timings: ${JSON.stringify({ ...w.timings, ...w.queue.timings })}\n`,
	);
	await w.stop();
}, 120_000);

describe('n8n queue mode (PostgreSQL, Redis, a main and two workers)', () => {
	describe('shipped workflows', () => shippedWorkflowScenarios(world));
	describe('exactly once across workers', () => exactlyOnceScenarios(world));
	describe('breaker and failover', () => breakerScenarios(world));
	describe('nothing secret stored', () => secretScanScenarios(world));
});
