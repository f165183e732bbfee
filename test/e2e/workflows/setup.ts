/**
 * Shared world of the workflow e2e suite: one real n8n (user folder, sqlite, server) and every simulator on
 * loopback, seeded so that each shipped workflow has something to do:
 *
 * - Infisical (`/litellm` of project proj-e2e): provider keys OPENAI (valid), GROQ (valid), ANTHROPIC (unknown
 *   to its provider: invalid), PERPLEXITYAI and OPENROUTER (valid, 90 days old: due for rotation), and the
 *   Open WebUI virtual key OPEN_WEBUI_LITELLM_KEY.
 * - LiteLLM: the fixture config, key management and spend routes; virtual keys open-webui (60 days old,
 *   84 % of its budget), agents (97 % of its budget, expires in 6 days), archon (expires in 2 days), mcp-tools
 *   (expires in 12 hours), gateway (the gateway's own key); LiteLLM credentials perplexity-byok and
 *   openrouter-byok with a model each (sonar, openrouter-gpt-4o-mini); seeded spend logs of the last 3 days.
 * - Providers: the valid keys above and Perplexity's admin API.
 * - OpenRouter (failover, list prices, key checks) with its management-key API (`/api/v1/keys`) registered on the
 *   same server and sharing its key table, so a minted key answers `/api/v1/key` and a deleted one stops working;
 *   and a Slack incoming-webhook receiver (one webhook path per workflow).
 *
 * The workflows are imported as shipped; only their Settings node changes (Slack URL, which keys), the way a
 * user sets them up (`withSettings`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { readFixture } from '../../simulators/fixtures';
import { InfisicalSimulator } from '../../simulators/infisical';
import { LiteLlmSimulator } from '../../simulators/litellm';
import { registerKeyManagement, type KeyManagementControl } from '../../simulators/litellm/keys';
import { registerSpendRoutes, seedSpendLogs, type SeededSpendLogs } from '../../simulators/litellm/spend';
import type { CredentialRow, KeyRow } from '../../simulators/litellm/state';
import { OpenRouterSimulator } from '../../simulators/openrouter';
import { type OpenRouterKeysApi, registerOpenRouterKeysApi } from '../../simulators/providers';
import { ProviderSimulator } from '../../simulators/providers/simulator';
import { SlackReceiver, type SlackMessage } from '../../simulators/slack';
import { type CredentialImport, type N8nSuite, REPO_ROOT, setupN8n, type WorkflowJson } from '../harness';
import { gatewayTokenCredential, liteLlmProxyCredential, openRouterCredential } from '../harness/shipped-credentials';

export const DAY = 86_400_000;
export const PROJECT = 'proj-e2e';
export const ENV = 'prod';
export const FOLDER = '/litellm';

export const KEYS = {
	master: 'sk-e2e-master-wf-7c1d0a9e',
	infisicalSecret: 'e2e-infisical-client-secret-4b8f19',
	gatewayVirtual: 'sk-e2e-gateway-virtual-0a1b2c3d',
	openWebUi: 'sk-e2e-open-webui-virtual-5e6f7a8b',
	agents: 'sk-e2e-agents-virtual-9c0d1e2f',
	archon: 'sk-e2e-archon-virtual-3a4b5c6d',
	mcpTools: 'sk-e2e-mcp-tools-virtual-7e8f9a0b',
	openai: 'sk-proj-e2eOpenAiValidKey000000000001',
	groq: 'gsk_e2eGroqValidKey00000000000000000001',
	anthropic: 'sk-ant-api03-e2eAnthropicRevokedKey0000000001',
	perplexity: 'pplx-e2ePerplexityOldKey000000000001',
	openRouterProvider: `sk-or-v1-${'3d'.repeat(32)}`,
	openRouterManagement: `sk-or-v1-${'5f'.repeat(32)}`,
	openRouterFailover: `sk-or-v1-${'a7'.repeat(32)}`,
	gatewayToken: 'e2e-gateway-bearer-token-1f2e3d4c5b6a',
} as const;

export const SLACK_PATHS = {
	validation: '/services/TVALID/BVALID/validation000000000000001',
	rotation: '/services/TROTATE/BROTATE/rotation0000000000000001',
	rotationCrash: '/services/TCRASH/BCRASH/crash00000000000000000001',
	cost: '/services/TCOST/BCOST/cost000000000000000000001',
	costScheduled: '/services/TCOST/BSCHED/scheduled0000000000000001',
} as const;

export const WORKFLOW_IDS = {
	validation: 'keyValidation0001',
	rotation: 'keyRotation00001',
	rotationError: 'keyRotationErr01',
	cost: 'costAlerts000001',
	costScheduled: 'costAlertsSched1',
	gateway: 'llmGateway000001',
} as const;

const CLIENT = { clientId: 'e2e-infisical-client', clientSecret: KEYS.infisicalSecret };

export interface World {
	suite: N8nSuite;
	infisical: InfisicalSimulator;
	litellm: LiteLlmSimulator;
	litellmAdmin: KeyManagementControl;
	providers: ProviderSimulator;
	openRouter: OpenRouterSimulator;
	openRouterKeys: OpenRouterKeysApi;
	slack: SlackReceiver;
	spendSeed: SeededSpendLogs;
	/** Everything `n8n execute` printed, every webhook answer: scanned for keys at the end. */
	outputs: string[];
	/** Every plaintext key the suite seeded or that was minted during the run. */
	secrets(): string[];
	messages(path: string): SlackMessage[];
	secretValue(name: string): string | undefined;
	timings: Record<string, number>;
	stop(): Promise<void>;
}

/** A provider key's Infisical comment as the Key Manager writes it (provider, base URL, created). */
function providerMeta(provider: string, baseUrl: string, createdDaysAgo: number): string {
	return JSON.stringify({
		managedBy: 'n8n-nodes-litellm',
		kind: 'provider-key',
		provider,
		baseUrl,
		created: new Date(Date.now() - createdDaysAgo * DAY).toISOString(),
	});
}

/** Backdates a virtual key (LiteLLM sets created_at itself). */
function age(row: KeyRow, days: number): void {
	row.created_at = new Date(Date.now() - days * DAY).toISOString();
}

/**
 * `makeSuite` makes the n8n to run the workflows in (default: `setupN8n()`, one process on SQLite); the queue-mode
 * suite passes its main, already started with its workers beside it.
 */
export async function startWorld(makeSuite: () => Promise<N8nSuite> = () => setupN8n()): Promise<World> {
	const timings: Record<string, number> = {};
	let t = Date.now();
	const infisical = new InfisicalSimulator();
	infisical.addIdentity(CLIENT);
	infisical.project(PROJECT).addFolder(ENV, FOLDER);
	const litellm = new LiteLlmSimulator({ configYaml: readFixture('litellm-config.yaml'), env: { LITELLM_MASTER_KEY: KEYS.master } });
	const providers = new ProviderSimulator();
	// What LiteLLM's upstream would answer after a credential change: the provider simulator knows the keys.
	const credentialProvider: Record<string, { provider: string; model: string }> = {
		'perplexity-byok': { provider: 'perplexity', model: 'sonar' },
		'openrouter-byok': { provider: 'openrouter', model: 'openrouter-gpt-4o-mini' },
	};
	const upstreamKnows = (provider: string, key: string) =>
		provider === 'openrouter' ? openRouterKeys.isActive(key) : providers.keys(provider).some((k) => k.key === key);
	const onCredentialChange = (row: CredentialRow) => {
		const target = credentialProvider[row.credential_name];
		if (!target) return;
		const key = String(row.credential_values.api_key ?? '');
		litellm.ctx.upstream.clear();
		if (!upstreamKnows(target.provider, key)) litellm.failDeployment(target.model, { status: 401 });
	};
	const litellmAdmin = registerKeyManagement(litellm.server, litellm.ctx, { onCredentialChange });
	const spendSeed = seedSpendLogs({ rows: 600, days: 3, seed: 7 });
	registerSpendRoutes(litellm.server, {
		masterKey: KEYS.master,
		logs: spendSeed,
		keys: litellm.ctx.state.keys,
		teams: [
			{ team_id: 'team-research', team_alias: 'Research', spend: 30, max_budget: 100, budget_duration: '30d', budget_reset_at: '2099-01-31T00:00:00.000Z', blocked: false, models: [] },
		],
	});
	const openRouter = new OpenRouterSimulator();
	const openRouterKeys = registerOpenRouterKeysApi(openRouter.server, {
		prefix: '/api/v1',
		isManagementKey: (key) => key === KEYS.openRouterManagement,
		onCreate: (key) => void openRouter.addKey({ key, credits: 10 }),
		onDelete: (key) => {
			const row = openRouter.ctx.keys.find(key);
			if (row) row.disabled = true;
		},
	});
	const slack = new SlackReceiver();
	await Promise.all([infisical.start(), litellm.start(), providers.start(), openRouter.start(), slack.start()]);

	// Providers: valid keys; Anthropic's key is unknown there (revoked by hand, say): invalid.
	providers.addKey('openai', KEYS.openai);
	providers.addKey('groq', KEYS.groq);
	providers.addKey('perplexity', KEYS.perplexity);
	openRouter.addKey({ key: KEYS.openRouterFailover, credits: 20 });
	openRouter.addKey({ key: KEYS.openRouterProvider, credits: 20 });
	openRouterKeys.add(KEYS.openRouterProvider, 'litellm-byok');

	const seed = (secretKey: string, secretValue: string, secretComment: string) =>
		infisical.seedSecret({ projectId: PROJECT, environment: ENV, secretPath: FOLDER, secretKey, secretValue, secretComment });
	seed('OPENAI_API_KEY', KEYS.openai, providerMeta('openai', providers.baseUrl('openai'), 10));
	seed('GROQ_API_KEY', KEYS.groq, providerMeta('groq', providers.baseUrl('groq'), 10));
	seed('ANTHROPIC_API_KEY', KEYS.anthropic, providerMeta('anthropic', providers.baseUrl('anthropic'), 10));
	seed('PERPLEXITYAI_API_KEY', KEYS.perplexity, providerMeta('perplexity', providers.baseUrl('perplexity'), 90));
	seed('OPENROUTER_API_KEY', KEYS.openRouterProvider, providerMeta('openrouter', openRouter.baseUrl, 90));
	seed('OPEN_WEBUI_LITELLM_KEY', KEYS.openWebUi, JSON.stringify({ managedBy: 'n8n-nodes-litellm', kind: 'virtual-key', alias: 'open-webui' }));

	// LiteLLM virtual keys.
	const now = Date.now();
	litellm.addVirtualKey({ key: KEYS.gatewayVirtual, key_alias: 'gateway', models: ['gpt-4o-mini', 'claude-3-5-haiku'] });
	age(litellm.addVirtualKey({ key: KEYS.openWebUi, key_alias: 'open-webui', models: ['gpt-4o-mini'], max_budget: 5, spend: 4.2, metadata: { service: 'open-webui' } }), 60);
	litellm.addVirtualKey({ key: KEYS.agents, key_alias: 'agents', models: ['gpt-4o-mini'], max_budget: 10, spend: 9.7, expires: new Date(now + 6 * DAY) });
	litellm.addVirtualKey({ key: KEYS.archon, key_alias: 'archon', models: ['gpt-4o-mini'], expires: new Date(now + 2 * DAY) });
	litellm.addVirtualKey({ key: KEYS.mcpTools, key_alias: 'mcp-tools', models: ['gpt-4o-mini'], expires: new Date(now + 12 * 3_600_000) });

	// LiteLLM credentials holding the BYOK keys, and a model on each (what the Key Manager's Model resource sets up).
	const admin = async (path: string, body: unknown) => {
		const res = await fetch(`${litellm.url}${path}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${KEYS.master}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (res.status !== 200) throw new Error(`LiteLLM ${path}: ${res.status} ${await res.text()}`);
	};
	await admin('/credentials', { credential_name: 'perplexity-byok', credential_values: { api_key: KEYS.perplexity }, credential_info: { custom_llm_provider: 'perplexity' } });
	await admin('/credentials', { credential_name: 'openrouter-byok', credential_values: { api_key: KEYS.openRouterProvider }, credential_info: { custom_llm_provider: 'openrouter' } });
	await admin('/model/new', { model_name: 'sonar', litellm_params: { model: 'perplexity/sonar', litellm_credential_name: 'perplexity-byok' } });
	await admin('/model/new', { model_name: 'openrouter-gpt-4o-mini', litellm_params: { model: 'openrouter/openai/gpt-4o-mini', litellm_credential_name: 'openrouter-byok' } });
	timings.simulatorsMs = Date.now() - t;

	t = Date.now();
	const suite = await makeSuite();
	timings.installMs = Date.now() - t;

	const outputs: string[] = [];
	const world: World = {
		suite,
		infisical,
		litellm,
		litellmAdmin,
		providers,
		openRouter,
		openRouterKeys,
		slack,
		spendSeed,
		outputs,
		timings,
		messages: (path) => slack.messages.filter((m) => m.path === path),
		secretValue: (name) => infisical.secrets(PROJECT, ENV, FOLDER).find((s) => s.secretKey === name)?.secretValue,
		secrets() {
			const minted = [
				...providers.minted('perplexity').map((m) => m.key),
				...openRouterKeys.records().map((r) => openRouterKeys.keyOf(r.hash) ?? ''),
			];
			// Every version Infisical ever held (new virtual and provider keys included).
			const stored = infisical.secrets(PROJECT, ENV, FOLDER).flatMap((s) => s.versions.map((v) => v.secretValue));
			return [...new Set([...Object.values(KEYS), ...minted, ...stored, ...spendSeed.keys.map((k) => k.key)])].filter(
				(s) => s.length >= 12 && !s.startsWith('{'),
			);
		},
		async stop() {
			await suite.teardown();
			await Promise.all([infisical.stop(), litellm.stop(), providers.stop(), openRouter.stop(), slack.stop()]);
		},
	};

	// The server first: the env-managed owner is created on a fresh database by `n8n start` (importing first
	// made a database whose owner could not log in).
	t = Date.now();
	if (!suite.n8n.running) await suite.n8n.start();
	timings.serverStartMs = Date.now() - t;

	t = Date.now();
	await suite.n8n.importCredentials(credentialsFor(world));
	await suite.n8n.importWorkflows([
		await shipped('key-validation.json', { slackWebhookUrl: slack.webhookUrl(SLACK_PATHS.validation) }),
		await shipped('key-rotation.json', { slackWebhookUrl: slack.webhookUrl(SLACK_PATHS.rotation) }),
		await shipped('key-rotation-error.json', { slackWebhookUrl: slack.webhookUrl(SLACK_PATHS.rotationCrash) }),
		await shipped('cost-alerts.json', { slackWebhookUrl: slack.webhookUrl(SLACK_PATHS.cost) }),
		await shipped('openrouter-failover.json', {}),
	]);
	timings.importMs = Date.now() - t;
	return world;
}

/** The credentials a user would create, pointing at the simulators (ids and names as the workflows use them). */
export function credentialsFor(w: Pick<World, 'infisical' | 'litellm' | 'openRouter'>): CredentialImport[] {
	return [
		{ id: 'liteLlmAdmin0001', name: 'LiteLLM admin (master key)', type: 'liteLlmApi', data: { baseUrl: w.litellm.url, apiKey: KEYS.master } },
		liteLlmProxyCredential(w.litellm.url, KEYS.gatewayVirtual),
		{
			id: 'infisical0000001',
			name: 'Infisical',
			type: 'liteLlmInfisicalApi',
			data: { siteUrl: w.infisical.url, ...CLIENT, projectId: PROJECT, environment: ENV, folderPath: FOLDER, accessToken: '' },
		},
		openRouterCredential(w.openRouter.baseUrl, KEYS.openRouterFailover),
		{
			id: 'openRouterMgmt01',
			name: 'OpenRouter management key',
			type: 'liteLlmOpenRouterApi',
			data: { apiKey: KEYS.openRouterManagement, baseUrl: w.openRouter.baseUrl, appTitle: 'n8n e2e', referer: '' },
		},
		gatewayTokenCredential(KEYS.gatewayToken),
	];
}

/**
 * A shipped workflow with values of its Settings node changed, as a user edits them in the canvas. Nothing
 * else changes; the test fails if the workflow has no Settings node or the setting does not exist.
 */
export async function shipped(file: string, settings: Record<string, unknown>): Promise<WorkflowJson> {
	const workflow = JSON.parse(await readFile(join(REPO_ROOT, 'workflows', file), 'utf8')) as WorkflowJson;
	const node = (workflow.nodes as Array<{ name: string; parameters: { jsonOutput?: string } }>).find((n) => n.name === 'Settings');
	if (!node?.parameters.jsonOutput) throw new Error(`${file} has no Settings node with JSON values`);
	const values = JSON.parse(node.parameters.jsonOutput) as Record<string, unknown>;
	for (const [key, value] of Object.entries(settings)) {
		if (!(key in values)) throw new Error(`${file}: Settings has no "${key}"`);
		values[key] = value;
	}
	node.parameters.jsonOutput = JSON.stringify(values, null, 2);
	return workflow;
}

/** Runs a workflow through `n8n execute` and keeps its output for the final secret scan. */
export async function run(w: World, workflowId: string) {
	const started = Date.now();
	const result = await w.suite.n8n.execute(workflowId);
	w.outputs.push(result.stdout, result.stderr);
	w.timings[`execute ${workflowId} #${Object.keys(w.timings).filter((k) => k.startsWith(`execute ${workflowId}`)).length + 1}`] = Date.now() - started;
	if (result.exitCode !== 0) {
		const error = result.run?.data.resultData.error as { message?: string; description?: string; node?: { name?: string } } | undefined;
		process.stderr.write(`[e2e] ${workflowId} failed at ${error?.node?.name ?? result.run?.data.resultData.lastNodeExecuted}: ${error?.message} ${error?.description ?? ''}\n`);
		if (!result.run) process.stderr.write(result.stdout.slice(-3000));
	}
	return result;
}

/** Items a node emitted in a run (first output, first run of the node). */
export function itemsOf(result: Awaited<ReturnType<typeof run>>, node: string): Array<Record<string, unknown>> {
	const runs = result.run?.data.resultData.runData[node];
	return (runs?.[0]?.data?.main?.[0] ?? []).map((i) => i.json as Record<string, unknown>);
}
