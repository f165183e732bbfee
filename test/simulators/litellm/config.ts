/**
 * A real LiteLLM config.yaml (`model_list`, `router_settings`, `litellm_settings`, `general_settings`) read
 * with `yaml`, `os.environ/NAME` values resolved from the `env` map given to the simulator.
 *
 * Choices where LiteLLM's docs are silent or vary by build:
 * - `model_info.id`, when the config has none, is a sha256 of the group name and the litellm_params, as
 *   LiteLLM's Router does (the exact hashing input differs, but it is stable across restarts like the real one).
 * - Router defaults: num_retries 2 (the Router default; the docs say 3), allowed_fails 3, cooldown_time 5 s,
 *   max_fallbacks 5. `router_settings` wins over `litellm_settings` for the same field.
 * - The default upstream `api_base` per provider is what LiteLLM reports in `x-litellm-model-api-base` for
 *   deployments without one (query string already stripped).
 */
import { createHash } from 'node:crypto';

import { parse } from 'yaml';

export interface LitellmParams {
	model: string;
	api_key?: string;
	api_base?: string;
	api_version?: string;
	input_cost_per_token?: number;
	output_cost_per_token?: number;
	litellm_credential_name?: string;
	mock_response?: string;
	custom_llm_provider?: string;
	rpm?: number;
	tpm?: number;
	timeout?: number;
	cooldown_time?: number;
	configurable_clientside_auth_params?: Array<string | Record<string, string>>;
	[key: string]: unknown;
}

export interface ModelInfo {
	id: string;
	base_model?: string;
	max_input_tokens?: number;
	max_output_tokens?: number;
	[key: string]: unknown;
}

export interface Deployment {
	model_name: string;
	/** Secrets resolved (api_key holds the real value); stripped before any response. */
	litellm_params: LitellmParams;
	model_info: ModelInfo;
	/** `custom_llm_provider`: openai, anthropic, gemini, mistral ... */
	provider: string;
	/** Upstream base used for `x-litellm-model-api-base` (query string stripped). */
	apiBase?: string;
	/** False for config.yaml models; true for models a later `/model/new` adds. */
	dbModel: boolean;
}

/** `[{"group": ["fb1", "fb2"]}]` flattened into a map. */
export type FallbackMap = Record<string, string[]>;

export interface RouterSettings {
	fallbacks: FallbackMap;
	context_window_fallbacks: FallbackMap;
	content_policy_fallbacks: FallbackMap;
	num_retries: number;
	allowed_fails: number;
	cooldown_time: number;
	max_fallbacks: number;
	disable_cooldowns: boolean;
	routing_strategy: string;
}

export interface ProxyConfig {
	deployments: Deployment[];
	router: RouterSettings;
	masterKey?: string;
	allowClientSideCredentials: boolean;
	/** `general_settings.litellm_key_header_name`, an extra header carrying the key. */
	customKeyHeader?: string;
	/** `general_settings.reject_clientside_metadata_tags`: a call whose body has `metadata.tags` is refused (400). */
	rejectClientsideMetadataTags: boolean;
	/** `litellm_settings.include_cost_in_streaming_usage`: a stream's usage chunk carries `usage.cost`. */
	includeCostInStreamingUsage: boolean;
}

const KNOWN_PROVIDERS = new Set([
	'openai',
	'anthropic',
	'gemini',
	'vertex_ai',
	'mistral',
	'groq',
	'cohere',
	'cohere_chat',
	'together_ai',
	'ollama',
	'ollama_chat',
	'perplexity',
	'openrouter',
	'azure',
	'bedrock',
	'deepseek',
	'xai',
	'fireworks_ai',
	'hosted_vllm',
	'sagemaker',
]);

export function providerOf(params: LitellmParams): string {
	if (params.custom_llm_provider) return params.custom_llm_provider;
	const slash = params.model.indexOf('/');
	if (slash > 0 && KNOWN_PROVIDERS.has(params.model.slice(0, slash)))
		return params.model.slice(0, slash);
	if (/^claude/.test(params.model)) return 'anthropic';
	if (/^gemini/.test(params.model)) return 'vertex_ai';
	return 'openai';
}

function defaultApiBase(provider: string, model: string): string | undefined {
	const bare = model.includes('/') ? model.slice(model.indexOf('/') + 1) : model;
	switch (provider) {
		case 'openai':
			return 'https://api.openai.com/v1';
		case 'anthropic':
			return 'https://api.anthropic.com/v1/messages';
		case 'gemini':
			return `https://generativelanguage.googleapis.com/v1beta/models/${bare}:generateContent`;
		case 'mistral':
			return 'https://api.mistral.ai/v1';
		case 'groq':
			return 'https://api.groq.com/openai/v1';
		case 'openrouter':
			return 'https://openrouter.ai/api/v1';
		default:
			return undefined;
	}
}

export function stripQuery(url: string | undefined): string | undefined {
	if (!url) return undefined;
	const q = url.indexOf('?');
	return q >= 0 ? url.slice(0, q) : url;
}

/** `os.environ/NAME` → env[NAME] (undefined when unset, as LiteLLM's get_secret gives None). */
export function resolveSecret(value: unknown, env: Record<string, string | undefined>): unknown {
	if (typeof value === 'string' && value.startsWith('os.environ/'))
		return env[value.slice('os.environ/'.length)];
	return value;
}

function fallbackMap(list: unknown): FallbackMap {
	const map: FallbackMap = {};
	if (!Array.isArray(list)) return map;
	for (const entry of list) {
		if (!entry || typeof entry !== 'object') continue;
		for (const [group, targets] of Object.entries(entry as Record<string, unknown>)) {
			map[group] = Array.isArray(targets) ? targets.map(String) : [String(targets)];
		}
	}
	return map;
}

export function buildDeployment(
	raw: {
		model_name: string;
		litellm_params: Record<string, unknown>;
		model_info?: Record<string, unknown>;
	},
	env: Record<string, string | undefined>,
	dbModel = false,
): Deployment {
	const params: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(raw.litellm_params ?? {}))
		params[key] = resolveSecret(value, env);
	const litellmParams = params as LitellmParams;
	const id =
		(raw.model_info?.id as string | undefined) ??
		createHash('sha256')
			.update(raw.model_name + JSON.stringify(raw.litellm_params))
			.digest('hex');
	const provider = providerOf(litellmParams);
	return {
		model_name: raw.model_name,
		litellm_params: litellmParams,
		model_info: { ...(raw.model_info ?? {}), id },
		provider,
		apiBase: stripQuery(litellmParams.api_base ?? defaultApiBase(provider, litellmParams.model)),
		dbModel,
	};
}

interface RawConfig {
	model_list?: Array<{
		model_name: string;
		litellm_params: Record<string, unknown>;
		model_info?: Record<string, unknown>;
	}>;
	router_settings?: Record<string, unknown>;
	litellm_settings?: Record<string, unknown>;
	general_settings?: Record<string, unknown>;
}

export function parseConfig(
	yamlText: string,
	env: Record<string, string | undefined>,
): ProxyConfig {
	const raw = (parse(yamlText) ?? {}) as RawConfig;
	const rs = raw.router_settings ?? {};
	const ls = raw.litellm_settings ?? {};
	const gs = raw.general_settings ?? {};
	const pick = <T>(key: string, fallback: T): T => (rs[key] ?? ls[key] ?? fallback) as T;
	const masterKey = resolveSecret(gs.master_key, env);
	return {
		deployments: (raw.model_list ?? []).map((m) => buildDeployment(m, env)),
		router: {
			fallbacks: fallbackMap(rs.fallbacks ?? ls.fallbacks ?? ls.default_fallbacks),
			context_window_fallbacks: fallbackMap(
				rs.context_window_fallbacks ?? ls.context_window_fallbacks,
			),
			content_policy_fallbacks: fallbackMap(
				rs.content_policy_fallbacks ?? ls.content_policy_fallbacks,
			),
			num_retries: pick('num_retries', 2),
			allowed_fails: pick('allowed_fails', 3),
			cooldown_time: pick('cooldown_time', 5),
			max_fallbacks: pick('max_fallbacks', 5),
			disable_cooldowns: pick('disable_cooldowns', false),
			routing_strategy: pick('routing_strategy', 'simple-shuffle'),
		},
		masterKey: typeof masterKey === 'string' && masterKey ? masterKey : undefined,
		allowClientSideCredentials: gs.allow_client_side_credentials === true,
		customKeyHeader:
			typeof gs.litellm_key_header_name === 'string' ? gs.litellm_key_header_name : undefined,
		rejectClientsideMetadataTags: gs.reject_clientside_metadata_tags === true,
		includeCostInStreamingUsage: ls.include_cost_in_streaming_usage === true,
	};
}
