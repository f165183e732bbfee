/**
 * What the README promises of every shipped workflow (workflows/*.json): it starts with a Settings node that
 * holds what a user tunes (every trigger leads straight into it), and it explains itself in sticky notes, the
 * first one "About this workflow" with a heading. A new workflow that skips either fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface WorkflowNode {
	name: string;
	type: string;
	parameters?: { content?: string; mode?: string; jsonOutput?: string };
}

interface Workflow {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main?: Array<Array<{ node: string }>> }>;
}

const DIR = join(__dirname, '..', '..', '..', 'workflows');
const files = readdirSync(DIR)
	.filter((f) => f.endsWith('.json'))
	.sort();

/** n8n's trigger nodes: a type named *Trigger, or the Webhook (a trigger without the word). */
function isTrigger(node: WorkflowNode): boolean {
	return /trigger$/i.test(node.type) || node.type === 'n8n-nodes-base.webhook';
}

describe('every shipped workflow', () => {
	it('is there to check (the folder is read)', () => {
		expect(files).toContain('ai-agent-litellm.json');
		expect(files.length).toBeGreaterThanOrEqual(6);
	});

	describe.each(files)('%s', (file) => {
		const workflow = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Workflow;

		it('has a Settings node (Edit Fields, raw JSON that parses) that every trigger leads into', () => {
			const settings = workflow.nodes.find((n) => n.name === 'Settings');
			expect(settings?.type).toBe('n8n-nodes-base.set');
			expect(settings?.parameters?.mode).toBe('raw');
			const values = JSON.parse(settings?.parameters?.jsonOutput ?? '') as Record<string, unknown>;
			expect(Object.keys(values).length).toBeGreaterThan(0);

			const triggers = workflow.nodes.filter(isTrigger);
			expect(triggers.length).toBeGreaterThan(0);
			for (const trigger of triggers) {
				const next = (workflow.connections[trigger.name]?.main ?? []).flat().map((c) => c.node);
				expect([trigger.name, next]).toEqual([trigger.name, ['Settings']]);
			}
		});

		it('explains itself in sticky notes, the first "About this workflow" with a heading', () => {
			const notes = workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote');
			expect(notes.map((n) => n.name)).toContain('About this workflow');
			const about = notes.find((n) => n.name === 'About this workflow');
			expect(about?.parameters?.content).toMatch(/^## \S/);
			for (const note of notes) expect(note.parameters?.content?.trim().length).toBeGreaterThan(40);
		});
	});
});
