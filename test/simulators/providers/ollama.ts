/**
 * Ollama (`http://localhost:11434`, no auth). Checks: `GET /api/version`, `GET /api/tags`; OpenAI-compatible
 * `GET /v1/models` and `POST /v1/chat/completions`. Native errors are `{"error":"…"}` (e.g. an unknown
 * model is 404 `{"error":"model \"x\" not found, try pulling it first"}`). Keys, rate limits and quotas do
 * not exist; outages are faults (`failNext('ollama', …)` or a stopped server).
 */
import type { SimResponse } from '../http/server';
import { chatBodyProblem, chatCompletion, modelList, openAiError } from './openai-compatible';
import type { ProviderDefinition } from './types';

const PULLED = ['llama3.2:latest', 'qwen2.5:7b'];
const none = (): SimResponse => ({ status: 500, body: { error: 'unreachable: Ollama has no auth' } });

export const ollama: ProviderDefinition = {
	id: 'ollama',
	basePath: '',
	authForm: 'none',
	noAuth: true,
	extractKey: () => '',
	missingKey: none,
	invalidKey: none,
	rateLimited: none,
	quotaExhausted: none,
	routes: [
		{ method: 'GET', path: '/api/version', kind: 'open', handler: () => ({ status: 200, body: { version: '0.6.2' } }) },
		{
			method: 'GET',
			path: '/api/tags',
			kind: 'open',
			handler: () => ({
				status: 200,
				body: {
					models: PULLED.map((name) => ({
						name,
						model: name,
						modified_at: '2025-01-01T00:00:00Z',
						size: 2_019_393_189,
						digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
						details: { format: 'gguf', family: 'llama', parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
					})),
				},
			}),
		},
		{ method: 'GET', path: '/v1/models', kind: 'open', handler: () => ({ status: 200, body: modelList(PULLED, 'library') }) },
		{
			method: 'POST',
			path: '/v1/chat/completions',
			kind: 'open',
			handler: (req) => {
				const problem = chatBodyProblem(req);
				if (problem) return openAiError(400, problem, 'invalid_request_error', null);
				const model = (req.body as { model: string }).model;
				if (!PULLED.includes(model)) return openAiError(404, `model "${model}" not found, try pulling it first`, 'api_error', null);
				return chatCompletion(req);
			},
		},
	],
};
