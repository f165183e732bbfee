/**
 * `npm start`: one local n8n with this package, its workflows and credentials, ready to use.
 *
 *   npm install && npm start            # sandbox: every service simulated, offline
 *   LITELLM_BASE_URL=... npm start      # your LiteLLM (and OpenRouter, Infisical, Slack if given)
 *
 * Steps: read `.env` (tiny parser) and the environment (settings.ts); start the SANDBOX simulators unless a
 * LiteLLM is configured (sandbox.ts); build, pack and install the package into `.n8n-local/` with the cached
 * n8n 2.41.1 runtime (local-n8n.ts over test/e2e/harness); import the credentials the workflows reference
 * (by id, so they attach) and every workflows/*.json; start n8n on 127.0.0.1:N8N_PORT (default 5678) with the
 * owner created headlessly; test the credentials; in the sandbox, activate the webhook (gateway) workflows.
 * Ctrl-C (SIGINT) or SIGTERM stops n8n (by pid, with its task runner) and the simulators.
 *
 * It lives in test/sandbox because it is made of test parts: the e2e harness and the simulators.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import type { CredentialImport, N8nInstance, N8nOwner } from './harness-bridge';
import { lastLine, withProgress } from '../e2e/harness/progress';
import { loadEnvFile } from './env-file';
import { localDir, prepareLocalN8n, REPO_ROOT } from './local-n8n';
import { SANDBOX_GATEWAY_TOKEN, type Sandbox, type SandboxPorts, startSandbox } from './sandbox';
import { type CredentialData, readSettings, SettingsError } from './settings';
import {
	credentialRefs,
	hasWebhook,
	readShippedWorkflows,
	type ShippedWorkflow,
	webhookPaths,
} from './workflows';

export interface StartOptions {
	env?: NodeJS.ProcessEnv;
	/** The n8n user folder (default `.n8n-local/`, or N8N_LOCAL_DIR). */
	folder?: string;
	log?: (message: string) => void;
}

export interface CredentialStatus {
	id: string;
	name: string;
	type: string;
	test?: string;
}

export interface RunningLocal {
	url: string;
	port: number;
	owner: N8nOwner;
	ownerCreated: boolean;
	folder: string;
	n8n: N8nInstance;
	sandbox?: Sandbox;
	workflows: Array<{ id: string; name: string; file: string; active: boolean; webhooks: string[] }>;
	credentials: CredentialStatus[];
	/** Credentials the workflows reference but the environment did not configure (fill them in n8n's UI). */
	missingCredentials: Array<{ type: string; name: string }>;
	ignoredVariables: string[];
	logFile: string;
	stop(): Promise<void>;
}

export async function startLocal(options: StartOptions = {}): Promise<RunningLocal> {
	const log = options.log ?? ((m: string) => process.stdout.write(`[start] ${m}\n`));
	const settings = readSettings(options.env ?? process.env);
	let sandbox: Sandbox | undefined;
	let n8n: N8nInstance | undefined;
	try {
		const folder = options.folder ?? localDir();
		const portsFile = join(folder, 'sandbox-ports.json');
		if (settings.sandbox) {
			log(
				'no LITELLM_BASE_URL: starting the SANDBOX (simulated LiteLLM, OpenRouter, Infisical, providers, Slack)',
			);
			// The ports of last time keep the simulators' URLs, so the credentials pointing at them are unchanged.
			sandbox = await startSandbox({
				ports: existsSync(portsFile)
					? (JSON.parse(readFileSync(portsFile, 'utf8')) as Partial<SandboxPorts>)
					: undefined,
			});
			mkdirSync(folder, { recursive: true });
			writeFileSync(portsFile, JSON.stringify(sandbox.ports) + '\n');
		}
		const local = await prepareLocalN8n({ port: settings.port, folder, log });
		n8n = local.n8n;

		const workflows = readShippedWorkflows(
			undefined,
			sandbox?.slackWebhookUrl ?? settings.slackWebhookUrl,
		);
		const { imports, missingCredentials } = planCredentials(
			workflows,
			sandbox?.credentials ?? settings.credentials,
			sandbox?.credentialsById ?? settings.credentialsById,
		);
		// Each import is an n8n CLI run (about 5-10 s each); the same credentials and workflows as last time
		// are already in n8n's database.
		const digest = importDigest(imports, workflows);
		let ids: string[];
		const importSkipped = digest === local.lastImport && existsSync(n8n.dbPath);
		if (importSkipped) {
			log('credentials and workflows unchanged since the last start: import skipped');
			ids = workflows.map((w) => w.json.id ?? '');
		} else {
			const cli = n8n;
			if (imports.length) {
				await withProgress(
					{
						label: `importing ${imports.length} credential(s): ${imports.map((c) => c.name).join(', ')}`,
						log,
					},
					() => cli.importCredentials(imports),
				);
			}
			ids = await withProgress(
				{ label: `importing ${workflows.length} workflow(s) from workflows/`, log },
				() => cli.importWorkflows(workflows.map((w) => w.json as never)),
			);
			await local.recordImport(digest);
		}

		const instance0 = n8n;
		await withProgress(
			{
				label: `starting n8n on http://localhost:${settings.port}`,
				estimate: 'about 10-40 s',
				detail: () => lastLine(instance0.logs(), 90),
				log,
			},
			() => instance0.start({ timeoutMs: 300_000 }),
		);
		await n8n.createApiKey(`npm start ${new Date().toISOString()}`);
		if (sandbox && importSkipped) {
			// n8n keeps the access token the last start's Infisical simulator issued; the new simulator never
			// signed it (403, which n8n does not take as "log in again"). Writing the credential again empties it.
			for (const c of imports.filter((i) => 'accessToken' in i.data)) {
				const res = await n8n.rest('PATCH', `/credentials/${encodeURIComponent(c.id)}`, {
					name: c.name,
					type: c.type,
					data: c.data,
				});
				if (res.status !== 200) log(`could not reset the token of "${c.name}": ${res.status}`);
			}
		}

		const credentials: CredentialStatus[] = [];
		// This package's credential types carry a test (n8n's Header Auth has none).
		for (const c of imports.filter((i) => i.type.startsWith('liteLlm'))) {
			const result = await n8n
				.testCredential(c.id)
				.catch((e: Error) => ({ status: 'Error', message: e.message }));
			credentials.push({
				id: c.id,
				name: c.name,
				type: c.type,
				test: result.status === 'OK' ? 'test OK' : `test failed: ${result.message}`,
			});
		}
		for (const c of imports.filter((i) => !i.type.startsWith('liteLlm'))) {
			credentials.push({
				id: c.id,
				name: c.name,
				type: c.type,
				test: 'imported (n8n has no test for this type)',
			});
		}
		const listed = workflows.map((w, i) => ({
			id: ids[i],
			name: w.json.name,
			file: w.file,
			active: false,
			webhooks: webhookPaths(w),
		}));
		if (sandbox) {
			for (const [i, w] of workflows.entries()) {
				if (!hasWebhook(w)) continue;
				const activated = await n8n.activateWorkflow(ids[i]).then(
					() => true,
					(e: Error) => (log(`could not activate "${w.json.name}": ${e.message}`), false),
				);
				listed[i].active = activated;
			}
		}

		const logFile = join(local.folder, 'n8n.log');
		writeFileSync(logFile, '');
		let written = 0;
		let slackSeen = 0;
		const instance = n8n;
		const pump = setInterval(() => {
			const text = instance.logs();
			if (text.length > written) {
				appendFileSync(logFile, text.slice(written));
				written = text.length;
			}
			const messages = sandbox?.slack.messages ?? [];
			for (; slackSeen < messages.length; slackSeen++) {
				const m = messages[slackSeen] as { text?: string };
				log(`SANDBOX Slack received: ${oneLine(m.text ?? JSON.stringify(m), 160)}`);
			}
		}, 1000);
		pump.unref();

		let stopped = false;
		return {
			url: `http://localhost:${settings.port}`,
			port: settings.port,
			owner: local.owner,
			ownerCreated: local.ownerCreated,
			folder: local.folder,
			n8n,
			sandbox,
			workflows: listed,
			credentials,
			missingCredentials,
			ignoredVariables: settings.ignored,
			logFile,
			async stop() {
				if (stopped) return;
				stopped = true;
				clearInterval(pump);
				await instance.stop();
				const text = instance.logs();
				if (text.length > written) appendFileSync(logFile, text.slice(written));
				await sandbox?.stop();
			},
		};
	} catch (error) {
		await n8n?.stop().catch(() => undefined);
		await sandbox?.stop().catch(() => undefined);
		throw error;
	}
}

/** The credentials the workflows reference, with the data the environment (or the sandbox) gives each. */
export function planCredentials(
	workflows: ShippedWorkflow[],
	data: CredentialData,
	byId: Record<string, Record<string, unknown>>,
): { imports: CredentialImport[]; missingCredentials: RunningLocal['missingCredentials'] } {
	const refs = credentialRefs(workflows);
	const imports: CredentialImport[] = [];
	const missingCredentials: RunningLocal['missingCredentials'] = [];
	for (const ref of refs) {
		// A type with several credentials (OpenRouter: fallback key and management key) is matched by id.
		const sameType = refs.filter((r) => r.type === ref.type).length > 1;
		const values =
			byId[ref.id] ??
			(sameType && /mgmt|management/i.test(`${ref.id} ${ref.name}`)
				? undefined
				: data[ref.type as keyof CredentialData]);
		if (values) imports.push({ id: ref.id, name: ref.name, type: ref.type, data: { ...values } });
		else missingCredentials.push({ type: ref.type, name: ref.name });
	}
	return { imports, missingCredentials };
}

/** sha256 of what `npm start` imports: equal to last time's means n8n's database already holds it. */
export function importDigest(imports: CredentialImport[], workflows: ShippedWorkflow[]): string {
	return createHash('sha256')
		.update(JSON.stringify({ imports, workflows: workflows.map((w) => w.json) }))
		.digest('hex');
}

/** The first line of a message, cut at `max` characters with an ellipsis that says it was cut. */
export function oneLine(text: string, max: number): string {
	const lines = text.split('\n');
	const first = lines[0];
	if (first.length > max) return `${first.slice(0, max - 1)}…`;
	return lines.length > 1 ? `${first} …` : first;
}

/** The banner: where everything runs, the login, what was imported. */
export function describe(running: RunningLocal): string {
	const rel = (p: string) => (p.startsWith(REPO_ROOT) ? relative(REPO_ROOT, p) || '.' : p);
	const lines: string[] = [];
	const rule = '='.repeat(78);
	lines.push(rule, `n8n is ready at ${running.url}`);
	lines.push(
		running.ownerCreated
			? `Login (created now, shown once; also kept in ${rel(join(running.folder, 'owner.json'))}):`
			: `Login (password in ${rel(join(running.folder, 'owner.json'))}):`,
	);
	lines.push(`  email    ${running.owner.email}`);
	if (running.ownerCreated) lines.push(`  password ${running.owner.password}`);
	if (running.sandbox) {
		lines.push(
			'',
			'*** SANDBOX *** simulated services on 127.0.0.1 with fake keys; nothing leaves this machine.',
		);
		lines.push(
			'Set LITELLM_BASE_URL and LITELLM_API_KEY (see .env.example) to use your own LiteLLM instead.',
		);
		for (const s of running.sandbox.services)
			lines.push(`  ${s.name.padEnd(14)} ${s.url.padEnd(40)} ${s.note}`);
	}
	if (running.ignoredVariables.length)
		lines.push(`(ignored in the sandbox: ${running.ignoredVariables.join(', ')})`);
	lines.push('', 'Workflows (run each with "Execute workflow" in the editor):');
	for (const w of running.workflows) {
		lines.push(`  ${w.name}  ${running.url}/workflow/${w.id}${w.active ? '  [active]' : ''}`);
		for (const path of w.webhooks)
			lines.push(`      webhook: POST ${running.url}/webhook${w.active ? '' : '-test'}/${path}`);
		if (running.sandbox && w.webhooks.length)
			lines.push(
				`      with header: Authorization: Bearer ${SANDBOX_GATEWAY_TOKEN}  (the "LLM gateway token" credential)`,
			);
	}
	lines.push('', 'Credentials:');
	for (const c of running.credentials) lines.push(`  ${c.name} (${c.type}): ${c.test}`);
	for (const c of running.missingCredentials)
		lines.push(`  ${c.name} (${c.type}): not configured; set it in .env or in n8n`);
	lines.push('', `n8n log: ${rel(running.logFile)}    Stop everything: Ctrl-C`, rule);
	return lines.join('\n');
}

async function main(): Promise<void> {
	const loaded = loadEnvFile(join(REPO_ROOT, '.env'));
	if (loaded.length) process.stdout.write(`[start] read .env: ${loaded.join(', ')}\n`);
	let running: RunningLocal | undefined;
	let stopping: Promise<void> | undefined;
	let firstSignalAt = 0;
	const shutdown = (signal: string, code: number) => {
		if (stopping) {
			// One Ctrl-C arrives twice (from the terminal to the process group, and relayed by tsx): a repeat
			// within 3 s is the same keypress. A later one forces: n8n is killed at once, then we exit.
			if (Date.now() - firstSignalAt < 3000) return;
			process.stdout.write(`[start] ${signal} again: killing n8n now\n`);
			const forced = running?.n8n.stop({ graceMs: 0 }) ?? Promise.resolve();
			void Promise.race([forced, new Promise((r) => setTimeout(r, 5000))]).then(() =>
				process.exit(1),
			);
			return;
		}
		firstSignalAt = Date.now();
		process.stdout.write(`[start] ${signal}: stopping n8n and the sandbox\n`);
		// During startup, wait for it to finish (or fail) so that nothing it started is left behind.
		stopping = (
			running
				? running.stop()
				: starting.then(
						(r) => r.stop(),
						() => undefined,
					)
		).then(
			() => {
				process.stdout.write('[start] stopped\n');
				process.exit(code);
			},
			(e: Error) => {
				process.stderr.write(`[start] stop failed: ${e.message}\n`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT', 0));
	process.on('SIGTERM', () => shutdown('SIGTERM', 0));

	const starting = startLocal();
	try {
		running = await starting;
	} catch (error) {
		const message =
			error instanceof SettingsError ? error.message : ((error as Error).stack ?? String(error));
		process.stderr.write(`[start] failed: ${message}\n`);
		process.exit(1);
	}
	if (stopping) return; // Ctrl-C during startup
	process.stdout.write(describe(running) + '\n');
	const watched = running;
	const watchdog = setInterval(() => {
		if (!watched.n8n.running && !stopping) {
			clearInterval(watchdog);
			process.stderr.write(`[start] n8n exited on its own; see ${watched.logFile}\n`);
			shutdown('n8n exit', 1);
		}
	}, 2000);
}

if (require.main === module) void main();
