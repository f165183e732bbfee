/**
 * The SANDBOX of `npm start`: every service the workflows talk to, simulated on 127.0.0.1 (ephemeral ports)
 * by the project's test doubles (test/simulators), seeded with demo data so each workflow has something to
 * do offline:
 *
 * - LiteLLM runs the reference deploy/config.yaml (the provider matrix), with key management (/key/*,
 *   /credentials, /model/*) and 30 days of spend logs; virtual keys for Open WebUI, agents and MCP tools with
 *   budgets (two near their budget) and expiry dates (1, 2 and 6 days away).
 * - Infisical holds the provider keys in /litellm (one invalid, one rate limited, so key validation has
 *   something to report); each secret's comment points the Key Manager at the provider simulator.
 * - The providers (OpenAI ... Ollama), OpenRouter (chat, credits, management-key API) and a Slack
 *   incoming-webhook receiver. The wiring follows test/e2e/workflows/setup.ts, which proves each workflow.
 *
 * Every key here is fake and made up for the sandbox; nothing leaves the machine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { InfisicalSimulator } from '../simulators/infisical';
import { LiteLlmSimulator } from '../simulators/litellm';
import { registerKeyManagement } from '../simulators/litellm/keys';
import { registerSpendRoutes, seedSpendLogs, type TeamRow } from '../simulators/litellm/spend';
import { OpenRouterSimulator } from '../simulators/openrouter';
import { registerCredits } from '../simulators/openrouter/credits';
import { registerOpenRouterKeysApi } from '../simulators/providers';
import { ProviderSimulator } from '../simulators/providers/simulator';
import type { KeyState } from '../simulators/providers/types';
import { SlackReceiver } from '../simulators/slack';
import type { CredentialData } from './settings';

const REPO_ROOT = join(__dirname, '..', '..');

export const SANDBOX_MASTER_KEY = 'sk-sandbox-litellm-master-key-0001';
export const SANDBOX_OPENROUTER_KEY = `sk-or-v1-${'5a'.repeat(32)}`;
/** OpenRouter management key (mints and deletes OpenRouter keys: provider key rotation). */
export const SANDBOX_OPENROUTER_MANAGEMENT_KEY = `sk-or-v1-${'6b'.repeat(32)}`;
/** The BYOK OpenRouter key LiteLLM uses (stored in Infisical as OPENROUTER_API_KEY, rotated by the workflow). */
export const SANDBOX_OPENROUTER_BYOK_KEY = `sk-or-v1-${'7c'.repeat(32)}`;
/** Bearer token of the gateway webhook (the "LLM gateway token" Header Auth credential). */
export const SANDBOX_GATEWAY_TOKEN = 'sandbox-gateway-token-0001';
export const SANDBOX_INFISICAL = {
	clientId: 'sandbox-universal-auth-client',
	clientSecret: 'sandbox-universal-auth-secret-0001',
	projectId: 'sandbox-project',
	environment: 'prod',
	folderPath: '/litellm',
	/** Where the Key Manager's audit records go (the Usage node's Audit Trail reads them back). */
	auditFolderPath: '/litellm-audit',
};

/** The provider keys stored in Infisical: secret name (the Key Manager's convention), key, its state. */
const PROVIDER_KEYS: Array<{
	provider: string;
	simName: string;
	secretName: string;
	key: string;
	state: KeyState | 'invalid';
	ageDays?: number;
}> = [
	{
		provider: 'openai',
		simName: 'openai',
		secretName: 'OPENAI_API_KEY',
		key: `sk-proj-sandbox${'A1'.repeat(16)}`,
		state: 'valid',
	},
	{
		provider: 'anthropic',
		simName: 'anthropic',
		secretName: 'ANTHROPIC_API_KEY',
		key: `sk-ant-api03-sandbox${'B2'.repeat(16)}`,
		state: 'valid',
	},
	{
		provider: 'gemini',
		simName: 'gemini',
		secretName: 'GEMINI_API_KEY',
		key: `AIzaSandbox${'C3'.repeat(16)}`,
		state: 'valid',
	},
	{
		provider: 'cohere',
		simName: 'cohere',
		secretName: 'COHERE_API_KEY',
		key: `sandbox${'D4'.repeat(16)}`,
		state: 'valid',
	},
	{
		provider: 'mistral',
		simName: 'mistral',
		secretName: 'MISTRAL_API_KEY',
		key: `sandbox${'E5'.repeat(14)}`,
		state: 'valid',
	},
	{
		provider: 'perplexity',
		simName: 'perplexity',
		secretName: 'PERPLEXITYAI_API_KEY',
		key: `pplx-sandbox${'F6'.repeat(14)}`,
		state: 'valid',
		ageDays: 90,
	},
	{
		provider: 'groq',
		simName: 'groq',
		secretName: 'GROQ_API_KEY',
		key: `gsk_sandbox${'G7'.repeat(14)}`,
		state: 'rate_limited',
	},
	{
		provider: 'together',
		simName: 'together',
		secretName: 'TOGETHERAI_API_KEY',
		key: `tgp_v1_sandbox${'H8'.repeat(14)}`,
		state: 'invalid',
	},
];

const DAY = 86_400_000;

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

export interface SandboxService {
	name: string;
	url: string;
	note: string;
}

/** The simulators of the sandbox, by the name their port is remembered under. */
export type SandboxPorts = Record<
	'litellm' | 'openRouter' | 'infisical' | 'providers' | 'slack',
	number
>;

export interface Sandbox {
	services: SandboxService[];
	/** The port each simulator listens on (pass them to the next start to keep the URLs). */
	ports: SandboxPorts;
	/** Credential data per credential type, wired to the simulators. */
	credentials: CredentialData;
	/** Credential data by credential id where one type has several (the OpenRouter management key). */
	credentialsById: Record<string, Record<string, unknown>>;
	slackWebhookUrl: string;
	litellm: LiteLlmSimulator;
	openRouter: OpenRouterSimulator;
	infisical: InfisicalSimulator;
	providers: ProviderSimulator;
	slack: SlackReceiver;
	stop(): Promise<void>;
}

/**
 * Starts the simulators, each on the port it had last time when `ports` are given and that port is free
 * (then the credentials and workflows `npm start` imports are the same as last time, and their import is
 * skipped), otherwise on a free one.
 */
export async function startSandbox(
	options: { ports?: Partial<SandboxPorts> } = {},
): Promise<Sandbox> {
	const ports = options.ports ?? {};
	const providers = new ProviderSimulator();
	const infisical = new InfisicalSimulator();
	const openRouter = new OpenRouterSimulator();
	const slack = new SlackReceiver();
	// OpenRouter's management-key API on the OpenRouter server, sharing its key table: a minted key can chat,
	// a deleted one stops working (what provider key rotation needs).
	const openRouterKeys = registerOpenRouterKeysApi(openRouter.server, {
		prefix: '/api/v1',
		isManagementKey: (key) => key === SANDBOX_OPENROUTER_MANAGEMENT_KEY,
		onCreate: (key) => void openRouter.addKey({ key, credits: 10 }),
		onDelete: (key) => {
			const row = openRouter.ctx.keys.find(key);
			if (row) row.disabled = true;
		},
	});
	await Promise.all([
		startOn((p) => providers.start(p), ports.providers),
		startOn((p) => infisical.start(p), ports.infisical),
		startOn((p) => openRouter.start(p), ports.openRouter),
		startOn((p) => slack.start(p), ports.slack),
	]);

	// LiteLLM runs the reference config; its upstream keys are the sandbox's provider keys.
	const env: Record<string, string> = {
		LITELLM_MASTER_KEY: SANDBOX_MASTER_KEY,
		OLLAMA_API_BASE: providers.baseUrl('ollama'),
	};
	for (const p of PROVIDER_KEYS) env[p.secretName] = p.key;
	const litellm = new LiteLlmSimulator({
		configYaml: readFileSync(join(REPO_ROOT, 'deploy', 'config.yaml'), 'utf8'),
		env,
	});
	// Key management first: the first registered route wins, and its /key/list is the full one. A changed
	// LiteLLM credential makes its model fail when the provider does not know the new key (as upstream would).
	const credentialModels: Record<string, { provider: string; model: string }> = {
		'perplexity-byok': { provider: 'perplexity', model: 'sonar' },
		'openrouter-byok': { provider: 'openrouter', model: 'openrouter-gpt-4o-mini' },
	};
	registerKeyManagement(litellm.server, litellm.ctx, {
		onCredentialChange: (row) => {
			const target = credentialModels[row.credential_name];
			if (!target) return;
			const key = String(row.credential_values.api_key ?? '');
			const known =
				target.provider === 'openrouter'
					? openRouterKeys.isActive(key)
					: providers.keys(target.provider).some((k) => k.key === key);
			litellm.ctx.upstream.clear();
			if (!known) litellm.failDeployment(target.model, { status: 401 });
		},
	});
	const teams: TeamRow[] = [
		{
			team_id: 'team-research',
			team_alias: 'Research',
			spend: 82,
			max_budget: 100,
			budget_duration: '30d',
			budget_reset_at: new Date(Date.now() + 9 * DAY).toISOString(),
			blocked: false,
			models: [],
		},
		{
			team_id: 'team-support',
			team_alias: 'Support',
			spend: 12,
			max_budget: null,
			budget_duration: null,
			budget_reset_at: null,
			blocked: false,
			models: [],
		},
	];
	const logs = seedSpendLogs({ rows: 6000, days: 30, seed: 2026 });
	registerSpendRoutes(litellm.server, {
		masterKey: SANDBOX_MASTER_KEY,
		logs,
		keys: litellm.ctx.state.keys,
		teams,
	});
	await startOn((p) => litellm.start(p), ports.litellm);

	// Virtual keys per service, with budgets and expiry dates the workflows report on.
	const now = Date.now();
	const virtualKeys = [
		{
			key_alias: 'open-webui',
			spend: 44.1,
			max_budget: 50,
			budget_duration: '30d',
			expires: new Date(now + 2 * DAY),
		},
		{
			key_alias: 'agents',
			spend: 19.3,
			max_budget: 20,
			budget_duration: '30d',
			expires: new Date(now + 6 * DAY),
		},
		{
			key_alias: 'mcp-tools',
			spend: 1.2,
			max_budget: 10,
			budget_duration: '30d',
			expires: new Date(now + 20 * 3_600_000),
		},
		{
			key_alias: 'n8n-workflows',
			spend: 7.5,
			max_budget: 100,
			budget_duration: '30d',
			expires: null,
		},
	];
	// Each key ends differently, so the masked keys (`sk-...` plus the last four) tell them apart.
	const keyOf = (alias: string) =>
		`sk-sandbox-vk-${alias}-${String(virtualKeys.findIndex((k) => k.key_alias === alias) + 1).padStart(4, '0')}`;
	for (const k of virtualKeys) {
		const row = litellm.addVirtualKey({ ...k, key: keyOf(k.key_alias) });
		// Open WebUI's key is 60 days old: the monthly rotation has something to rotate.
		if (k.key_alias === 'open-webui') row.created_at = new Date(now - 60 * DAY).toISOString();
	}
	const openWebUiKey = keyOf('open-webui');

	// Infisical: the provider keys, each pointing the Key Manager at the provider simulator.
	infisical.addIdentity({
		clientId: SANDBOX_INFISICAL.clientId,
		clientSecret: SANDBOX_INFISICAL.clientSecret,
	});
	const project = infisical.project(SANDBOX_INFISICAL.projectId);
	project.addFolder(SANDBOX_INFISICAL.environment, SANDBOX_INFISICAL.folderPath);
	project.addFolder(SANDBOX_INFISICAL.environment, SANDBOX_INFISICAL.auditFolderPath);
	for (const p of PROVIDER_KEYS) {
		// An 'invalid' key is one the provider does not know (it answers 401).
		if (p.state !== 'invalid') providers.addKey(p.simName, p.key, p.state);
		infisical.seedSecret({
			projectId: SANDBOX_INFISICAL.projectId,
			environment: SANDBOX_INFISICAL.environment,
			secretPath: SANDBOX_INFISICAL.folderPath,
			secretKey: p.secretName,
			secretValue: p.key,
			secretComment: providerMeta(p.provider, providers.baseUrl(p.simName), p.ageDays ?? 10),
		});
	}
	const seedSecret = (secretKey: string, secretValue: string, secretComment: string) =>
		infisical.seedSecret({
			projectId: SANDBOX_INFISICAL.projectId,
			environment: SANDBOX_INFISICAL.environment,
			secretPath: SANDBOX_INFISICAL.folderPath,
			secretKey,
			secretValue,
			secretComment,
		});
	seedSecret(
		'OPENROUTER_API_KEY',
		SANDBOX_OPENROUTER_BYOK_KEY,
		providerMeta('openrouter', openRouter.baseUrl, 90),
	);
	seedSecret(
		'OPEN_WEBUI_LITELLM_KEY',
		openWebUiKey,
		JSON.stringify({ managedBy: 'n8n-nodes-litellm', kind: 'virtual-key', alias: 'open-webui' }),
	);

	// LiteLLM credentials holding BYOK keys, and a DB model on the OpenRouter one (the rotation workflow's
	// "switch LiteLLM to the new key" step updates these). `sonar` is already a config.yaml group.
	const admin = async (path: string, body: unknown) => {
		const post = () =>
			fetch(`${litellm.url}${path}`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${SANDBOX_MASTER_KEY}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify(body),
			});
		// fetch keeps connections open per host and port: after a restart on the same port in one process, the
		// first request can go out on a connection the stopped server closed. Once more on a new one is right.
		const res = await post().catch(() => post());
		if (res.status !== 200)
			throw new Error(`sandbox LiteLLM ${path}: ${res.status} ${await res.text()}`);
	};
	const perplexityKey = PROVIDER_KEYS.find((p) => p.provider === 'perplexity')!.key;
	await admin('/credentials', {
		credential_name: 'perplexity-byok',
		credential_values: { api_key: perplexityKey },
		credential_info: { custom_llm_provider: 'perplexity' },
	});
	await admin('/credentials', {
		credential_name: 'openrouter-byok',
		credential_values: { api_key: SANDBOX_OPENROUTER_BYOK_KEY },
		credential_info: { custom_llm_provider: 'openrouter' },
	});
	await admin('/model/new', {
		model_name: 'openrouter-gpt-4o-mini',
		litellm_params: {
			model: 'openrouter/openai/gpt-4o-mini',
			litellm_credential_name: 'openrouter-byok',
		},
	});

	registerCredits(openRouter.server, openRouter.ctx);
	openRouter.addKey({ key: SANDBOX_OPENROUTER_KEY, label: 'sandbox', credits: 25, usage: 3.4 });
	openRouter.addKey({ key: SANDBOX_OPENROUTER_BYOK_KEY, label: 'litellm-byok', credits: 20 });
	openRouter.addKey({
		key: SANDBOX_OPENROUTER_MANAGEMENT_KEY,
		label: 'management',
		credits: 40,
		isManagementKey: true,
	});
	openRouterKeys.add(SANDBOX_OPENROUTER_BYOK_KEY, 'litellm-byok');

	const slackWebhookUrl = slack.webhookUrl();
	const portOf = (url: string) => Number(new URL(url).port);
	const sandbox: Sandbox = {
		ports: {
			litellm: portOf(litellm.url),
			openRouter: portOf(openRouter.baseUrl),
			infisical: portOf(infisical.url),
			providers: portOf(providers.url),
			slack: portOf(slackWebhookUrl),
		},
		services: [
			{
				name: 'LiteLLM proxy',
				url: litellm.url,
				note: `deploy/config.yaml, master key ${SANDBOX_MASTER_KEY}`,
			},
			{ name: 'OpenRouter', url: openRouter.baseUrl, note: 'chat, models, credits' },
			{
				name: 'Infisical',
				url: infisical.url,
				note: `project ${SANDBOX_INFISICAL.projectId}, ${SANDBOX_INFISICAL.environment}:${SANDBOX_INFISICAL.folderPath} (audit records in ${SANDBOX_INFISICAL.auditFolderPath})`,
			},
			{
				name: 'Providers',
				url: providers.url,
				note: 'OpenAI, Anthropic, Gemini, Cohere, Mistral, Perplexity, Groq, Together, Ollama',
			},
			{ name: 'Slack webhook', url: slackWebhookUrl, note: 'messages are printed here' },
		],
		credentials: {
			liteLlmApi: { baseUrl: litellm.url, apiKey: SANDBOX_MASTER_KEY },
			liteLlmOpenRouterApi: {
				apiKey: SANDBOX_OPENROUTER_KEY,
				baseUrl: openRouter.baseUrl,
				appTitle: 'n8n sandbox',
				referer: '',
			},
			liteLlmInfisicalApi: { siteUrl: infisical.url, ...SANDBOX_INFISICAL, accessToken: '' },
			httpHeaderAuth: { name: 'Authorization', value: `Bearer ${SANDBOX_GATEWAY_TOKEN}` },
		},
		credentialsById: {
			openRouterMgmt01: {
				apiKey: SANDBOX_OPENROUTER_MANAGEMENT_KEY,
				baseUrl: openRouter.baseUrl,
				appTitle: 'n8n sandbox',
				referer: '',
			},
		},
		slackWebhookUrl,
		litellm,
		openRouter,
		infisical,
		providers,
		slack,
		async stop() {
			await Promise.allSettled([
				litellm.stop(),
				openRouter.stop(),
				infisical.stop(),
				providers.stop(),
				slack.stop(),
			]);
		},
	};
	return sandbox;
}

/** Listens on `port` when given and free; on a free port otherwise (another program took it meanwhile). */
async function startOn(start: (port: number) => Promise<string>, port?: number): Promise<string> {
	if (port) {
		try {
			return await start(port);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
		}
	}
	return await start(0);
}
