/**
 * Parameters read once per execution versus per item: a value without an expression is the same for every
 * item (read once), one with an expression is evaluated for each item, also inside the Options collection;
 * errors of a shared value still name each item. Through n8n-core's engine and the LiteLLM simulator.
 */
import type { LiteLlmSimulator } from '../../simulators/litellm';
import { chat, chatCalls, model, startLiteLlm } from './setup';

const items = ['alpha', 'beta', 'gamma'].map((tag, n) => ({ json: { n, tag } }));

describe('LiteLLM Chat: per-item and once-per-execution parameters', () => {
	let sim: LiteLlmSimulator;

	beforeAll(async () => {
		sim = await startLiteLlm();
	});
	afterAll(async () => sim.stop());

	it('evaluates expressions in the prompt and in Options for each item', async () => {
		const before = chatCalls(sim).length;
		const run = await chat({
			liteLlmUrl: sim.url,
			items,
			parameters: {
				model: model('gpt-4o-mini'),
				userMessage: '=Item {{ $json.n }}',
				options: { tags: '={{ $json.tag }}', temperature: 0.3, concurrency: 1 },
			},
		});
		expect(run.error).toBeUndefined();
		const bodies = chatCalls(sim)
			.slice(before)
			.map((c) => c.body as { messages: Array<{ content: string }>; tags: string[] });
		expect(bodies.map((b) => b.messages[0].content)).toEqual(['Item 0', 'Item 1', 'Item 2']);
		expect(bodies.map((b) => b.tags.filter((t) => !t.startsWith('n8n')))).toEqual([
			['alpha'],
			['beta'],
			['gamma'],
		]);
		expect(bodies.every((b) => (b as { temperature?: number }).temperature === 0.3)).toBe(true);
	});

	it('sends the same fixed Options and attribution with every item', async () => {
		const before = chatCalls(sim).length;
		const run = await chat({
			liteLlmUrl: sim.url,
			items,
			parameters: {
				model: model('gpt-4o-mini'),
				userMessage: 'Fixed prompt',
				options: { tags: 'team-a, team-b', metadata: '{"cost_center":"42"}' },
			},
		});
		expect(run.error).toBeUndefined();
		const bodies = chatCalls(sim)
			.slice(before)
			.map((c) => c.body as { tags: string[]; metadata: Record<string, unknown> });
		expect(bodies).toHaveLength(3);
		for (const body of bodies) {
			expect(body.tags).toEqual(
				expect.arrayContaining(['n8n', 'n8n-workflow:wf-chat-1', 'team-a', 'team-b']),
			);
			expect(body.metadata.cost_center).toBe('42');
			expect(body.metadata.spend_logs_metadata).toMatchObject({
				n8n_workflow_id: 'wf-chat-1',
				n8n_execution_id: 'exec-42',
			});
		}
	});

	it('reports a bad fixed option on every item, each with its own index, under Continue On Fail', async () => {
		const before = chatCalls(sim).length;
		const run = await chat({
			liteLlmUrl: sim.url,
			items,
			continueOnFail: true,
			parameters: {
				model: model('gpt-4o-mini'),
				options: { metadata: '{not json' },
			},
		});
		expect(chatCalls(sim).length).toBe(before);
		expect(run.items).toHaveLength(3);
		run.items.forEach((item, n) => {
			expect(String(item.json.error)).toContain('Metadata is not valid JSON');
			expect(item.pairedItem).toEqual({ item: n });
		});
	});
});
