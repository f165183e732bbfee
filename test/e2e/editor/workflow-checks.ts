/**
 * The shipped workflows in the editor: each opened, every credential switched to a second credential of the
 * same type (created with the same sandbox values, so the run must not change), saved; its parameters must be
 * exactly as shipped. Workflows with a manual trigger then run from the canvas's "Execute workflow" and must
 * do what the CLI runs of the sandbox suite see them do (their Slack messages).
 */
import { isDeepStrictEqual } from 'node:util';

import type { INodeParameters } from 'n8n-workflow';

import type { RunningLocal } from '../../sandbox/start';
import type { EditorPage } from './editor-page';
import { comparable } from './expected-form';

export interface SavedNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

interface SavedWorkflow {
	id: string;
	nodes: SavedNode[];
}

export async function savedWorkflow(running: RunningLocal, id: string): Promise<SavedWorkflow> {
	const res = await running.n8n.rest<{ data: SavedWorkflow }>('GET', `/workflows/${id}`);
	if (res.status !== 200) throw new Error(`GET /rest/workflows/${id}: ${res.status}`);
	return res.body.data;
}

/** A copy of every credential of the instance, named `<name><suffix>`, with the sandbox's values. */
export async function secondCredentials(running: RunningLocal, suffix: string): Promise<void> {
	const sandbox = running.sandbox;
	if (!sandbox) throw new Error('the editor suite runs against the sandbox');
	const list = await running.n8n.rest<{ data: Array<{ id: string; name: string; type: string }> }>(
		'GET',
		'/credentials',
	);
	const copies = list.body.data.map((c) => {
		const data =
			sandbox.credentialsById[c.id] ??
			(sandbox.credentials as Record<string, Record<string, unknown>>)[c.type];
		if (!data) throw new Error(`no sandbox values for credential ${c.name} (${c.type})`);
		return { id: `${c.id}2`, name: `${c.name}${suffix}`, type: c.type, data: { ...data } };
	});
	// The CLI import takes the sandbox's values as they are (the public API rejects fields a type hides).
	await running.n8n.importCredentials(copies);
}

interface Execution {
	id: string;
	status: string;
}

async function executions(running: RunningLocal, workflowId: string): Promise<Execution[]> {
	const res = await running.n8n.api<{ data: Execution[] }>(
		'GET',
		`/executions?workflowId=${workflowId}&limit=20`,
	);
	return res.body.data;
}

async function runFromCanvas(
	running: RunningLocal,
	editor: EditorPage,
	workflowId: string,
	trigger: string,
): Promise<Execution> {
	const before = new Set((await executions(running, workflowId)).map((e) => e.id));
	await editor.canvasNode(trigger).hover();
	await editor.testId(`execute-workflow-button-${trigger}`).click();
	const deadline = Date.now() + 180_000;
	while (Date.now() < deadline) {
		const done = (await executions(running, workflowId)).find(
			(e) => !before.has(e.id) && !['new', 'running', 'waiting'].includes(e.status),
		);
		if (done) return done;
		await new Promise((r) => setTimeout(r, 1000));
	}
	throw new Error(`no finished execution of ${workflowId} within 180 s`);
}

interface WorkflowCheck {
	file: string;
	run(running: RunningLocal, editor: EditorPage, suffix: string): Promise<void>;
}

const MANUAL = "When clicking 'Execute workflow'";

function check(file: string, expectRun?: (slack: string[]) => void): WorkflowCheck {
	return {
		file,
		async run(running, editor, suffix) {
			const listed = running.workflows.find((w) => w.file === file);
			if (!listed) throw new Error(`${file} was not imported`);
			const shipped = await savedWorkflow(running, listed.id);
			await editor.openWorkflow(listed.id);
			for (const node of shipped.nodes.filter(
				(n) => n.credentials && Object.keys(n.credentials).length,
			)) {
				await editor.openNdv(node.name);
				const slots = Object.keys(node.credentials!).length;
				expect([node.name, (await editor.credentialLabels()).length]).toEqual([node.name, slots]);
				for (let i = 0; i < slots; i++)
					await editor.pickCredential(i, (await editor.shownCredential(i)) + suffix);
				await editor.closeNdv();
			}
			await editor.save();
			const switched = await savedWorkflow(running, listed.id);
			for (const node of shipped.nodes) {
				const now = switched.nodes.find((n) => n.name === node.name);
				// This package's nodes keep their parameters exactly; n8n's own nodes it may normalise (a Respond to
				// Webhook node gains its default response code), which is n8n's business.
				const own = node.type.startsWith('n8n-nodes-litellm.');
				const same =
					!own ||
					(now &&
						isDeepStrictEqual(
							comparable(now.type, now.parameters as INodeParameters),
							comparable(node.type, node.parameters as INodeParameters),
						));
				expect([node.name, same ? 'same parameters' : now?.parameters]).toEqual([
					node.name,
					'same parameters',
				]);
				for (const [type, ref] of Object.entries(node.credentials ?? {})) {
					expect([node.name, type, now?.credentials?.[type]?.name]).toEqual([
						node.name,
						type,
						ref.name + suffix,
					]);
				}
			}
			if (!expectRun) return;
			const slack = running.sandbox!.slack.messages;
			const seen = slack.length;
			const execution = await runFromCanvas(running, editor, listed.id, MANUAL);
			expect([file, execution.status]).toEqual([file, 'success']);
			expectRun(slack.slice(seen).map((m) => String((m as { text?: string }).text)));
		},
	};
}

export const shippedWorkflowChecks: WorkflowCheck[] = [
	check('key-validation.json', (messages) => {
		expect(messages.join('\n')).toMatch(/GROQ_API_KEY rate_limited/);
		expect(messages.join('\n')).toMatch(/TOGETHERAI_API_KEY invalid/);
		expect(messages.join('\n')).toMatch(/mcp-tools/);
	}),
	check('cost-alerts.json', (messages) => {
		expect(messages.some((m) => /agents .*crossed 95%/.test(m))).toBe(true);
		expect(messages.some((m) => /LiteLLM spend/.test(m))).toBe(true);
	}),
	check('key-rotation.json', (messages) => {
		expect(messages.join('\n')).toMatch(/Key rotation: 3 rotated/);
	}),
	check('ai-agent-litellm.json', () => undefined),
	// Started by a webhook and by another workflow's error: switched and saved here, run by the e2e suites.
	check('openrouter-failover.json'),
	check('key-rotation-error.json'),
];
