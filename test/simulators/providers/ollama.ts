/**
 * Ollama (`http://localhost:11434`, no auth). Checks: `GET /api/version`, `GET /api/tags`; native `POST /api/chat`;
 * OpenAI-compatible
 * `GET /v1/models` and `POST /v1/chat/completions`. Native errors are `{"error":"…"}` (e.g. an unknown
 * model is 404 `{"error":"model \"x\" not found, try pulling it first"}`). Keys, rate limits and quotas do
 * not exist; outages are faults (`failNext('ollama', …)` or a stopped server).
 */
import {
	buildAnswer,
	type ChatMessage,
	streamPieces,
	type ToolDefinition,
} from '../http/chat-answer';
import type { SimResponse } from '../http/server';
import { chatBodyProblem, chatCompletion, modelList, openAiError } from './openai-compatible';
import type { ProviderDefinition } from './types';

const PULLED = ['llama3.2:latest', 'qwen2.5:7b'];
const none = (): SimResponse => ({
	status: 500,
	body: { error: 'unreachable: Ollama has no auth' },
});

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
		{
			method: 'GET',
			path: '/api/version',
			kind: 'open',
			handler: () => ({ status: 200, body: { version: '0.6.2' } }),
		},
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
						details: {
							format: 'gguf',
							family: 'llama',
							parameter_size: '3.2B',
							quantization_level: 'Q4_K_M',
						},
					})),
				},
			}),
		},
		{
			// Model details. LiteLLM (1.83.7) asks `${OLLAMA_API_BASE}/api/show` for a model its price map lacks, to
			// learn the context window its router's pre-call check compares a prompt with.
			method: 'POST',
			path: '/api/show',
			kind: 'open',
			handler: (req) => {
				const name = String(
					(req.body as { name?: unknown; model?: unknown } | undefined)?.name ??
						(req.body as { model?: unknown } | undefined)?.model ??
						'',
				);
				const model = name.includes(':') ? name : `${name}:latest`;
				if (!PULLED.includes(model))
					return { status: 404, body: { error: `model '${name}' not found` } };
				return {
					status: 200,
					body: {
						modelfile: `FROM ${model}`,
						parameters: 'stop "<|eot_id|>"',
						template: '{{ .Prompt }}',
						details: {
							parent_model: '',
							format: 'gguf',
							family: 'llama',
							families: ['llama'],
							parameter_size: '3.2B',
							quantization_level: 'Q4_K_M',
						},
						model_info: {
							'general.architecture': 'llama',
							'general.parameter_count': 3_212_749_888,
							'llama.context_length': 131_072,
							'llama.embedding_length': 3072,
						},
						capabilities: ['completion', 'tools'],
					},
				};
			},
		},
		{
			// Native chat, what LiteLLM's `ollama_chat/<model>` calls (litellm 1.83.7): one JSON answer, or NDJSON
			// lines (`done: false` pieces, then `done: true` with the counts) when `stream` is true.
			method: 'POST',
			path: '/api/chat',
			kind: 'open',
			handler: (req) => {
				const body = req.body as
					| {
							model?: unknown;
							messages?: ChatMessage[];
							tools?: ToolDefinition[];
							stream?: boolean;
					  }
					| undefined;
				if (typeof body?.model !== 'string' || !Array.isArray(body.messages))
					return { status: 400, body: { error: 'model and messages are required' } };
				const model = body.model.includes(':') ? body.model : `${body.model}:latest`;
				if (!PULLED.includes(model))
					return {
						status: 404,
						body: { error: `model "${body.model}" not found, try pulling it first` },
					};
				const answer = buildAnswer({ messages: body.messages, tools: body.tools });
				const base = { model: body.model, created_at: new Date().toISOString() };
				const toolCalls = answer.toolCalls?.map((c) => ({
					function: {
						name: c.function.name,
						arguments: JSON.parse(c.function.arguments) as unknown,
					},
				}));
				const done = {
					...base,
					done: true,
					done_reason: 'stop',
					total_duration: 1_000_000,
					load_duration: 100_000,
					prompt_eval_count: answer.promptTokens,
					prompt_eval_duration: 200_000,
					eval_count: answer.completionTokens,
					eval_duration: 700_000,
				};
				if (body.stream !== true)
					return {
						status: 200,
						body: {
							...done,
							message: {
								role: 'assistant',
								content: answer.content ?? '',
								...(toolCalls ? { tool_calls: toolCalls } : {}),
							},
						},
					};
				const lines: Array<Record<string, unknown>> = toolCalls
					? [
							{
								...base,
								message: { role: 'assistant', content: '', tool_calls: toolCalls },
								done: false,
							},
						]
					: streamPieces(answer.content ?? '').map((piece) => ({
							...base,
							message: { role: 'assistant', content: piece },
							done: false,
						}));
				lines.push({ ...done, message: { role: 'assistant', content: '' } });
				return {
					status: 200,
					headers: { 'content-type': 'application/x-ndjson' },
					body: lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
				};
			},
		},
		{
			method: 'GET',
			path: '/v1/models',
			kind: 'open',
			handler: () => ({ status: 200, body: modelList(PULLED, 'library') }),
		},
		{
			method: 'POST',
			path: '/v1/chat/completions',
			kind: 'open',
			handler: (req) => {
				const problem = chatBodyProblem(req);
				if (problem) return openAiError(400, problem, 'invalid_request_error', null);
				const model = (req.body as { model: string }).model;
				if (!PULLED.includes(model))
					return openAiError(
						404,
						`model "${model}" not found, try pulling it first`,
						'api_error',
						null,
					);
				return chatCompletion(req);
			},
		},
	],
};
