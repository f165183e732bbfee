/** workflows/key-validation.json in a real n8n: one grouped Slack message when something needs attention, none otherwise. */
import { DAY, itemsOf, KEYS, run, SLACK_PATHS, WORKFLOW_IDS, type World } from './setup';

export function keyValidationCases(world: () => World): void {
	it('checks every provider key and the expiring virtual keys; one grouped Slack message', async () => {
		const w = world();
		const result = await run(w, WORKFLOW_IDS.validation);
		expect(result.exitCode).toBe(0);
		const checks = itemsOf(result, 'Validate all provider keys');
		const status = Object.fromEntries(checks.map((c) => [c.secretName, c.status]));
		expect(status).toMatchObject({ OPENAI_API_KEY: 'valid', GROQ_API_KEY: 'valid', ANTHROPIC_API_KEY: 'invalid', PERPLEXITYAI_API_KEY: 'valid', OPENROUTER_API_KEY: 'valid' });
		expect(checks.find((c) => c.secretName === 'OPEN_WEBUI_LITELLM_KEY')).toBeUndefined(); // a virtual key, not a provider key

		const messages = w.messages(SLACK_PATHS.validation);
		expect(messages).toHaveLength(1);
		const text = messages[0].text ?? '';
		const blocks = JSON.stringify(messages[0].blocks);
		expect(text).toMatch(/1 of 5 provider keys failed their check: ANTHROPIC_API_KEY invalid/);
		expect(text).toMatch(/1 virtual key\(s\) expiring within 1d: mcp-tools/);
		expect(text).toMatch(/1 virtual key\(s\) expiring within 3d: archon/);
		expect(text).toMatch(/1 virtual key\(s\) expiring within 7d: agents/);
		expect(blocks).toContain('Expires within 1 day');
		expect(blocks).toMatch(/sk-ant-api03-\.\.\.0001, fp [0-9a-f]{12}/); // masked, with its fingerprint
		expect(blocks).not.toContain('OPENAI_API_KEY');
	});

	it('sends nothing when every key is fine', async () => {
		const w = world();
		// The user fixes what was reported: a working Anthropic key, expiries moved out.
		w.providers.addKey('anthropic', KEYS.anthropic);
		for (const alias of ['agents', 'archon', 'mcp-tools']) {
			const row = [...w.litellm.ctx.state.keys.values()].find((r) => r.key_alias === alias)!;
			row.expires = new Date(Date.now() + 30 * DAY).toISOString();
		}
		const before = w.messages(SLACK_PATHS.validation).length;
		const result = await run(w, WORKFLOW_IDS.validation);
		expect(result.exitCode).toBe(0);
		expect(itemsOf(result, 'Validate all provider keys').every((c) => c.status === 'valid')).toBe(true);
		expect(itemsOf(result, 'Build Slack message')).toHaveLength(0);
		expect(w.messages(SLACK_PATHS.validation)).toHaveLength(before);
	});
}
