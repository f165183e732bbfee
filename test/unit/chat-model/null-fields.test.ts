/**
 * LiteLLM's null fields and empty tool arguments, normalised at the HTTP body. The agent tests run the
 * ChatOpenAI that n8n's `supplyModel` builds, inside LangChain's tool-calling agent (the one n8n's AI Agent
 * v2/v3 uses: createToolCallingAgent), once with the raw LiteLLM body and once through our fetch.
 */
import { supplyModel } from '@n8n/ai-node-sdk';
import { AgentExecutor, createToolCallingAgent } from '@langchain/classic/agents';
import type { AIMessage } from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { DynamicTool } from '@langchain/core/tools';

import {
	errorStatusOf,
	type FetchLike,
	installNormalisingFetch,
	normaliseCompletion,
	normalisingFetch,
} from '../../../nodes/LiteLlmChatModel/null-fields';
import { supplyContext } from './supply-context';

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
					tool_calls: [{ index: 0, function: { arguments: '', name: 'get_time' }, id: 'toolu_01A', type: 'function' }],
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
		return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
	};
	return Object.assign(fetchStub, { requests });
}

function buildModel(): unknown {
	const ctx = supplyContext({ parameters: {}, credentials: {} });
	return supplyModel(ctx, { type: 'openai', baseUrl: 'http://litellm.test/v1', apiKey: 'sk-unit-0001', model: 'claude-3-5-haiku', maxRetries: 0 })
		.response;
}

/** The raw LiteLLM body reaches LangChain: the fetch goes into the client config untouched. */
function withRawFetch(model: unknown, fetchStub: FetchLike): void {
	const holder = model as { fields: { configuration: Json }; clientConfig: Json; completions: { clientConfig: Json } };
	holder.fields.configuration.fetch = fetchStub;
	holder.clientConfig.fetch = fetchStub;
	holder.completions.clientConfig.fetch = fetchStub;
}

function agentExecutor(model: unknown): AgentExecutor {
	const tool = new DynamicTool({ name: 'get_time', description: 'The current time', func: async () => '12:00' });
	const prompt = ChatPromptTemplate.fromMessages([
		['system', 'You are a helpful assistant'],
		['human', '{input}'],
		['placeholder', '{agent_scratchpad}'],
	]);
	const agent = createToolCallingAgent({ llm: model as never, tools: [tool], prompt, streamRunnable: false });
	return new AgentExecutor({ agent, tools: [tool] });
}

type ModelShape = { fields: { configuration: Json }; clientConfig: Json; completions: { clientConfig: Json }; responses: { clientConfig: Json } };

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
		expect(message.tool_calls).toEqual([{ index: 0, function: { arguments: '{}', name: 'get_time' }, id: 'toolu_01A', type: 'function' }]);
	});

	it('leaves OpenAI-shaped bodies and real arguments alone', () => {
		const body = {
			choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] } }],
		};
		const before = JSON.stringify(body);
		expect(normaliseCompletion(body)).toBe(true); // content null beside tool calls → ''
		expect((body.choices[0].message.tool_calls[0].function.arguments)).toBe('{"a":1}');
		expect(JSON.stringify(body)).not.toBe(before);
		const plain = { choices: [{ message: { role: 'assistant', content: 'x' } }] };
		expect(normaliseCompletion(plain)).toBe(false);
		expect(normaliseCompletion({ data: [] })).toBe(false);
		expect(normaliseCompletion(null)).toBe(false);
	});
});

describe('normalisingFetch', () => {
	const jsonResponse = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
		new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

	it('rewrites JSON chat bodies and drops the stale content-length', async () => {
		const text = JSON.stringify(liteLlmToolCallBody());
		const fetchWrapped = normalisingFetch(async () =>
			new Response(text, { status: 200, headers: { 'content-type': 'application/json', 'content-length': String(text.length), 'x-litellm-call-id': 'abc' } }),
		);
		const response = await fetchWrapped('http://x/v1/chat/completions');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-length')).toBeNull();
		expect(response.headers.get('x-litellm-call-id')).toBe('abc');
		const body = (await response.json()) as { choices: Array<{ message: Json }> };
		expect(body.choices[0].message.content).toBe('');
	});

	it('passes event streams and non-JSON answers through untouched', async () => {
		const stream = new Response('data: {"choices":[{"delta":{"tool_calls":null}}]}\n\n', { headers: { 'content-type': 'text/event-stream' } });
		expect(await normalisingFetch(async () => stream)('http://x')).toBe(stream);
		const html = new Response('<html>', { status: 502, headers: { 'content-type': 'text/html' } });
		expect(await normalisingFetch(async () => html)('http://x')).toBe(html);
	});

	it('keeps error statuses and gives an OpenRouter 200-with-error its real status', async () => {
		const error = await normalisingFetch(async () => jsonResponse({ error: { message: 'Budget', type: 'budget_exceeded', code: '400' } }, 400))('http://x');
		expect(error.status).toBe(400);
		const late = await normalisingFetch(async () => jsonResponse({ error: { code: 502, message: 'Provider returned error' } }))('http://x');
		expect(late.status).toBe(502);
		expect(errorStatusOf({ error: { code: 'x' } })).toBe(502);
		expect(errorStatusOf(liteLlmAnswerBody('ok'))).toBeUndefined();
	});

	it('hands broken JSON on unchanged', async () => {
		const response = await normalisingFetch(async () => new Response('{"choices":[', { headers: { 'content-type': 'application/json' } }))('http://x');
		expect(await response.text()).toBe('{"choices":[');
	});
});

describe('the ChatOpenAI that supplyModel builds', () => {
	it('gets the fetch in its own and its Chat Completions client configuration', () => {
		const model = buildModel() as ModelShape;
		expect(model.clientConfig.fetch).toBeUndefined();
		expect(installNormalisingFetch(model, cannedFetch([]))).toBe(4);
		expect(typeof model.completions.clientConfig.fetch).toBe('function');
		expect(typeof model.responses.clientConfig.fetch).toBe('function');
		// bindTools (what agents call) builds a new ChatOpenAI from the fields: it must inherit the fetch.
		const bound = (model as unknown as { bindTools: (t: unknown[]) => ModelShape }).bindTools([]);
		expect(bound.completions.clientConfig.fetch).toBe(model.fields.configuration.fetch);
		expect(installNormalisingFetch({}, cannedFetch([]))).toBe(0);
	});

	it('WITHOUT normalisation: an empty tool argument from LiteLLM breaks the tool-calling agent', async () => {
		const model = buildModel();
		withRawFetch(model, cannedFetch([liteLlmToolCallBody(), liteLlmAnswerBody('It is 12:00.')]));
		await expect(agentExecutor(model).invoke({ input: 'What time is it?' })).rejects.toThrow(/Failed to parse tool arguments/);
	});

	it('WITH normalisation: the agent calls the tool and answers', async () => {
		const model = buildModel();
		const fetchStub = cannedFetch([liteLlmToolCallBody(), liteLlmAnswerBody('It is 12:00.')]);
		installNormalisingFetch(model, fetchStub);
		const result = (await agentExecutor(model).invoke({ input: 'What time is it?' })) as { output: string };
		expect(result.output).toBe('It is 12:00.');
		// The second request carries the assistant tool call (arguments now "{}") and the tool's result.
		const messages = fetchStub.requests[1].messages as Json[];
		const assistant = messages.find((m) => m.role === 'assistant') as { tool_calls: Array<{ id: string; function: Json }> };
		expect(assistant.tool_calls[0].function).toEqual({ name: 'get_time', arguments: '{}' });
		expect(messages.find((m) => m.role === 'tool')).toMatchObject({ tool_call_id: 'toolu_01A', content: '12:00' });
	});

	it('a null tool_calls no longer reaches additional_kwargs (what older LangChain agent parsers read .length of)', async () => {
		const raw = buildModel();
		withRawFetch(raw, cannedFetch([liteLlmAnswerBody('Hi')]));
		const rawMessage = (await (raw as { invoke: (s: string) => Promise<AIMessage> }).invoke('Hi')) as AIMessage;
		expect(rawMessage.additional_kwargs.tool_calls).toBeNull();
		// @langchain/classic before langchainjs#8594 (n8n issues 17522, 19712) tested `=== undefined` then read `.length`.
		const preFixCheck = (m: AIMessage) => m.additional_kwargs.tool_calls === undefined || m.additional_kwargs.tool_calls.length === 0;
		expect(() => preFixCheck(rawMessage)).toThrow(/Cannot read properties of null/);

		const fixed = buildModel();
		installNormalisingFetch(fixed, cannedFetch([liteLlmAnswerBody('Hi')]));
		const message = (await (fixed as { invoke: (s: string) => Promise<AIMessage> }).invoke('Hi')) as AIMessage;
		expect(message.content).toBe('Hi');
		expect(message.additional_kwargs.tool_calls).toBeUndefined();
		expect(message.additional_kwargs.function_call).toBeUndefined();
		expect(preFixCheck(message)).toBe(true);
	});
});
