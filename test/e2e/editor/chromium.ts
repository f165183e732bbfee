/**
 * Debian's Chromium for the editor tests, driven through playwright-core (which ships no browser).
 * `ensureChromium()` installs it with apt-get when /usr/bin/chromium is missing (CI starts from a clean
 * machine; the e2e global setup calls it) and does nothing when it is there, so repeated runs are free.
 */
import { existsSync } from 'node:fs';

import { type Browser, chromium } from 'playwright-core';

import { runCommand } from '../harness';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless, and nothing that calls home or waits on a GPU (a shared 2-core machine). */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export async function ensureChromium(
	log: (message: string) => void = () => undefined,
): Promise<string> {
	if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`${CHROMIUM_PATH} is missing; install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
		);
	}
	log(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (about 1 min)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await runCommand('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 });
	await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
		env,
		timeoutMs: 15 * 60_000,
	});
	if (!existsSync(CHROMIUM_PATH))
		throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing`);
	return CHROMIUM_PATH;
}

export async function launchChromium(): Promise<Browser> {
	return await chromium.launch({
		executablePath: CHROMIUM_PATH,
		args: CHROMIUM_ARGS,
		headless: true,
	});
}
