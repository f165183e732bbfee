/**
 * `npm run docs:screenshots`: the canvas of every shipped workflow, photographed in the real n8n.
 *
 * Brings up the sandbox n8n exactly as `npm start` does (startLocal, on a free port, in its own temp user
 * folder so a running `npm start` is not disturbed), logs in through /rest/login, opens each workflow in
 * Debian's Chromium (headless, through playwright-core), waits until the canvas has drawn every node, fits
 * it to the view and saves `docs/screenshots/<workflow file>.png` (1400×800). Then stops everything.
 *
 * Needs /usr/bin/chromium (Debian: `apt-get update && apt-get install -y chromium`); it says so and stops
 * when it is missing rather than installing anything.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { freePort } from '../e2e/harness';
import { REPO_ROOT } from './local-n8n';
import { startLocal, type RunningLocal } from './start';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUT_DIR = join(REPO_ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1400, height: 800 };
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

function log(message: string): void {
	process.stdout.write(`[screenshots] ${message}\n`);
}

async function main(): Promise<void> {
	if (!existsSync(CHROMIUM)) {
		process.stderr.write(
			`[screenshots] ${CHROMIUM} is missing. Install Debian's Chromium first:\n  apt-get update && apt-get install -y chromium\n(or set CHROMIUM_PATH to another Chromium binary)\n`,
		);
		process.exit(2);
	}
	const folder = await mkdtemp(join(tmpdir(), 'n8n-litellm-screenshots-'));
	const port = await freePort();
	let running: RunningLocal | undefined;
	try {
		// Only the sandbox: screenshots never show a real deployment's URLs.
		const env = { ...process.env, N8N_PORT: String(port), LITELLM_BASE_URL: '' };
		running = await startLocal({ env, folder, log });
		const login = await fetch(`${running.url.replace('localhost', '127.0.0.1')}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				emailOrLdapLoginId: running.owner.email,
				password: running.owner.password,
			}),
		});
		const cookie = login.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (login.status !== 200 || !cookie) throw new Error(`login failed: ${login.status}`);

		const browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: CHROMIUM_ARGS,
			headless: true,
		});
		try {
			const context = await browser.newContext({
				viewport: VIEWPORT,
				deviceScaleFactor: 1,
				colorScheme: 'light',
			});
			const [name, value] = cookie.split(';')[0].split('=');
			await context.addCookies([
				{ name, value, domain: 'localhost', path: '/', httpOnly: true, secure: false },
			]);
			const page = await context.newPage();
			await mkdir(OUT_DIR, { recursive: true });
			for (const workflow of running.workflows) {
				const file = join(OUT_DIR, workflow.file.replace(/\.json$/, '.png'));
				await page.goto(`${running.url}/workflow/${workflow.id}`, {
					waitUntil: 'domcontentloaded',
				});
				if (page.url().includes('/signin'))
					throw new Error('n8n asked for a login: the session cookie was not accepted');
				const nodes = page.locator('[data-test-id="canvas-node"]');
				await nodes.first().waitFor({ state: 'visible', timeout: 60_000 });
				// Fit the whole workflow into view (n8n's "zoom to fit" shortcut), after closing any popup.
				await page.keyboard.press('Escape');
				await page
					.locator('[data-test-id="canvas-wrapper"], .vue-flow')
					.first()
					.click({ position: { x: 5, y: 5 } })
					.catch(() => undefined);
				await page.keyboard.press('1');
				await page.waitForTimeout(1500);
				await page.screenshot({ path: file });
				log(
					`${workflow.name}: ${await nodes.count()} nodes -> ${file.slice(REPO_ROOT.length + 1)}`,
				);
			}
		} finally {
			await browser.close();
		}
	} finally {
		await running?.stop();
		await rm(folder, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`[screenshots] failed: ${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
