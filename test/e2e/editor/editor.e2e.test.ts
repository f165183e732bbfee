/**
 * The n8n editor as a person uses it, in Chromium, against the `npm start` sandbox (one n8n for the file):
 * - the node panel finds every node by "LiteLLM" and by what a person types;
 * - every action of every node, added from the panel: resource and operation as picked, and unchanged after a
 *   credential is picked; the form shows the credentials and fields that operation uses and no others; the
 *   step runs ("Execute step") and the output panel shows its result; the saved node carries the same;
 * - every shipped workflow, opened and switched to a second credential of each type: its parameters stay as
 *   shipped, and (those with a manual trigger) it runs from "Execute workflow" and does what it did.
 * A failing check saves a screenshot into test/e2e/.work/screenshots/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';
import type { Browser } from 'playwright-core';

import { startLocal, type RunningLocal } from '../../sandbox/start';
import { freePort } from '../harness';
import { launchChromium } from './chromium';
import { EditorPage } from './editor-page';
import { descriptionOf, expectedLabels, withDefaults } from './expected-form';
import {
	CREDENTIAL_LABELS,
	credentialFor,
	KEY_MANAGER_ACTIONS,
	type NodeAction,
	OTHER_ACTIONS,
	SEARCHES,
} from './node-actions';
import {
	secondCredentials,
	shippedWorkflowChecks,
	type SavedNode,
	savedWorkflow,
} from './workflow-checks';

const TRIGGER = 'When clicking ‘Execute workflow’';
const SECOND = ' (second)';

describe('the n8n editor, as a person uses it', () => {
	let folder: string;
	let running: RunningLocal;
	let browser: Browser;
	let editor: EditorPage;

	beforeAll(async () => {
		folder = await mkdtemp(join(tmpdir(), 'n8n-litellm-editor-'));
		const port = await freePort();
		running = await startLocal({
			env: { PATH: process.env.PATH, HOME: process.env.HOME, N8N_PORT: String(port) },
			folder,
			log: () => undefined,
		});
		await secondCredentials(running, SECOND);
		browser = await launchChromium();
		editor = await EditorPage.open(browser, running.url, running.owner);
	}, 10 * 60_000);

	afterAll(async () => {
		await editor?.close().catch(() => undefined);
		await browser?.close().catch(() => undefined);
		await running?.stop();
		await rm(folder, { recursive: true, force: true });
	});

	/** A new workflow with a Manual Trigger, the node every action's node connects to. */
	async function workflowWithTrigger(): Promise<void> {
		await editor.newWorkflow();
		await editor.openNodePanel();
		await editor.search('manual', ['Manual Trigger']);
		await editor
			.testId('node-creator-item-name')
			.getByText('Manual Trigger', { exact: true })
			.click();
		await editor.canvasNode(TRIGGER).waitFor();
		await editor.closeNodePanel();
	}

	it('the node panel finds every node by "LiteLLM" and by what a person types', async () => {
		await editor.screenshotOnFailure('node-panel-search', async () => {
			await editor.newWorkflow();
			await editor.openNodePanel();
			// The first panel of an empty workflow lists triggers: the Budget Trigger is one.
			expect(await editor.search('LiteLLM', SEARCHES.LiteLLM)).toEqual(
				expect.arrayContaining(SEARCHES.LiteLLM),
			);
			expect(await editor.search('budget', ['LiteLLM Budget Trigger'])).toContain(
				'LiteLLM Budget Trigger',
			);
			await editor.closeNodePanel();
			await workflowWithTrigger();
			await editor.openNodePanel(TRIGGER);
			for (const [term, nodes] of Object.entries(SEARCHES)) {
				expect([term, await editor.search(term, nodes)]).toEqual([
					term,
					expect.arrayContaining(nodes),
				]);
			}
			await editor.closeNodePanel();
		});
	});

	async function checkAction(a: NodeAction): Promise<void> {
		const name = `${a.node} ${a.action ?? ''}`.trim();
		await editor.screenshotOnFailure(name, async () => {
			await workflowWithTrigger();
			await editor.openNodePanel(TRIGGER);
			await editor.addNode(a.search, a.node, a.action);
			const shown = async () =>
				Object.fromEntries(
					await Promise.all(
						Object.keys(a.parameters).map(async (p) => [p, await editor.shownValue(p)]),
					),
				);
			const asPicked = await shown();
			// The form asks for the credentials this operation uses, each once. A person picks one in each (n8n
			// fills in only the first); the first gets the second credential of its type.
			const labels = await editor.credentialLabels();
			expect(labels).toHaveLength(a.credentials.length);
			const types = labels.map(
				(label) =>
					CREDENTIAL_LABELS[label.replace(/^Credential( for)?\s*/, '')] ?? a.credentials[0],
			);
			expect([...types].sort()).toEqual([...a.credentials].sort());
			for (const [i, type] of types.entries())
				await editor.pickCredential(i, credentialFor(a.node, type) + (i === 0 ? SECOND : ''));
			expect(await shown()).toEqual(asPicked);
			const labelsWanted = [
				...(a.editorAdds ?? []),
				...expectedLabels(a.node, { ...a.parameters, ...a.fill }),
			];
			expect(await editor.shownParameters()).toEqual(labelsWanted);
			for (const [field, value] of Object.entries(a.fill ?? {})) await editor.fill(field, value);
			if (a.node === 'LiteLLM Chat') await editor.pickFirstListItem('model');
			if (a.execute !== false) {
				const output = await editor.executeStep(a.shows);
				expect(output).not.toMatch(/is not supported|Could not get parameter/);
				if (a.outcome === 'items') expect(output).toMatch(/\d+ items?/);
				if (a.outcome === 'error')
					expect(output).toMatch(/error|problem|failed|not found|invalid/i);
				if (a.shows) expect(output).toMatch(a.shows);
			}
			await editor.closeNdv();
			await editor.save();
			// What n8n saved: the operation as picked, and exactly the credentials the form asked for.
			const type = `.${descriptionOf(a.node).name}`;
			const saved = (await savedWorkflow(running, editor.workflowId())).nodes.find((n: SavedNode) =>
				n.type.endsWith(type),
			) as SavedNode;
			expect(saved).toBeDefined();
			const savedValues = withDefaults(a.node, saved.parameters as INodeParameters);
			for (const [p, v] of Object.entries(a.parameters))
				expect([p, savedValues[p]]).toEqual([p, v]);
			expect(Object.keys(saved.credentials ?? {}).sort()).toEqual([...a.credentials].sort());
		});
	}

	describe('every Key Manager action', () => {
		for (const a of KEY_MANAGER_ACTIONS) it(`${a.action}`, async () => await checkAction(a));
	});

	describe('every action of the other nodes', () => {
		for (const a of OTHER_ACTIONS)
			it(`${a.node} ${a.action ?? ''}`, async () => await checkAction(a));
	});

	describe('every shipped workflow, on a second credential of each type', () => {
		for (const check of shippedWorkflowChecks) {
			it(check.file, async () => {
				await editor.screenshotOnFailure(
					`workflow ${check.file}`,
					async () => await check.run(running, editor, SECOND),
				);
			});
		}
	});
});
