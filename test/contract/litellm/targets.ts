/**
 * The two targets of the LiteLLM contract suite: the simulator (test/simulators/litellm) and the real
 * proxy (test/litellm-proxy, no database), both loading contract-config.yaml with the same environment.
 * Faults are injected where each target takes them: the simulator fails a deployment itself; for the real
 * proxy the provider simulator answers the provider's own error, which LiteLLM's client then reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { LiteLlmProxy } from '../../litellm-proxy/proxy';
import { LiteLlmSimulator } from '../../simulators/litellm';
import { RATE_LIMIT_HEADERS } from '../../simulators/providers/openai';
import { ProviderSimulator } from '../../simulators/providers/simulator';

export type TargetName = 'simulator' | 'real proxy';

export interface LiteLlmTarget {
	name: TargetName;
	url: string;
	masterKey: string;
	/** The next `times` upstream calls of `group` (an OpenAI deployment) fail with `status`, as OpenAI answers it. */
	failUpstream(group: string, status: 401 | 429 | 500 | 503, times: number): void;
	/** Every upstream call of `group` takes `ms` first (0 removes it). */
	slowUpstream(group: string, ms: number): void;
	clearFaults(): void;
	/** Upstream (provider) tries so far. */
	upstreamTries(): number;
	stop(): Promise<void>;
}

export const CONTRACT_CONFIG = readFileSync(join(__dirname, 'contract-config.yaml'), 'utf8');

export const SECRETS = {
	LITELLM_MASTER_KEY: 'sk-contract-master-0001',
	OPENAI_API_KEY: 'sk-proj-contract-openai-0001',
	ANTHROPIC_API_KEY: 'sk-ant-contract-0001',
	GEMINI_API_KEY: 'AIza-contract-gemini-0001',
};

const openAiError = (message: string, type: string, code: string | null) => ({
	message,
	body: { error: { message, type, param: null, code } },
});

/** What OpenAI answers for each status the suite injects (the messages LiteLLM then quotes). */
export const OPENAI_ERRORS: Record<
	401 | 429 | 500 | 503,
	{ message: string; body: unknown; headers?: Record<string, string> }
> = {
	401: openAiError(
		'Incorrect API key provided: sk-pro*******************0001. You can find your API key at https://platform.openai.com/account/api-keys.',
		'invalid_request_error',
		'invalid_api_key',
	),
	429: {
		...openAiError(
			'Rate limit reached for gpt-4o in organization org-simulated on requests per min (RPM): Limit 500, Used 500, Requested 1.',
			'requests',
			'rate_limit_exceeded',
		),
		headers: RATE_LIMIT_HEADERS,
	},
	500: openAiError(
		'The server had an error while processing your request. Sorry about that!',
		'server_error',
		null,
	),
	503: openAiError(
		'The engine is currently overloaded, please try again later.',
		'server_error',
		null,
	),
};

function envFor(providers: ProviderSimulator): Record<string, string> {
	return {
		...SECRETS,
		OPENAI_API_BASE: providers.baseUrl('openai'),
		ANTHROPIC_API_BASE: providers.origin('anthropic'),
		GEMINI_API_BASE: providers.baseUrl('gemini'),
	};
}

async function startProviders(): Promise<ProviderSimulator> {
	const providers = new ProviderSimulator();
	await providers.start();
	providers.setKeys('openai', [SECRETS.OPENAI_API_KEY]);
	providers.setKeys('anthropic', [SECRETS.ANTHROPIC_API_KEY]);
	providers.setKeys('gemini', [SECRETS.GEMINI_API_KEY]);
	return providers;
}

export async function startSimulatorTarget(): Promise<LiteLlmTarget> {
	const providers = await startProviders(); // only for the api_base values the config names
	const sim = new LiteLlmSimulator({
		configYaml: CONTRACT_CONFIG,
		env: envFor(providers),
		version: '1.83.7',
		database: false,
	});
	await sim.start();
	return {
		name: 'simulator',
		url: sim.url,
		masterKey: SECRETS.LITELLM_MASTER_KEY,
		failUpstream: (group, status, times) =>
			sim.failDeployment(group, { status, message: OPENAI_ERRORS[status].message, times }),
		slowUpstream: (group, ms) => sim.slowDeployment(group, ms),
		// Injected failures only: cooldowns are the router's state and stay, as in the real proxy.
		clearFaults: () => {
			sim.ctx.upstream.clear();
			sim.faults.clear();
		},
		upstreamTries: () => sim.upstreamCalls.length,
		stop: async () => {
			await sim.stop();
			await providers.stop();
		},
	};
}

export async function startRealProxyTarget(): Promise<LiteLlmTarget> {
	const providers = await startProviders();
	const proxy = await LiteLlmProxy.start({ configYaml: CONTRACT_CONFIG, env: envFor(providers) });
	const chatPath = '/v1/chat/completions';
	const chatCalls = () =>
		providers.ledger.filter(
			(e) =>
				e.method === 'POST' && /\/(chat\/completions|messages|models\/[^/]+:\w+)$/.test(e.path),
		).length;
	return {
		name: 'real proxy',
		url: proxy.url,
		masterKey: SECRETS.LITELLM_MASTER_KEY,
		failUpstream: (_group, status, times) => {
			const e = OPENAI_ERRORS[status];
			providers.failNext('openai', status, e.body, { path: chatPath, headers: e.headers, times });
		},
		slowUpstream: (_group, ms) => providers.setLatency('openai', ms),
		clearFaults: () => {
			providers.server.faults.clear();
			providers.setLatency('openai', 0);
		},
		upstreamTries: chatCalls,
		stop: async () => {
			await proxy.stop();
			await providers.stop();
		},
	};
}

/** `LITELLM_CONTRACT_TARGETS=simulator` runs one target only (e.g. while changing the simulator). */
export function selectedTargets(): TargetName[] {
	const only = process.env.LITELLM_CONTRACT_TARGETS;
	const all: TargetName[] = ['simulator', 'real proxy'];
	return only
		? all.filter((t) =>
				only
					.split(',')
					.map((s) => s.trim())
					.includes(t),
			)
		: all;
}

export const startTarget = async (name: TargetName): Promise<LiteLlmTarget> =>
	name === 'simulator' ? await startSimulatorTarget() : await startRealProxyTarget();
