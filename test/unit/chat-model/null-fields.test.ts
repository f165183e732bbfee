/**
 * LiteLLM's null fields and empty tool arguments, normalised at the HTTP body. The agent tests run the
 * ChatOpenAI that n8n's `supplyModel` builds, rebuilt through its public constructor with a fetch, inside
 * LangChain's tool-calling agent (the one n8n's AI Agent v2/v3 uses: createToolCallingAgent), once with the
 * raw LiteLLM body and once through our normalising fetch.
 */
import { type OpenAiModel, supplyModel } from '@n8n/ai-node-sdk';
import { AgentExecutor, createToolCallingAgent } from '@langchain/classic/agents';
import type { AIMessage } from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { DynamicTool } from '@langchain/core/tools';
import { NodeApiError } from 'n8n-workflow';

import {
	errorStatusOf,
	type FetchLike,
	normaliseCompletion,
	normalisingFetch,
	withFetch,
	withNormalisingFetch,
} from '../../../nodes/LiteLlmChatModel/null-fields';
import { failedAttemptHandler } from '../../../nodes/LiteLlmChatModel/retry-policy';
import { supplyContext, TEST_NODE } from './supply-context';

type Json = Record<string, unknown>;

/** What LiteLLM returns for a tool without parameters from Anthropic (content null, arguments ""). */
function liteLlmToolCallBody(): Json {
	return {
		id: 'chatcmpl-5f0b',
		created: 1732000000,
		model: 'claude-3-5-haiku',
		object: 'chat.completion',
		system_fingerprint: null,
		choices: [
			{
				finish_reason: 'tool_calls',
				index: 0,
				message: {
					content: null,
					role: 'assistant',
					tool_calls: [
						{
							index: 0,
							function: { arguments: '', name: 'get_time' },
							id: 'toolu_01A',
							type: 'function',
						},
					],
					function_call: null,
				},
			},
		],
		usage: { completion_tokens: 12, prompt_tokens: 50, total_tokens: 62 },
	};
}

/** A plain LiteLLM answer: `tool_calls: null`, `function_call: null`. */
function liteLlmAnswerBody(text: string): Json {
	return {
		id: 'chatcmpl-7c1d',
		created: 1732000001,
		model: 'claude-3-5-haiku',
		object: 'chat.completion',
		system_fingerprint: null,
		choices: [
			{
				finish_reason: 'stop',
				index: 0,
				message: { content: text, role: 'assistant', tool_calls: null, function_call: null },
			},
		],
		usage: { completion_tokens: 6, prompt_tokens: 70, total_tokens: 76 },
	};
}

/** A fetch that answers the queued bodies in order and keeps the request bodies. */
function cannedFetch(bodies: Json[]): FetchLike & { requests: Json[] } {
	const requests: Json[] = [];
	const fetchStub = async (_input: string | URL | Request, init?: RequestInit) => {
		requests.push(JSON.parse(String(init?.body)) as Json);
		const body = bodies.shift();
		if (!body) throw new Error('no canned answer left');
		return new Response(JSON.stringify(body), {
			status: 200,
			headers: { 'content-type': 'application/json' },
		});
	};
	return Object.assign(fetchStub, { requests });
}

function buildModel(options: Partial<OpenAiModel> = {}): unknown {
	const ctx = supplyContext({ parameters: {}, credentials: {} });
	return supplyModel(ctx, {
		type: 'openai',
		baseUrl: 'http://litellm.test/v1',
		apiKey: 'sk-unit-0001',
		model: 'claude-3-5-haiku',
		maxRetries: 0,
		...options,
	}).response;
}

/** The model with the normalising fetch over `base`, as supplyChatModel builds it. */
function normalised(model: unknown, base: FetchLike): unknown {
	return withNormalisingFetch(model, base, { onFailedAttempt: failedAttemptHandler(TEST_NODE) });
}

function agentExecutor(model: unknown): AgentExecutor {
	const tool = new DynamicTool({
		name: 'get_time',
		description: 'The current time',
		func: async () => '12:00',
	});
	const prompt = ChatPromptTemplate.fromMessages([
		['system', 'You are a helpful assistant'],
		['human', '{input}'],
		['placeholder', '{agent_scratchpad}'],
	]);
	const agent = createToolCallingAgent({
		llm: model as never,
		tools: [tool],
		prompt,
		streamRunnable: false,
	});
	return new AgentExecutor({ agent, tools: [tool] });
}

type PublicModel = {
	lc_kwargs: Json & { configuration: Json };
	invocationParams: () => Json;
	bindTools: (tools: unknown[]) => PublicModel;
	invoke: (input: string) => Promise<AIMessage>;
};

describe('normaliseCompletion', () => {
	it('drops null tool_calls and function_call of a plain answer', () => {
		const body = liteLlmAnswerBody('Hi');
		expect(normaliseCompletion(body)).toBe(true);
		expect((body.choices as Json[])[0].message).toEqual({ content: 'Hi', role: 'assistant' });
	});

	it('turns empty arguments into {} and null content beside tool calls into ""', () => {
		const body = liteLlmToolCallBody();
		expect(normaliseCompletion(body)).toBe(true);
		const message = (body.choices as Json[])[0].message as Json;
		expect(message.content).toBe('');
		expect(message).not.toHaveProperty('function_call');
		expect(message.tool_calls).toEqual([
			{
				index: 0,
				function: { arguments: '{}', name: 'get_time' },
				id: 'toolu_01A',
				type: 'function',
			},
		]);
	});

	it('leaves OpenAI-shaped bodies and real arguments alone', () => {
		const body = {
			choices: [
				{
					message: {
						role: 'assistant',
						content: null,
						tool_calls: [
							{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
						],
					},
				},
			],
		};
		const before = JSON.stringify(body);
		expect(normaliseCompletion(body)).toBe(true); // content null beside tool calls → ''
		expect(body.choices[0].message.tool_calls[0].function.arguments).toBe('{"a":1}');
		expect(JSON.stringify(body)).not.toBe(before);
		const plain = { choices: [{ message: { role: 'assistant', content: 'x' } }] };
		expect(normaliseCompletion(plain)).toBe(false);
		expect(normaliseCompletion({ data: [] })).toBe(false);
		expect(normaliseCompletion(null)).toBe(false);
	});
});

describe('normalisingFetch', () => {
	const jsonResponse = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
		new Response(JSON.stringify(body), {
			status,
			headers: { 'content-type': 'application/json', ...headers },
		});

	it('rewrites JSON chat bodies and drops the stale content-length', async () => {
		const text = JSON.stringify(liteLlmToolCallBody());
		const fetchWrapped = normalisingFetch(
			async () =>
				new Response(text, {
					status: 200,
					headers: {
						'content-type': 'application/json',
						'content-length': String(text.length),
						'x-litellm-call-id': 'abc',
					},
				}),
		);
		const response = await fetchWrapped('http://x/v1/chat/completions');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-length')).toBeNull();
		expect(response.headers.get('x-litellm-call-id')).toBe('abc');
		const body = (await response.json()) as { choices: Array<{ message: Json }> };
		expect(body.choices[0].message.content).toBe('');
	});

	it('passes event streams and non-JSON answers through untouched', async () => {
		const stream = new Response('data: {"choices":[{"delta":{"tool_calls":null}}]}\n\n', {
			headers: { 'content-type': 'text/event-stream' },
		});
		expect(await normalisingFetch(async () => stream)('http://x')).toBe(stream);
		const html = new Response('<html>', { status: 502, headers: { 'content-type': 'text/html' } });
		expect(await normalisingFetch(async () => html)('http://x')).toBe(html);
	});

	it('keeps error statuses and gives an OpenRouter 200-with-error its real status', async () => {
		const error = await normalisingFetch(async () =>
			jsonResponse({ error: { message: 'Budget', type: 'budget_exceeded', code: '400' } }, 400),
		)('http://x');
		expect(error.status).toBe(400);
		const late = await normalisingFetch(async () =>
			jsonResponse({ error: { code: 502, message: 'Provider returned error' } }),
		)('http://x');
		expect(late.status).toBe(502);
		expect(errorStatusOf({ error: { code: 'x' } })).toBe(502);
		expect(errorStatusOf(liteLlmAnswerBody('ok'))).toBeUndefined();
	});

	it('hands broken JSON on unchanged', async () => {
		const response = await normalisingFetch(
			async () => new Response('{"choices":[', { headers: { 'content-type': 'application/json' } }),
		)('http://x');
		expect(await response.text()).toBe('{"choices":[');
	});
});

describe('the ChatOpenAI that supplyModel builds', () => {
	it('is rebuilt through its constructor with every option supplyModel gave it, plus the fetch', () => {
		// Every option buildModelOptions can set, so a LangChain update that stops recording one fails here.
		const original = buildModel({
			defaultHeaders: { 'HTTP-Referer': 'https://n8n.io' },
			temperature: 0.3,
			topP: 0.9,
			frequencyPenalty: 0.1,
			presencePenalty: 0.2,
			maxTokens: 256,
			timeout: 30000,
			maxRetries: 3,
			additionalParams: { metadata: { tags: ['n8n'] } },
		}) as PublicModel;
		const rebuilt = normalised(original, cannedFetch([])) as PublicModel;
		expect(rebuilt).not.toBe(original);
		expect(rebuilt.constructor).toBe(original.constructor);
		expect(rebuilt.invocationParams()).toEqual(original.invocationParams());
		const { fetch: fetchFn, ...configuration } = rebuilt.lc_kwargs.configuration;
		expect(typeof fetchFn).toBe('function');
		// n8n's proxy dispatcher (fetchOptions), base URL and headers are the ones supplyModel set.
		expect(configuration).toEqual(original.lc_kwargs.configuration);
		expect(rebuilt.lc_kwargs.callbacks).toBe(original.lc_kwargs.callbacks);
		expect(withNormalisingFetch({}, cannedFetch([]))).toBeUndefined();
		expect(withNormalisingFetch(null, cannedFetch([]))).toBeUndefined();
	});

	it('keeps the fetch in the model bindTools returns (what agents call)', async () => {
		const fetchStub = cannedFetch([liteLlmAnswerBody('Hi')]);
		const bound = (normalised(buildModel(), fetchStub) as PublicModel).bindTools([]);
		expect((await bound.invoke('Hi')).content).toBe('Hi');
		expect(fetchStub.requests).toHaveLength(1);
	});

	it('fails as a NodeApiError of the node with the status, after one call for a status a retry cannot change', async () => {
		let calls = 0;
		const unauthorised = async () => {
			calls++;
			return new Response(JSON.stringify({ error: { message: 'Invalid key', code: '401' } }), {
				status: 401,
				headers: { 'content-type': 'application/json' },
			});
		};
		const model = normalised(buildModel({ maxRetries: 2 }), unauthorised) as PublicModel;
		await expect(model.invoke('Hi')).rejects.toMatchObject({
			name: 'NodeApiError',
			httpCode: '401',
		});
		expect(calls).toBe(1);
	});

	it('lets LangChain retry only what a retry can change, while retries are left', () => {
		const handler = failedAttemptHandler(TEST_NODE);
		expect(
			handler(Object.assign(new Error('busy'), { status: 503, retriesLeft: 1 })),
		).toBeUndefined();
		expect(() =>
			handler(Object.assign(new Error('busy'), { status: 503, retriesLeft: 0 })),
		).toThrow(NodeApiError);
		expect(() => handler(Object.assign(new Error('busy'), { status: 503 }))).toThrow(NodeApiError);
		expect(() => handler(Object.assign(new Error('bad'), { status: 400, retriesLeft: 3 }))).toThrow(
			NodeApiError,
		);
		expect(() =>
			handler(Object.assign(new Error('x'), { name: 'AbortError', retriesLeft: 3 })),
		).toThrow(NodeApiError);
	});

	it('WITHOUT normalisation: an empty tool argument from LiteLLM breaks the tool-calling agent', async () => {
		const model = withFetch(
			buildModel(),
			cannedFetch([liteLlmToolCallBody(), liteLlmAnswerBody('It is 12:00.')]),
		);
		await expect(agentExecutor(model).invoke({ input: 'What time is it?' })).rejects.toThrow(
			/Failed to parse tool arguments/,
		);
	});

	it('WITH normalisation: the agent calls the tool and answers', async () => {
		const fetchStub = cannedFetch([liteLlmToolCallBody(), liteLlmAnswerBody('It is 12:00.')]);
		const model = normalised(buildModel(), fetchStub);
		const result = (await agentExecutor(model).invoke({ input: 'What time is it?' })) as {
			output: string;
		};
		expect(result.output).toBe('It is 12:00.');
		// The second request carries the assistant tool call (arguments now "{}") and the tool's result.
		const messages = fetchStub.requests[1].messages as Json[];
		const assistant = messages.find((m) => m.role === 'assistant') as {
			tool_calls: Array<{ id: string; function: Json }>;
		};
		expect(assistant.tool_calls[0].function).toEqual({ name: 'get_time', arguments: '{}' });
		expect(messages.find((m) => m.role === 'tool')).toMatchObject({
			tool_call_id: 'toolu_01A',
			content: '12:00',
		});
	});

	it('a null tool_calls no longer reaches additional_kwargs (what older LangChain agent parsers read .length of)', async () => {
		const raw = withFetch(buildModel(), cannedFetch([liteLlmAnswerBody('Hi')])) as PublicModel;
		const rawMessage = await raw.invoke('Hi');
		expect(rawMessage.additional_kwargs.tool_calls).toBeNull();
		// @langchain/classic before langchain-ai/langchainjs#8594 (n8n-io/n8n#17522, #19712) tested `=== undefined` then read `.length`.
		const preFixCheck = (m: AIMessage) =>
			m.additional_kwargs.tool_calls === undefined || m.additional_kwargs.tool_calls.length === 0;
		expect(() => preFixCheck(rawMessage)).toThrow(/Cannot read properties of null/);

		const fixed = normalised(buildModel(), cannedFetch([liteLlmAnswerBody('Hi')])) as PublicModel;
		const message = await fixed.invoke('Hi');
		expect(message.content).toBe('Hi');
		expect(message.additional_kwargs.tool_calls).toBeUndefined();
		expect(message.additional_kwargs.function_call).toBeUndefined();
		expect(preFixCheck(message)).toBe(true);
	});
});
