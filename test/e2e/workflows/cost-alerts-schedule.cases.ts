/**
 * Budget alerts exactly once, on a real schedule: cost-alerts.json as shipped, its hourly trigger set to every
 * 10 seconds, published in the running n8n, with the Slack webhook failing its first two posts. n8n 2.41.1 saves
 * workflow static data for failed runs too, so only the node's own rule (remember an alert once Slack accepted
 * it) keeps a failed alert from being lost: the first run fails, the next one delivers every alert, and no later
 * run repeats one.
 */
import { SLACK_PATHS, shipped, WORKFLOW_IDS, type World } from './setup';

interface ExecutionRow {
	id: string;
	status: string;
	mode: string;
	stoppedAt: string | null;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function finishedRuns(w: World, workflowId: string): Promise<ExecutionRow[]> {
	const res = await w.suite.n8n.api<{ data: ExecutionRow[] }>('GET', `/executions?workflowId=${workflowId}&limit=50`);
	if (res.status !== 200) throw new Error(`executions: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body.data.filter((e) => e.stoppedAt).sort((a, b) => Number(a.id) - Number(b.id));
}

export function scheduledBudgetAlertCases(world: () => World): void {
	it('Slack fails twice: the failed run is followed by one that delivers every alert, and none is ever repeated', async () => {
		const w = world();
		const id = WORKFLOW_IDS.costScheduled;
		const workflow = await shipped('cost-alerts.json', { slackWebhookUrl: w.slack.webhookUrl(SLACK_PATHS.costScheduled) });
		const hourly = (workflow.nodes as Array<{ name: string; parameters: Record<string, unknown> }>).find((n) => n.name === 'Every hour')!;
		hourly.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: 10 }] };
		await w.suite.n8n.importWorkflow({ ...workflow, id, name: 'Cost alerts every 10 seconds (e2e)' });

		w.slack.failNext(2);
		await w.suite.n8n.activateWorkflow(id);
		const deadline = Date.now() + 120_000;
		let runs: ExecutionRow[] = [];
		while (Date.now() < deadline) {
			runs = await finishedRuns(w, id);
			if (runs.length >= 4) break;
			await delay(1000);
		}
		await w.suite.n8n.api('POST', `/workflows/${id}/deactivate`);

		expect(runs.length).toBeGreaterThanOrEqual(4);
		expect(runs.every((r) => r.mode === 'trigger')).toBe(true);
		// The two failed posts may fall in one run (two alerts) or, with one alert, in two runs.
		const failed = runs.filter((r) => r.status === 'error').length;
		expect(failed).toBeGreaterThanOrEqual(1);
		expect(runs.slice(0, failed).every((r) => r.status === 'error')).toBe(true);
		expect(runs.slice(failed).every((r) => r.status === 'success')).toBe(true);

		const messages = w.messages(SLACK_PATHS.costScheduled);
		const alerted = messages.map((m) => /^Key (\S+) .* crossed (\d+)%/.exec(m.text ?? '')?.slice(1, 3).join(' '));
		expect(alerted.length).toBeGreaterThanOrEqual(1);
		expect(alerted.every(Boolean)).toBe(true);
		expect(new Set(alerted).size).toBe(alerted.length); // delivered once, never repeated
		expect(w.slack.ledger.filter((e) => e.path === SLACK_PATHS.costScheduled && e.status === 500)).toHaveLength(2);
	}, 180_000);
}
