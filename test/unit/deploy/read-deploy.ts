/** Reads deploy/config.yaml and deploy/compose.yaml for the deploy tests (parsed with `yaml`, as LiteLLM and compose do). */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { parse } from 'yaml';

export const DEPLOY_DIR = resolve(__dirname, '..', '..', '..', 'deploy');

export function deployText(name: string): string {
	return readFileSync(join(DEPLOY_DIR, name), 'utf8');
}

export function deployYaml<T>(name: string): T {
	// Merge keys (`<<: *anchor`) on, as Docker Compose reads them (compose.queue.yaml shares n8n's settings so).
	return parse(deployText(name), { merge: true }) as T;
}

export interface LiteLlmConfig {
	model_list: Array<{
		model_name: string;
		litellm_params: Record<string, unknown>;
		model_info?: Record<string, unknown>;
	}>;
	router_settings: {
		fallbacks?: Array<Record<string, string[]>>;
		context_window_fallbacks?: Array<Record<string, string[]>>;
	} & Record<string, unknown>;
	litellm_settings?: Record<string, unknown>;
	general_settings: Record<string, unknown>;
}

/** Every `os.environ/NAME` anywhere in a parsed YAML value, as NAME. */
export function envReferences(value: unknown): string[] {
	if (typeof value === 'string')
		return value.startsWith('os.environ/') ? [value.slice('os.environ/'.length)] : [];
	if (Array.isArray(value)) return value.flatMap(envReferences);
	if (value && typeof value === 'object') return Object.values(value).flatMap(envReferences);
	return [];
}
