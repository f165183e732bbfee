/**
 * The shipped workflows (workflows/*.json) as `npm start` imports them: the credentials they reference (by
 * type, id and name, so the credentials made here attach by id), and the Slack incoming-webhook placeholder
 * of their Settings node replaced by the real (or sandbox) webhook URL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { WorkflowJson } from '../e2e/harness';

export const WORKFLOWS_DIR = join(__dirname, '..', '..', 'workflows');

/** The placeholder the shipped Settings nodes carry (Slack's documented example shape, all zeros/X). */
export const SLACK_PLACEHOLDER = /https:\/\/hooks\.slack\.com\/services\/T0+\/B0+\/X+/g;

export interface ShippedWorkflow {
	file: string;
	json: Omit<WorkflowJson, 'nodes'> & { id?: string; name: string; nodes: WorkflowNode[] };
}

interface WorkflowNode {
	name: string;
	type: string;
	credentials?: Record<string, { id?: string; name: string }>;
	parameters?: Record<string, unknown>;
}

export interface CredentialRef {
	type: string;
	id: string;
	name: string;
}

export function readShippedWorkflows(
	dir = WORKFLOWS_DIR,
	slackWebhookUrl?: string,
): ShippedWorkflow[] {
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => {
			let text = readFileSync(join(dir, file), 'utf8');
			// JSON.stringify of the URL keeps the replacement a valid JSON string body.
			if (slackWebhookUrl)
				text = text.replace(SLACK_PLACEHOLDER, JSON.stringify(slackWebhookUrl).slice(1, -1));
			return { file, json: JSON.parse(text) as ShippedWorkflow['json'] };
		});
}

/** Every distinct credential the workflows reference (type + id); a reference without id gets none here. */
export function credentialRefs(workflows: ShippedWorkflow[]): CredentialRef[] {
	const refs = new Map<string, CredentialRef>();
	for (const { json } of workflows) {
		for (const node of json.nodes) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				if (!ref.id) continue;
				refs.set(`${type}:${ref.id}`, { type, id: ref.id, name: ref.name });
			}
		}
	}
	return [...refs.values()];
}

/** Workflows that have a Webhook trigger (the LLM gateway): `npm start` activates these in the sandbox. */
export function hasWebhook(workflow: ShippedWorkflow): boolean {
	return workflow.json.nodes.some((n) => n.type === 'n8n-nodes-base.webhook');
}

export function webhookPaths(workflow: ShippedWorkflow): string[] {
	return workflow.json.nodes
		.filter((n) => n.type === 'n8n-nodes-base.webhook')
		.map((n) => String(n.parameters?.path ?? ''))
		.filter(Boolean);
}
