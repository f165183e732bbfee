/**
 * workflows/cost-alerts.json in a real n8n: budget alerts once per crossing, the daily report each run.
 *
 * Repeat suppression is tested for real: `n8n execute` runs in mode 'cli', and n8n 2.41.1 saves workflow static
 * data for every mode but 'manual' (execution-lifecycle-hooks.js: `if (!isManualMode && ... newStaticData)`),
 * so the Budget Check's memory persists between the two CLI runs exactly as between two scheduled runs.
 */
import { itemsOf, run, SLACK_PATHS, WORKFLOW_IDS, type World } from './setup';

export function costAlertCases(world: () => World): void {
	it('first run: one Slack message per new threshold crossing and the daily report', async () => {
		const w = world();
		const result = await run(w, WORKFLOW_IDS.cost);
		expect(result.exitCode).toBe(0);
		const alerts = itemsOf(result, 'Budget check');
		expect(alerts.map((a) => [a.entity, a.threshold])).toEqual([
			[expect.stringMatching(/^agents /), 95],
			[expect.stringMatching(/^open-webui /), 80],
		]);
		// The Manual Trigger path runs both parts (the hourly and the daily one).
		expect(Object.keys(result.run?.data.resultData.runData ?? {})).toEqual(expect.arrayContaining(["When clicking 'Execute workflow'", 'Budget check', 'Savings vs OpenRouter', 'Post daily report']));
		const messages = w.messages(SLACK_PATHS.cost);
		expect(messages).toHaveLength(3);
		const [first, second, report] = messages;
		expect(first.text).toMatch(/^Key agents \(sk-\.\.\.[a-z0-9]{4}\) crossed 95% of its budget: \$9\.70 of \$10\.00/);
		expect(second.text).toMatch(/^Key open-webui \(sk-\.\.\.[a-z0-9]{4}\) crossed 80% of its budget: \$4\.20 of \$5\.00/);
		expect(report.text).toMatch(/Savings|OpenRouter/);
		const reportBlocks = JSON.stringify(report.blocks);
		expect(reportBlocks).toContain('LLM spend, last 24 hours');
		expect(reportBlocks).toContain('gpt-4o'); // top models
		expect((report.blocks ?? []).length).toBeLessThanOrEqual(50);
		// Research team at 30 %: below every threshold, no alert.
		expect(JSON.stringify(messages)).not.toContain('Research');
	});

	it('second run: the same crossings are not reported again; the report is', async () => {
		const w = world();
		const before = w.messages(SLACK_PATHS.cost).length;
		const result = await run(w, WORKFLOW_IDS.cost);
		expect(result.exitCode).toBe(0);
		expect(itemsOf(result, 'Budget check')).toHaveLength(0);
		const added = w.messages(SLACK_PATHS.cost).slice(before);
		expect(added).toHaveLength(1);
		expect(JSON.stringify(added[0].blocks)).toContain('LLM spend, last 24 hours');
	});

	it('a new crossing after more spend alerts once', async () => {
		const w = world();
		const row = [...w.litellm.ctx.state.keys.values()].find((r) => r.key_alias === 'open-webui')!;
		row.spend = 4.8; // 96 %
		const before = w.messages(SLACK_PATHS.cost).length;
		const result = await run(w, WORKFLOW_IDS.cost);
		expect(result.exitCode).toBe(0);
		const added = w.messages(SLACK_PATHS.cost).slice(before);
		expect(added.map((m) => m.text?.slice(0, 80))).toEqual([expect.stringMatching(/^Key open-webui .* crossed 95%/), expect.any(String)]);
	});
}
