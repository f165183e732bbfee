/**
 * Exactly-once across queue-mode workers, as scenarios a queue-mode world runs (n8n main + workers over
 * Postgres and Redis, the package installed in all of them). The world owns the processes and simulators; these
 * functions only create workflows, start executions, and read the simulators' own state:
 * - 10 executions of one rotation queued at once rotate the key once (one `/key/generate`, one new key stored,
 *   the others answer "in progress" or, when they start after it finished, "already rotated"); no key is lost;
 * - two budget checks with the memory in Infisical run at the same moment: one Slack message per crossing.
 * Manual executions must reach the workers (`OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true`), else they run on main.
 */
import type { IDataObject } from 'n8n-workflow';

import type { InfisicalSimulator } from '../../simulators/infisical';
import type { LiteLlmSimulator } from '../../simulators/litellm';
import type { SlackReceiver } from '../../simulators/slack';

/** A finished execution as the world reads it back from n8n. */
export interface FinishedExecution {
	id: string;
	/** n8n's execution status: `success`, `error`, … */
	status: string;
	/** The json of the last node's output items (with continueOnFail, an error is an item with `error`). */
	items: IDataObject[];
}

/** What the scenarios need from a queue-mode world. */
export interface ExactlyOnceWorld {
	/** Imports a workflow into n8n; its id. */
	createWorkflow(json: IDataObject): Promise<string>;
	/** Starts a manual execution (queued for a worker); its execution id. */
	runManually(workflowId: string): Promise<string>;
	/** Waits until the execution finished on whichever worker ran it. */
	waitForExecution(id: string): Promise<FinishedExecution>;
	/** Ids of credentials the world imported: LiteLLM (master key) and Infisical (the keys' folder). */
	credentials: { liteLlmApi: string; liteLlmInfisicalApi: string };
	/** Where the Infisical credential points. */
	infisicalScope: { projectId: string; environment: string; secretPath: string };
	infisical: InfisicalSimulator;
	/** The LiteLLM simulator with key management (`/key/generate`, `/key/update`, `/key/info`) registered. */
	litellm: LiteLlmSimulator;
	slack: SlackReceiver;
}

const PACKAGE = 'n8n-nodes-litellm';

/** Manual Trigger → one node of the package, with continueOnFail so errors come back as items. */
function oneNodeWorkflow(
	world: ExactlyOnceWorld,
	name: string,
	nodeType: string,
	parameters: IDataObject,
	credentialTypes: Array<keyof ExactlyOnceWorld['credentials']>,
): IDataObject {
	return {
		name,
		nodes: [
			{
				id: 'trigger',
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'node',
				name: 'Node',
				type: `${PACKAGE}.${nodeType}`,
				typeVersion: 1,
				position: [220, 0],
				parameters,
				onError: 'continueRegularOutput',
				credentials: Object.fromEntries(
					credentialTypes.map((t) => [t, { id: world.credentials[t], name: t }]),
				),
			},
		],
		connections: { Manual: { main: [[{ node: 'Node', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

async function runAll(world: ExactlyOnceWorld, workflowId: string, n: number) {
	const ids = await Promise.all(Array.from({ length: n }, () => world.runManually(workflowId)));
	return await Promise.all(ids.map((id) => world.waitForExecution(id)));
}

const SECRET = 'QUEUE_ONCE_VIRTUAL_KEY';
const OLD_KEY = 'sk-queue-once-old-key-000000000001';

/** 10 executions of one rotation queued at once: the key is rotated exactly once and nothing is lost. */
export async function tenRotationsQueuedAtOnce(world: ExactlyOnceWorld): Promise<void> {
	world.litellm.addVirtualKey({ key: OLD_KEY, key_alias: 'queue-once', models: [] });
	world.infisical.seedSecret({
		...world.infisicalScope,
		secretKey: SECRET,
		secretValue: OLD_KEY,
		secretComment: JSON.stringify({ managedBy: PACKAGE, kind: 'virtual-key' }),
	});
	const workflowId = await world.createWorkflow(
		oneNodeWorkflow(
			world,
			'Exactly-once rotation',
			'liteLlmKeyManager',
			{
				resource: 'virtualKey',
				operation: 'rotateVirtualKey',
				keyName: SECRET,
				regenerate: 'never',
				oldKeyAction: 'expire',
				gracePeriod: '1h',
				// One rotation id for all ten: an execution a worker starts after the rotation finished says
				// "already rotated" instead of rotating a second time.
				rotationId: 'rot-queue-once',
			},
			['liteLlmApi', 'liteLlmInfisicalApi'],
		),
	);
	const generateBefore = world.litellm.ledger.filter((e) => e.path === '/key/generate').length;

	const runs = await runAll(world, workflowId, 10);
	const items = runs.map((r) => r.items[0] ?? {});
	const rotated = items.filter((j) => j.status === 'rotated');
	const others = items.filter((j) => j.status !== 'rotated');
	expect(rotated).toHaveLength(1);
	for (const j of others)
		expect(
			j.status === 'already_rotated' || /already in progress/.test(String(j.error ?? '')),
		).toBe(true);

	// One key minted, stored, working; the old one alive only for its grace period; no lease held.
	const minted = world.litellm.ledger.filter((e) => e.path === '/key/generate').length;
	expect(minted - generateBefore).toBe(1);
	const folder = world.infisical.secrets(
		world.infisicalScope.projectId,
		world.infisicalScope.environment,
		world.infisicalScope.secretPath,
	);
	const stored = folder.find((s) => s.secretKey === SECRET)?.secretValue;
	expect(stored).toBeDefined();
	expect(stored).not.toBe(OLD_KEY);
	const row = world.litellm.keyRow(stored!);
	expect(row).toBeDefined();
	expect(row!.blocked).toBeFalsy();
	const leases = folder.filter((s) => s.secretKey.startsWith(`${SECRET}_ROTATION_LEASE`));
	for (const lease of leases)
		expect((JSON.parse(lease.secretValue) as { released?: boolean }).released).toBe(true);
}

/** Two budget checks with the memory in Infisical at the same moment: one Slack message per crossing. */
export async function twoBudgetChecksAtOnce(world: ExactlyOnceWorld): Promise<void> {
	world.litellm.addVirtualKey({
		key: 'sk-queue-once-budget-00000000001',
		key_alias: 'queue-budget',
		max_budget: 10,
		spend: 9.7,
	});
	const workflowId = await world.createWorkflow(
		oneNodeWorkflow(
			world,
			'Exactly-once budget alert',
			'liteLlmUsage',
			{
				operation: 'budgetCheck',
				thresholds: '80, 95',
				budgetScope: ['keys'],
				proxyMonthlyBudget: 0,
				deliverTo: 'slack',
				slackWebhookUrl: world.slack.webhookUrl(),
				alertMemory: 'infisical',
			},
			['liteLlmApi', 'liteLlmInfisicalApi'],
		),
	);
	const before = world.slack.messages.length;
	const runs = await runAll(world, workflowId, 2);
	const about = (text: unknown) => /queue-budget/.test(String(text));
	expect(world.slack.messages.slice(before).filter((m) => about(m.text))).toHaveLength(1);
	// The run that claimed the crossing outputs it; the other outputs nothing for it.
	const output = runs.flatMap((r) => r.items).filter((j) => about(j.entity));
	expect(output.map((j) => [j.threshold, j.delivered])).toEqual([[95, true]]);

	// A later check (any worker) sends nothing more.
	const [later] = await runAll(world, workflowId, 1);
	expect(later.items.filter((j) => about(j.entity))).toHaveLength(0);
	expect(world.slack.messages.slice(before).filter((m) => about(m.text))).toHaveLength(1);
}

/** Both scenarios, in order, on one world. */
export async function exactlyOnceScenarios(world: ExactlyOnceWorld): Promise<void> {
	await tenRotationsQueuedAtOnce(world);
	await twoBudgetChecksAtOnce(world);
}
