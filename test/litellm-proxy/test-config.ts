/**
 * A test copy of deploy/config.yaml for the real proxy: the same model list, router and settings, with
 * every deployment's `api_base` pointed at the provider simulators (test/simulators/providers) and the
 * secrets the config reads from `os.environ/…` given simulated values. deploy/config.yaml stays the
 * reference; nothing here is written back.
 *
 * LiteLLM builds each provider's URL from `api_base` in its own way (litellm 1.83.7):
 *   openai, mistral, groq, together_ai, perplexity: `{api_base}/chat/completions` (OpenAI client);
 *   anthropic: `{api_base}/v1/messages`; gemini: `{api_base}/models/{model}:generateContent` with
 *   `x-goog-api-key`; cohere_chat: `api_base` is the full URL of the chat route (`/v2/chat` by default,
 *   `/v1/chat` only for `cohere_chat/v1/<model>`);
 *   ollama_chat: `{api_base}/api/chat`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse, stringify } from 'yaml';

import type { ProviderSimulator } from '../simulators/providers/simulator';
import { REPO_ROOT } from './version';

interface ModelEntry {
	model_name: string;
	litellm_params: Record<string, unknown> & { model: string };
	model_info?: Record<string, unknown>;
}

interface Config {
	model_list: ModelEntry[];
	router_settings?: Record<string, unknown>;
	litellm_settings?: Record<string, unknown>;
	general_settings?: Record<string, unknown>;
}

/** LiteLLM provider prefix → [simulator id, api_base below the simulator's origin]. */
const API_BASE: Record<string, [string, string]> = {
	openai: ['openai', '/v1'],
	anthropic: ['anthropic', ''],
	gemini: ['gemini', '/v1beta'],
	cohere_chat: ['cohere', '/v2/chat'],
	mistral: ['mistral', '/v1'],
	perplexity: ['perplexity', ''],
	groq: ['groq', '/openai/v1'],
	together_ai: ['together', '/v1'],
	ollama_chat: ['ollama', ''],
};

/** The secrets deploy/config.yaml reads, with simulated values; the provider keys are also set on the simulator. */
export const SIMULATED_SECRETS = {
	LITELLM_MASTER_KEY: 'sk-litellm-master-sim-0001',
	OPENAI_API_KEY: 'sk-proj-sim-openai-0001',
	ANTHROPIC_API_KEY: 'sk-ant-sim-anthropic-0001',
	GEMINI_API_KEY: 'AIzaSim-gemini-0001',
	COHERE_API_KEY: 'sim-cohere-0001',
	MISTRAL_API_KEY: 'sim-mistral-0001',
	PERPLEXITYAI_API_KEY: 'pplx-sim-perplexity-0001',
	GROQ_API_KEY: 'gsk_sim-groq-0001',
	TOGETHERAI_API_KEY: 'sim-together-0001',
};

const KEY_OF: Record<string, keyof typeof SIMULATED_SECRETS> = {
	openai: 'OPENAI_API_KEY',
	anthropic: 'ANTHROPIC_API_KEY',
	gemini: 'GEMINI_API_KEY',
	cohere: 'COHERE_API_KEY',
	mistral: 'MISTRAL_API_KEY',
	perplexity: 'PERPLEXITYAI_API_KEY',
	groq: 'GROQ_API_KEY',
	together: 'TOGETHERAI_API_KEY',
};

export function readDeployConfig(): string {
	return readFileSync(join(REPO_ROOT, 'deploy', 'config.yaml'), 'utf8');
}

/** The simulator id serving a deployment's `model` (`openai/gpt-4o-mini` → `openai`). */
export function simulatorFor(model: string): string {
	const entry = API_BASE[model.split('/')[0]];
	if (!entry) throw new Error(`no provider simulator for ${model}`);
	return entry[0];
}

export interface TestConfigOptions {
	/** Deep-merged over router_settings / litellm_settings / general_settings (e.g. a short cooldown). */
	routerSettings?: Record<string, unknown>;
	litellmSettings?: Record<string, unknown>;
	generalSettings?: Record<string, unknown>;
	/** Config text to start from (default deploy/config.yaml). */
	configYaml?: string;
}

/**
 * The config text for the real proxy and the environment it needs. The provider simulator is given the
 * simulated keys as its only valid keys.
 */
export function testConfigFor(
	providers: ProviderSimulator,
	options: TestConfigOptions = {},
): { configYaml: string; env: Record<string, string> } {
	const config = parse(options.configYaml ?? readDeployConfig()) as Config;
	for (const entry of config.model_list) {
		const [sim, path] = API_BASE[entry.litellm_params.model.split('/')[0]] ?? [];
		if (!sim) throw new Error(`no provider simulator for ${entry.litellm_params.model}`);
		entry.litellm_params.api_base = `${providers.origin(sim)}${path}`;
	}
	config.router_settings = { ...config.router_settings, ...options.routerSettings };
	config.litellm_settings = { ...config.litellm_settings, ...options.litellmSettings };
	config.general_settings = { ...config.general_settings, ...options.generalSettings };
	for (const [sim, name] of Object.entries(KEY_OF))
		providers.setKeys(sim, [SIMULATED_SECRETS[name]]);
	// deploy/config.yaml reads Ollama's URL from OLLAMA_API_BASE, and LiteLLM itself reads that variable to ask
	// Ollama for a model's context window (the router's pre-call check).
	return {
		configYaml: stringify(config),
		env: { ...SIMULATED_SECRETS, OLLAMA_API_BASE: providers.origin('ollama') },
	};
}
