/**
 * The n8n editor (2.41) as a person uses it, through Chromium: the node panel, the node details view (NDV),
 * credentials, "Execute step", the output panel, the canvas. Selectors are n8n's own `data-test-id`s (the
 * ones n8n's Playwright tests use), so the checks read what is on the screen, not the editor's stores.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import {
	type Browser,
	type BrowserContext,
	type Locator,
	type Page,
	selectors,
} from 'playwright-core';

import { E2E_WORK_DIR } from '../harness';

/** Where a failing check leaves its screenshot (test/e2e/.work is git-ignored). */
export const SCREENSHOT_DIR = join(E2E_WORK_DIR, 'screenshots');

const VIEWPORT = { width: 1400, height: 900 };
let testIdSet = false;

/** The two DOM fields read from elements (the test project compiles without the DOM library). */
interface Shown {
	offsetParent: unknown;
	innerText: string;
}

export class EditorPage {
	private constructor(
		readonly page: Page,
		private readonly context: BrowserContext,
		readonly baseUrl: string,
	) {}

	/** Logs in through /rest/login and hands the session cookie to a fresh browser context. */
	static async open(
		browser: Browser,
		baseUrl: string,
		owner: { email: string; password: string },
	): Promise<EditorPage> {
		if (!testIdSet) {
			selectors.setTestIdAttribute('data-test-id');
			testIdSet = true;
		}
		const login = await fetch(`${baseUrl.replace('localhost', '127.0.0.1')}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		const cookie = login.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (login.status !== 200 || !cookie) throw new Error(`login failed: HTTP ${login.status}`);
		const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
		const [name, value] = cookie.split(';')[0].split('=');
		await context.addCookies([
			{ name, value, domain: new URL(baseUrl).hostname, path: '/', httpOnly: true, secure: false },
		]);
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		// "Leave without saving?" when a check moves on from a workflow: yes.
		page.on('dialog', (dialog) => void dialog.accept().catch(() => undefined));
		return new EditorPage(page, context, baseUrl);
	}

	async close(): Promise<void> {
		await this.context.close();
	}

	/** Runs `check`; when it throws, saves a screenshot named after it first. */
	async screenshotOnFailure<T>(name: string, check: () => Promise<T>): Promise<T> {
		try {
			return await check();
		} catch (error) {
			await mkdir(SCREENSHOT_DIR, { recursive: true });
			const file = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
			await this.page.screenshot({ path: file }).catch(() => undefined);
			(error as Error).message += `\n(screenshot: ${file})`;
			throw error;
		}
	}

	testId(id: string): Locator {
		return this.page.getByTestId(id);
	}

	// ---- workflows and the canvas ----

	async newWorkflow(): Promise<void> {
		// A new page load also drops whatever a failed check left open (NDV, node panel, unsaved changes).
		await this.page.goto(`${this.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await this.testId('canvas-plus-button').waitFor({ timeout: 90_000 });
	}

	async openWorkflow(id: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
		await this.testId('canvas-node').first().waitFor({ timeout: 90_000 });
	}

	/** The saved workflow's id (n8n saves a new workflow as soon as it has a node). */
	workflowId(): string {
		const match = /\/workflow\/([^/?#]+)/.exec(this.page.url());
		if (!match || match[1] === 'new') throw new Error(`no saved workflow in ${this.page.url()}`);
		return match[1];
	}

	async save(): Promise<void> {
		await this.page.keyboard.press('Control+s');
		await this.page.waitForTimeout(800);
	}

	canvasNode(name: string): Locator {
		return this.testId('canvas-node')
			.filter({ has: this.page.getByText(name, { exact: true }) })
			.first();
	}

	// ---- the node panel ----

	/** Opens the node panel (with `after` selected on the canvas, new nodes connect to it). */
	async openNodePanel(after?: string): Promise<void> {
		if (after) await this.canvasNode(after).click();
		const plus = this.testId('canvas-plus-button');
		await ((await plus.isVisible()) ? plus : this.testId('node-creator-plus-button')).click();
		await this.testId('node-creator-search-bar').waitFor();
	}

	/** The node names the panel lists for a search. */
	/**
	 * Types `term` into the node panel and returns the names it lists. The list fills in after the typing
	 * (later on a loaded machine): it is read again until it holds every name in `wanted`, for up to 15 s.
	 */
	async search(term: string, wanted: string[] = []): Promise<string[]> {
		await this.testId('node-creator-search-bar').fill(term);
		await this.page.waitForTimeout(600);
		const until = Date.now() + 15_000;
		let names = await this.testId('node-creator-item-name').allInnerTexts();
		while (!wanted.every((w) => names.includes(w)) && Date.now() < until) {
			await this.page.waitForTimeout(250);
			names = await this.testId('node-creator-item-name').allInnerTexts();
		}
		return names;
	}

	async closeNodePanel(): Promise<void> {
		await this.page.keyboard.press('Escape');
		await this.testId('node-creator')
			.waitFor({ state: 'detached' })
			.catch(() => undefined);
	}

	/** Adds a node found by `term`; `action` picks one of its actions (for nodes that list them). Opens the NDV. */
	async addNode(term: string, nodeName: string, action?: string): Promise<void> {
		const names = await this.search(term, [nodeName]);
		if (!names.includes(nodeName))
			throw new Error(
				`the node panel finds no "${nodeName}" for "${term}": ${JSON.stringify(names)}`,
			);
		const creator = this.testId('node-creator');
		// A node with actions lists them; one without shows its details and "Add to workflow".
		const next = action
			? creator.getByText(action, { exact: true }).first()
			: creator.getByRole('button', { name: 'Add to workflow' });
		const item = this.testId('node-creator-item-name').getByText(nodeName, { exact: true }).first();
		await item.click();
		// A click that lands while the result list is still re-rendering is lost: click again.
		const shown = await next.waitFor({ timeout: 5_000 }).then(
			() => true,
			() => false,
		);
		if (!shown && (await item.isVisible())) await item.click();
		await next.click();
		await this.testId('ndv').waitFor();
	}

	// ---- the node details view ----

	ndv(): Locator {
		return this.testId('ndv');
	}

	async openNdv(nodeName: string): Promise<void> {
		await this.canvasNode(nodeName).dblclick();
		await this.ndv().waitFor();
	}

	async closeNdv(): Promise<void> {
		await this.testId('ndv-close-button').click();
		await this.ndv().waitFor({ state: 'hidden' });
	}

	/** What the field of parameter `name` shows (an option's label, a text's value). */
	async shownValue(name: string): Promise<string> {
		const field = this.testId(`parameter-input-${name}`);
		const input = field.locator('input, textarea').first();
		if ((await input.count()) > 0) return await input.inputValue();
		return (await field.innerText()).trim();
	}

	/** The labels of the node parameters the Parameters tab shows (credentials apart), top to bottom. */
	async shownParameters(): Promise<string[]> {
		const labels = this.testId('node-parameters').locator('[data-test-id="input-label"]');
		const texts = await labels.evaluateAll((els) =>
			els
				.filter(
					(el) =>
						(el as unknown as Shown).offsetParent !== null &&
						!el.closest('[data-test-id="node-credentials-slot"]'),
				)
				.map((el) => ((el as unknown as Shown).innerText || '').split('\n')[0].trim()),
		);
		return texts.filter(Boolean);
	}

	/** The credential selectors the NDV shows, by label. */
	async credentialLabels(): Promise<string[]> {
		return (await this.testId('credentials-label').allInnerTexts()).map((t) =>
			t.split('\n')[0].trim(),
		);
	}

	/**
	 * Opens the index-th credential select and picks `credentialName`. The list of a select opened before stays in
	 * the page, hidden, so only a visible item counts; a click that lands while the previous list is still closing
	 * does not open this one, so the select is opened again (up to three times) until its list shows.
	 */
	async pickCredential(index: number, credentialName: string): Promise<void> {
		const shownItems = this.page
			.locator('[data-test-id^="node-credentials-select-item-"]')
			.filter({ visible: true });
		for (let attempt = 1; ; attempt++) {
			await this.testId('node-credentials-select').nth(index).click();
			try {
				await shownItems.first().waitFor({ state: 'visible', timeout: 5_000 });
				break;
			} catch (error) {
				// Escape would close the node's form when no list is open: click the select again instead.
				if (attempt === 3) throw error;
			}
		}
		await shownItems.getByText(credentialName, { exact: true }).first().click();
		await this.page.waitForTimeout(300);
	}

	async shownCredential(index: number): Promise<string> {
		return await this.testId('node-credentials-select')
			.nth(index)
			.locator('input')
			.first()
			.inputValue();
	}

	/** Opens a resource locator's list (mode "From list") and picks its first entry. */
	async pickFirstListItem(name: string): Promise<void> {
		await this.testId(`resource-locator-${name}`).getByTestId('rlc-input').click();
		await this.testId('rlc-item').first().click();
	}

	async fill(name: string, value: string): Promise<void> {
		const input = this.testId(`parameter-input-${name}`).locator('input, textarea').first();
		await input.fill(value);
		await input.blur();
	}

	/** Clicks "Execute step" and waits until the output panel shows items or an error. */
	/** Runs the open node and returns the output panel's text, once it shows `shows` when given. */
	async executeStep(shows?: RegExp): Promise<string> {
		await this.testId('node-execute-button').click();
		const panel = this.testId('output-panel');
		const done = panel
			.locator(
				'[data-test-id="ndv-items-count"], [data-test-id="node-error-message"], [data-test-id="ndv-data-container"] table',
			)
			.or(panel.getByText('No output data returned'))
			.or(panel.getByText(/^Problem in node|^Error/));
		await done.first().waitFor({ timeout: 120_000 });
		await this.page.waitForTimeout(300);
		// The item count appears before the table's rows on a loaded machine: wait for the rows asked about.
		const until = Date.now() + 30_000;
		let text = await panel.innerText();
		while (shows && !shows.test(text) && Date.now() < until) {
			await this.page.waitForTimeout(250);
			text = await panel.innerText();
		}
		return text;
	}
}
