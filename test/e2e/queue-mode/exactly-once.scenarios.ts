/**
 * Exactly-once across workers.
 *
 * - Rotation: 10 manual executions of key-rotation.json queued at once, spread over both workers, all listing
 *   the same due keys at the same moment. The rotation lease (an Infisical secret created only if absent) must
 *   let one of them rotate each key: one new key minted per key, one new version in Infisical, LiteLLM switched
 *   once, nothing lost (the stored key works, the lease is gone).
 * - Budget crossing: the Budget Check's memory is n8n workflow static data. In queue mode n8n 2.41.1 hands each
 *   production run the main's copy of the workflow from publishing time; the worker saves the new memory to the
 *   database, but no later run reads it. So executions at the same moment each report the crossing, and so does
 *   a later one. Recorded here as observed; the README says so.
 */
import { randomUUID } from 'node:crypto';

import { parseLease } from '../../../nodes/shared/rotation/lease';

import {
	DAY,
	ENV,
	FOLDER,
	KEYS,
	PROJECT,
	SLACK_PATHS,
	shipped,
	WORKFLOW_IDS,
} from '../workflows/setup';
import { queueRuns, type QueueWorld } from './world';

async function chatStatus(w: QueueWorld, key: string, model = 'gpt-4o-mini'): Promise<number> {
	const res = await fetch(`${w.litellm.url}/chat/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
	});
	await res.text();
	return res.status;
}

/**
 * cost-alerts.json with its hourly trigger swapped for a webhook (same node name, so the workflow's own "which
 * part runs" logic is unchanged): production runs that start exactly when the test says. `memory` is the
 * Budget Check's Remember Reported Crossings; Infisical's needs the Infisical credential too.
 */
async function costAlertsOnWebhook(
	w: QueueWorld,
	path: string,
	memory: 'workflow' | 'infisical',
): Promise<string> {
	const workflow = await shipped('cost-alerts.json', {
		slackWebhookUrl: w.slack.webhookUrl(SLACK_PATHS.cost),
	});
	const nodes = workflow.nodes as Array<Record<string, unknown>>;
	const index = nodes.findIndex((n) => n.name === 'Every hour');
	nodes[index] = {
		...nodes[index],
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
	if (memory === 'infisical') {
		const check = nodes.find((n) => n.name === 'Budget check')!;
		check.parameters = { ...(check.parameters as object), alertMemory: 'infisical' };
		check.credentials = {
			...(check.credentials as object),
			liteLlmInfisicalApi: { id: 'infisical0000001', name: 'Infisical' },
		};
	}
	const id = await w.queue.createWorkflow({
		...workflow,
		name: `Cost alerts on a webhook, memory ${memory} (queue e2e)`,
	});
	await w.suite.n8n.activateWorkflow(id);
	return id;
}

/** The "key crossed" alerts Slack received since message `from`, as "alias percent". */
function crossings(w: QueueWorld, from: number): string[] {
	return w
		.messages(SLACK_PATHS.cost)
		.slice(from)
		.map((m) =>
			/^Key (\S+) .* crossed (\d+)%/
				.exec(m.text ?? '')
				?.slice(1, 3)
				.join(' '),
		)
		.filter((a): a is string => !!a);
}

async function finished(w: QueueWorld, id: string, count: number): Promise<void> {
	const deadline = Date.now() + 90_000;
	while ((await w.queue.finishedExecutions(id)).length < count && Date.now() < deadline)
		await new Promise((r) => setTimeout(r, 300));
}

export function exactlyOnceScenarios(world: () => QueueWorld): void {
	it('a budget crossing checked by concurrent executions on the workers is reported by each of them, and again by a later run', async () => {
		const w = world();
		const id = await costAlertsOnWebhook(w, 'queue-budget-check', 'workflow');
		const before = w.messages(SLACK_PATHS.cost).length;

		const calls = await Promise.all(
			Array.from({ length: 4 }, () => w.suite.n8n.webhook('queue-budget-check', {})),
		);
		expect(calls.map((c) => c.status)).toEqual([200, 200, 200, 200]);
		const deadline = Date.now() + 60_000;
		let runs = await w.queue.finishedExecutions(id);
		while (runs.length < 4 && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 300));
			runs = await w.queue.finishedExecutions(id);
		}
		expect(runs).toHaveLength(4);
		expect(runs.every((r) => r.status === 'success' && r.mode === 'webhook')).toBe(true);
		const workers = new Set(runs.map((r) => w.queue.workerOf(r.id)));
		expect(workers.has(undefined)).toBe(false);
		const alerts = w
			.messages(SLACK_PATHS.cost)
			.slice(before)
			.map((m) =>
				/^Key (\S+) .* crossed (\d+)%/
					.exec(m.text ?? '')
					?.slice(1, 3)
					.join(' '),
			);
		const agents = alerts.filter((a) => a === 'agents 95').length;
		// Each execution that read the memory before another saved it reports the crossing: more than once.
		expect(agents).toBeGreaterThan(1);
		expect(agents).toBeLessThanOrEqual(runs.length);
		expect(alerts.filter((a) => a === 'open-webui 80')).toHaveLength(agents);
		w.timings.concurrentBudgetReports = agents;
		w.timings.concurrentBudgetWorkers = workers.size;

		// A later run, alone: the workers saved the memory to the database, but the run gets the main's copy of
		// the workflow from publishing time, so it reports the same crossings again.
		const saved = await w.queue.postgres.sql(
			`select "staticData"::text from workflow_entity where id = '${id}'`,
		);
		expect(saved).toMatch(/budgetMemory.*key:/);
		const after = w.messages(SLACK_PATHS.cost).length;
		const later = await w.suite.n8n.webhook('queue-budget-check', {});
		expect(later.status).toBe(200);
		while ((await w.queue.finishedExecutions(id)).length < 5 && Date.now() < deadline + 30_000)
			await new Promise((r) => setTimeout(r, 300));
		const again = w
			.messages(SLACK_PATHS.cost)
			.slice(after)
			.map((m) =>
				/^Key (\S+) .* crossed (\d+)%/
					.exec(m.text ?? '')
					?.slice(1, 3)
					.join(' '),
			);
		expect(again.sort()).toEqual(['agents 95', 'open-webui 80']);
		await w.suite.n8n.api('POST', `/workflows/${id}/deactivate`);
	}, 120_000);

	it('with Remember Reported Crossings in Infisical, concurrent executions on both workers report a crossing once, and a later run not again', async () => {
		const w = world();
		const id = await costAlertsOnWebhook(w, 'queue-budget-marker', 'infisical');
		const before = w.messages(SLACK_PATHS.cost).length;
		const calls = await Promise.all(
			Array.from({ length: 4 }, () => w.suite.n8n.webhook('queue-budget-marker', {})),
		);
		expect(calls.map((c) => c.status)).toEqual([200, 200, 200, 200]);
		await finished(w, id, 4);
		const runs = await w.queue.finishedExecutions(id);
		expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'success'));
		expect(runs).toHaveLength(4);
		expect(crossings(w, before).sort()).toEqual(['agents 95', 'open-webui 80']);
		expect(
			w.infisical
				.secrets(PROJECT, ENV, FOLDER)
				.filter((s) => s.secretKey.startsWith('LITELLM_BUDGET_ALERT_')).length,
		).toBeGreaterThanOrEqual(2);

		const after = w.messages(SLACK_PATHS.cost).length;
		expect((await w.suite.n8n.webhook('queue-budget-marker', {})).status).toBe(200);
		await finished(w, id, 5);
		expect(crossings(w, after)).toEqual([]);
		await w.suite.n8n.api('POST', `/workflows/${id}/deactivate`);
	}, 180_000);

	it('10 executions of the rotation queued at once rotate each due key exactly once and lose nothing', async () => {
		const w = world();
		const ledger = {
			litellm: w.litellm.ledger.length,
			providers: w.providers.ledger.length,
			openRouter: w.openRouter.ledger.length,
		};
		const versions = (name: string) =>
			w.infisical.secrets(PROJECT, ENV, FOLDER).find((s) => s.secretKey === name)?.versions
				.length ?? 0;
		const before = {
			virtual: versions('OPEN_WEBUI_LITELLM_KEY'),
			perplexity: versions('PERPLEXITYAI_API_KEY'),
			openRouter: versions('OPENROUTER_API_KEY'),
		};

		const ids = await queueRuns(w, WORKFLOW_IDS.rotation, 10);
		const runs = await Promise.all(ids.map((id) => w.queue.waitForExecution(id, 150_000)));
		expect(runs.map((r) => r.status)).toEqual(ids.map(() => 'success'));
		expect(new Set(ids.map((id) => w.queue.workerOf(id))).size).toBe(2); // both workers took part

		// One new key minted per due key, and one new version of each secret.
		const litellmCalls = w.litellm.ledger.slice(ledger.litellm);
		expect(
			litellmCalls.filter((e) => e.method === 'POST' && e.path === '/key/generate'),
		).toHaveLength(1);
		expect(
			w.providers.ledger
				.slice(ledger.providers)
				.filter((e) => e.path === '/perplexity/generate_auth_token'),
		).toHaveLength(1);
		expect(
			w.openRouter.ledger
				.slice(ledger.openRouter)
				.filter((e) => e.method === 'POST' && e.path === '/api/v1/keys'),
		).toHaveLength(1);
		expect(versions('OPEN_WEBUI_LITELLM_KEY')).toBe(before.virtual + 1);
		expect(versions('PERPLEXITYAI_API_KEY')).toBe(before.perplexity + 1);
		expect(versions('OPENROUTER_API_KEY')).toBe(before.openRouter + 1);

		// Nothing lost: what Infisical holds is what works, the old keys are retired, no lease is left behind.
		const virtual = w.secretValue('OPEN_WEBUI_LITELLM_KEY')!;
		expect(virtual).not.toBe(KEYS.openWebUi);
		expect(await chatStatus(w, virtual)).toBe(200);
		const left = Date.parse(w.litellm.keyRow(KEYS.openWebUi)!.expires!) - Date.now();
		expect(left).toBeLessThanOrEqual(DAY);
		expect(w.litellm.ctx.state.credentials.get('perplexity-byok')?.credential_values.api_key).toBe(
			w.secretValue('PERPLEXITYAI_API_KEY'),
		);
		expect(w.litellm.ctx.state.credentials.get('openrouter-byok')?.credential_values.api_key).toBe(
			w.secretValue('OPENROUTER_API_KEY'),
		);
		expect(w.providers.revoked('perplexity')).toEqual([KEYS.perplexity]);
		// The lease chain keeps its newest generation, released; none may still hold a rotation.
		const leases = w.infisical
			.secrets(PROJECT, ENV, FOLDER)
			.filter((s) => /_ROTATION_LEASE(_\d+)?$/.test(s.secretKey));
		expect(leases.length).toBeGreaterThan(0);
		expect(
			leases.filter((s) => !parseLease(s.secretValue)?.released).map((s) => s.secretKey),
		).toEqual([]);

		// Slack: exactly one summary names each rotation.
		const texts = w.messages(SLACK_PATHS.rotation).map((m) => m.text ?? '');
		expect(
			texts.filter((t) => /OPEN_WEBUI_LITELLM_KEY \(virtual key\): sk-\.\.\.\w{4} → /.test(t)),
		).toHaveLength(1);
		w.outputs.push(
			JSON.stringify(runs.map((r) => r.data ?? {})),
			JSON.stringify(w.messages(SLACK_PATHS.rotation)),
		);
	}, 240_000);
}
