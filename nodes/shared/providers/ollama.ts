import { classifyCommon, countListed } from './classify';
import type { ProviderSpec } from './types';

/**
 * Ollama: local, no auth (a reverse proxy in front may add one). `GET /api/tags` lists the pulled models;
 * a status other than 2xx means the server is up but unhappy (unknown). No keys, so nothing to rotate.
 */
export const ollama: ProviderSpec = {
	id: 'ollama',
	displayName: 'Ollama',
	envName: 'OLLAMA_API_KEY',
	liteLlmProvider: 'ollama',
	defaultBaseUrl: 'http://localhost:11434',
	customEndpoint: true,
	needsKey: false,
	keyFormatHint:
		'Ollama needs no key; leave it empty unless a reverse proxy in front asks for a Bearer token',
	authHeaders: (key): Record<string, string> => (key ? { Authorization: `Bearer ${key}` } : {}),
	zeroTokenCheck: { method: 'GET', path: '/api/tags' },
	countModels: countListed,
	classify: (answer) => classifyCommon(answer),
};
