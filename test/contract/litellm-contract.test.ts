/**
 * One LiteLLM contract, two targets: the same tests run against the simulator and against the real
 * LiteLLM proxy (the pinned PyPI version, no database), for every route that works without a database.
 * A difference found here is fixed in the simulator, or written down in docs/upstreams.md with the reason
 * it cannot be reproduced. `LITELLM_CONTRACT_TARGETS=simulator` runs one target.
 */
import { Readable } from 'node:stream';

import { request } from 'undici';

import { type ChatChunk, ChunkAccumulator } from '../../nodes/shared/chat/chunk-accumulator';
import { sseData } from '../../nodes/shared/transport/sse-reader';

import { type LiteLlmTarget, OPENAI_ERRORS, selectedTargets, startTarget } from './litellm/targets';

jest.setTimeout(120_000);

interface Answer {
	status: number;
	headers: Record<string, string>;
	text: string;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
}

const userMsg = (content: string) => [{ role: 'user', content }];

describe.each(selectedTargets())('LiteLLM contract: %s', (name) => {
	let target: LiteLlmTarget;

	async function call(
		method: 'GET' | 'POST',
		path: string,
		body?: unknown,
		headers: Record<string, string> = { authorization: `Bearer ${target.masterKey}` },
	): Promise<Answer> {
		const res = await request(`${target.url}${path}`, {
			method,
			headers: { 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.body.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		const flat: Record<string, string> = {};
		for (const [k, v] of Object.entries(res.headers))
			flat[k] = Array.isArray(v) ? v.join(',') : String(v);
		return { status: res.statusCode, headers: flat, text, json };
	}
	const chat = async (body: Record<string, unknown>, headers?: Record<string, string>) =>
		await call('POST', '/chat/completions', body, headers);

	beforeAll(async () => {
		target = await startTarget(name);
	});
	afterAll(async () => {
		await target?.stop();
	});
	afterEach(() => target.clearFaults());

	describe('auth', () => {
		it('answers 401 auth_error without a key', async () => {
			const res = await chat({ model: 'gpt-4o-mini', messages: userMsg('hi') }, {});
			expect(res.status).toBe(401);
			expect(res.json).toEqual({
				error: {
					message: 'Authentication Error, No api key passed in.',
					type: 'auth_error',
					param: 'None',
					code: '401',
				},
			});
		});

		it('answers an unknown virtual key with 400 no_db_connection when the proxy has no database', async () => {
			const res = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ authorization: 'Bearer sk-unknown-virtual-key-0001' },
			);
			expect(res.status).toBe(400);
			expect(res.json).toEqual({
				error: { message: 'No connected db.', type: 'no_db_connection', param: null, code: '400' },
			});
		});

		it('rejects an unknown model with 400 and provider_specific_fields.error', async () => {
			const res = await chat({ model: 'gpt-9', messages: userMsg('hi') });
			expect(res.status).toBe(400);
			const message =
				'/chat/completions: Invalid model name passed in model=gpt-9. Call `/v1/models` to view available models for your key.';
			expect(res.json).toEqual({
				error: {
					message,
					type: 'None',
					param: 'None',
					code: '400',
					provider_specific_fields: { error: message },
				},
			});
		});
	});

	describe('chat completions', () => {
		it('answers the OpenAI body with the group as model and usage that adds up', async () => {
			const res = await chat({ model: 'gpt-4o-mini', messages: userMsg('What is n8n?') });
			expect(res.status).toBe(200);
			expect(res.json.id).toMatch(/^chatcmpl-/);
			expect(res.json.object).toBe('chat.completion');
			expect(res.json.model).toBe('gpt-4o-mini');
			expect(res.json.choices[0]).toMatchObject({
				finish_reason: 'stop',
				index: 0,
				message: { content: 'Echo: What is n8n?', role: 'assistant' },
			});
			const u = res.json.usage;
			expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
		});

		it('sends the cost in Python float notation and the routing headers', async () => {
			const res = await chat({ model: 'gpt-4o-mini', messages: userMsg('hi') });
			const u = res.json.usage;
			const cost = u.prompt_tokens * 1.5e-7 + u.completion_tokens * 6e-7;
			expect(Number(res.headers['x-litellm-response-cost'])).toBeCloseTo(cost, 15);
			expect(res.headers['x-litellm-response-cost']).toMatch(/^\d(\.\d+)?e-\d\d$/);
			expect(res.headers['x-litellm-model-id']).toBe('gpt-4o-mini-openai');
			expect(res.headers['x-litellm-model-group']).toBe('gpt-4o-mini');
			expect(res.headers['x-litellm-model-api-base']).toMatch(
				/^http:\/\/127\.0\.0\.1:\d+\/openai\/v1$/,
			);
			expect(res.headers['x-litellm-version']).toBe('1.83.7');
			expect(res.headers['x-litellm-attempted-retries']).toBe('0');
			expect(res.headers['x-litellm-attempted-fallbacks']).toBe('0');
			expect(res.headers['x-litellm-call-id']).toMatch(/^[0-9a-f-]{36}$/);
			expect(Number(res.headers['x-litellm-response-duration-ms'])).toBeGreaterThan(0);
			expect(res.headers['x-litellm-key-spend']).toBeDefined();
		});

		it('keeps the caller x-litellm-call-id', async () => {
			const res = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ authorization: `Bearer ${target.masterKey}`, 'x-litellm-call-id': 'call-from-client-1' },
			);
			expect(res.headers['x-litellm-call-id']).toBe('call-from-client-1');
		});

		it('answers mock_response with usage 10/20/30 and its cost', async () => {
			const res = await chat({
				model: 'gpt-4o-mini',
				messages: userMsg('hi'),
				mock_response: 'fixed answer',
			});
			expect(res.status).toBe(200);
			expect(res.json.choices[0].message.content).toBe('fixed answer');
			expect(res.json.usage).toMatchObject({
				prompt_tokens: 10,
				completion_tokens: 20,
				total_tokens: 30,
			});
			expect(res.headers['x-litellm-response-cost']).toBe('1.35e-05');
		});

		it('accepts metadata and tags', async () => {
			const res = await chat({
				model: 'gpt-4o-mini',
				messages: userMsg('tagged'),
				tags: ['workflow:billing', 'n8n'],
				metadata: { spend_logs_metadata: { workflow_id: 'wf-9', execution_id: 'ex-1' } },
				user: 'customer-42',
			});
			expect(res.status).toBe(200);
			expect(res.json.choices[0].message.content).toBe('Echo: tagged');
		});

		it('calls the first tool, then answers with the tool result', async () => {
			const tools = [
				{
					type: 'function',
					function: {
						name: 'get_weather',
						parameters: {
							type: 'object',
							properties: { city: { type: 'string' }, days: { type: 'integer' } },
							required: ['city', 'days'],
						},
					},
				},
			];
			const first = await chat({ model: 'gpt-4o-mini', messages: userMsg('Paris'), tools });
			expect(first.json.choices[0].finish_reason).toBe('tool_calls');
			const message = first.json.choices[0].message;
			expect(message.tool_calls[0]).toMatchObject({
				type: 'function',
				function: { name: 'get_weather' },
			});
			expect(message.tool_calls[0].id).toMatch(/^call_/);
			expect(JSON.parse(message.tool_calls[0].function.arguments)).toEqual({
				city: 'Paris',
				days: 1,
			});
			const second = await chat({
				model: 'gpt-4o-mini',
				tools,
				messages: [
					...userMsg('Paris'),
					message,
					{ role: 'tool', tool_call_id: message.tool_calls[0].id, content: '{"temp":21}' },
				],
			});
			expect(second.json.choices[0].finish_reason).toBe('stop');
			expect(second.json.choices[0].message.content).toBe('Tool get_weather returned: {"temp":21}');
		});

		it('streams SSE chunks and [DONE]; a usage chunk only with include_usage; no cost header', async () => {
			const plain = await chat({
				model: 'gpt-4o-mini',
				stream: true,
				messages: userMsg('stream this please'),
			});
			expect(plain.status).toBe(200);
			expect(plain.headers['content-type']).toMatch(/^text\/event-stream/);
			expect(plain.headers['x-litellm-response-cost']).toBeUndefined();
			expect(plain.headers['x-litellm-model-id']).toBe('gpt-4o-mini-openai');
			const events = plain.text.split('\n\n').filter(Boolean);
			expect(events[events.length - 1]).toBe('data: [DONE]');
			const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)));
			expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
			expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(
				'Echo: stream this please',
			);
			expect(chunks.some((c) => c.usage)).toBe(false);

			const withUsage = await chat({
				model: 'gpt-4o-mini',
				stream: true,
				stream_options: { include_usage: true },
				messages: userMsg('stream'),
			});
			const usageChunk = JSON.parse(
				withUsage.text.split('\n\n').filter(Boolean).slice(-2)[0].slice('data: '.length),
			);
			expect(usageChunk.choices).toEqual([{ index: 0, delta: {} }]);
			expect(usageChunk.usage.total_tokens).toBe(
				usageChunk.usage.prompt_tokens + usageChunk.usage.completion_tokens,
			);
			// include_cost_in_streaming_usage: the cost the header cannot carry is in the usage chunk.
			expect(typeof usageChunk.usage.cost).toBe('number');
			expect(usageChunk.usage.cost).toBeGreaterThan(0);
		});

		it("the node's SSE reader and chunk accumulator rebuild the same answer a buffered call gets", async () => {
			const messages = userMsg('stream and buffer the same words');
			const streamed = await chat({
				model: 'gpt-4o-mini',
				stream: true,
				stream_options: { include_usage: true },
				messages,
			});
			const buffered = await chat({ model: 'gpt-4o-mini', messages });
			const accumulator = new ChunkAccumulator();
			for await (const data of sseData(Readable.from([streamed.text])))
				accumulator.add(JSON.parse(data) as ChatChunk);
			const rebuilt = accumulator.completion();
			expect(rebuilt.choices![0].message!.content).toBe(buffered.json.choices[0].message.content);
			expect(rebuilt.choices![0].finish_reason).toBe(buffered.json.choices[0].finish_reason);
			const { prompt_tokens, completion_tokens, total_tokens } = buffered.json.usage;
			expect(rebuilt.usage).toMatchObject({ prompt_tokens, completion_tokens, total_tokens });
			expect(rebuilt.usage!.cost).toBeCloseTo(
				Number(buffered.headers['x-litellm-response-cost']),
				12,
			);
		});
	});

	describe('upstream errors, retries, fallbacks, timeout, context window', () => {
		const noRescue = { fallbacks: [], num_retries: 0 };

		it('passes an upstream 401 through as AuthenticationError', async () => {
			target.failUpstream('upstream-401', 401, 1);
			const res = await chat({ model: 'upstream-401', messages: userMsg('hi'), ...noRescue });
			expect(res.status).toBe(401);
			expect(res.json.error.code).toBe('401');
			expect(res.json.error.message).toMatch(
				/^litellm\.AuthenticationError: AuthenticationError: OpenAIException - Incorrect API key provided/,
			);
			expect(res.headers['x-litellm-response-cost']).toBe('0');
		});

		it('takes a deployment out after a 401 even when it is alone in its group: 429 "No deployments available"', async () => {
			const res = await chat({ model: 'upstream-401', messages: userMsg('hi again'), ...noRescue });
			expect(res.status).toBe(429);
			expect(res.json.error.message).toMatch(
				/^No deployments available for selected model, Try again in 5 seconds\. Passed model=upstream-401\. pre-call-checks=False, cooldown_list=\[.*'upstream-401-openai'.*\]$/,
			);
		});

		it('passes an upstream 429 through as RateLimitError', async () => {
			target.failUpstream('upstream-429', 429, 1);
			const res = await chat({ model: 'upstream-429', messages: userMsg('hi'), ...noRescue });
			expect(res.status).toBe(429);
			expect(res.json.error.message).toContain(
				`litellm.RateLimitError: RateLimitError: OpenAIException - ${OPENAI_ERRORS[429].message}`,
			);
		});

		it('passes an upstream 500 through as InternalServerError', async () => {
			target.failUpstream('upstream-500', 500, 1);
			const res = await chat({ model: 'upstream-500', messages: userMsg('hi'), ...noRescue });
			expect(res.status).toBe(500);
			expect(res.json.error.message).toMatch(
				/^litellm\.InternalServerError: InternalServerError: OpenAIException - /,
			);
		});

		it('retries inside the group (num_retries) and reports x-litellm-attempted-retries', async () => {
			target.failUpstream('retried', 500, 1);
			const before = target.upstreamTries();
			const res = await chat({ model: 'retried', messages: userMsg('hi'), fallbacks: [] });
			expect(res.status).toBe(200);
			expect(res.headers['x-litellm-attempted-retries']).toBe('1');
			expect(target.upstreamTries() - before).toBe(2);
		});

		it('falls back to the configured group after the retries; headers name the fallback group', async () => {
			target.failUpstream('falls-back', 503, 3);
			const res = await chat({ model: 'falls-back', messages: userMsg('fall back') });
			expect(res.status).toBe(200);
			expect(res.headers['x-litellm-model-group']).toBe('claude-3-5-haiku');
			expect(res.headers['x-litellm-model-id']).toBe('claude-3-5-haiku-anthropic');
			expect(res.headers['x-litellm-attempted-fallbacks']).toBe('1');
			expect(res.headers['x-litellm-fallback-errors']).toBeUndefined();
			expect(res.json.model).toBe('claude-3-5-haiku-20241022');
			expect(res.json.choices[0].message.content).toBe('Echo: fall back');
		});

		it('uses client-side fallbacks from the body', async () => {
			target.failUpstream('upstream-500', 500, 1);
			const res = await chat({
				model: 'upstream-500',
				messages: userMsg('hi'),
				fallbacks: ['gemini-2.0-flash'],
				num_retries: 0,
			});
			expect(res.status).toBe(200);
			expect(res.headers['x-litellm-model-group']).toBe('gemini-2.0-flash');
		});

		it('times out a slow deployment with 408 when the request timeout is shorter', async () => {
			target.slowUpstream('slow', 3000);
			const res = await chat({ model: 'slow', messages: userMsg('hi'), timeout: 0.5, ...noRescue });
			expect(res.status).toBe(408);
			expect(res.json.error.message).toMatch(/^litellm\.Timeout: /);
		});

		it('routes a prompt longer than the context window through context_window_fallbacks', async () => {
			const res = await chat({ model: 'long-context', messages: userMsg('word '.repeat(110_000)) });
			expect(res.status).toBe(200);
			expect(res.headers['x-litellm-model-group']).toBe('gemini-2.0-flash');
		});
	});

	describe('models and health', () => {
		it('lists the model groups in /v1/models', async () => {
			const res = await call('GET', '/v1/models');
			expect(res.json.object).toBe('list');
			expect(res.json.data.map((m: { id: string }) => m.id)).toEqual([
				'gpt-4o-mini',
				'claude-3-5-haiku',
				'gemini-2.0-flash',
				'upstream-401',
				'upstream-429',
				'upstream-500',
				'retried',
				'falls-back',
				'slow',
				'long-context',
			]);
			expect(res.json.data[0]).toEqual({
				id: 'gpt-4o-mini',
				object: 'model',
				created: 1677610602,
				owned_by: 'openai',
			});
		});

		it('serves /model/info without secrets, with prices and context', async () => {
			const res = await call('GET', '/model/info');
			expect(res.status).toBe(200);
			expect(res.text).not.toContain('sk-proj-contract-openai-0001');
			const mini = res.json.data.find(
				(d: { model_info: { id: string } }) => d.model_info.id === 'gpt-4o-mini-openai',
			);
			expect(mini.model_name).toBe('gpt-4o-mini');
			expect(mini.litellm_params.model).toBe('openai/gpt-4o-mini');
			expect(mini.model_info).toMatchObject({
				id: 'gpt-4o-mini-openai',
				db_model: false,
				max_input_tokens: 128000,
				input_cost_per_token: 1.5e-7,
				output_cost_per_token: 6e-7,
				litellm_provider: 'openai',
				mode: 'chat',
			});
		});

		it('serves /model_group/info for one group', async () => {
			const res = await call('GET', '/model_group/info?model_group=gpt-4o-mini');
			expect(res.json.data).toHaveLength(1);
			expect(res.json.data[0]).toMatchObject({
				model_group: 'gpt-4o-mini',
				providers: ['openai'],
				mode: 'chat',
				supports_function_calling: true,
				input_cost_per_token: 1.5e-7,
			});
		});

		it('answers the public health routes without a key; readiness says the database is not connected', async () => {
			const live = await call('GET', '/health/liveliness', undefined, {});
			expect(live.status).toBe(200);
			expect(live.json).toBe("I'm alive!");
			expect((await call('GET', '/health/liveness', undefined, {})).json).toBe("I'm alive!");
			const ready = await call('GET', '/health/readiness', undefined, {});
			expect(ready.json).toMatchObject({
				status: 'healthy',
				db: 'Not connected',
				litellm_version: '1.83.7',
			});
			expect((await call('GET', '/health', undefined, {})).status).toBe(401);
		});

		it('checks one group with /health?model=', async () => {
			const res = await call('GET', '/health?model=gpt-4o-mini');
			expect(res.json.healthy_count).toBe(1);
			expect(res.json.unhealthy_count).toBe(0);
			expect(res.json.healthy_endpoints[0]).toMatchObject({ model: 'openai/gpt-4o-mini' });
		});
	});

	describe('management routes without a database', () => {
		it.each([
			[
				'GET',
				'/key/info?key=sk-abc',
				'Database not connected. Connect a database to your proxy - https://docs.litellm.ai/docs/simple_proxy#managing-auth---virtual-keys',
			],
			[
				'POST',
				'/key/generate',
				"{'error': 'DB not connected. See https://docs.litellm.ai/docs/proxy/virtual_keys'}",
			],
			['POST', '/key/delete', 'Not connected to DB!'],
			[
				'GET',
				'/spend/logs',
				'/spend/logs ErrorDatabase not connected. Connect a database to your proxy - https://docs.litellm.ai/docs/simple_proxy#managing-auth---virtual-keys',
			],
			[
				'POST',
				'/credentials',
				"{'error': 'DB not connected. See https://docs.litellm.ai/docs/proxy/virtual_keys'}",
			],
		] as const)(
			'%s %s answers 500 with a "not connected" message',
			async (method, path, message) => {
				const body =
					method === 'POST'
						? path === '/key/delete'
							? { keys: ['sk-abc'] }
							: path === '/credentials'
								? { credential_name: 'x', credential_values: { api_key: 'a' }, credential_info: {} }
								: { key_alias: 'x' }
						: undefined;
				const res = await call(method, path, body);
				expect(res.status).toBe(500);
				expect(res.json.error.message).toBe(message);
				expect(res.json.error.code).toBe('500');
			},
		);

		it('answers /key/regenerate with the Enterprise error before looking for a database', async () => {
			const res = await call('POST', '/key/regenerate', { key: 'sk-abc' });
			expect(res.status).toBe(500);
			expect(res.json.error.message).toMatch(
				/^Regenerating Virtual Keys is an Enterprise feature, You must be a LiteLLM Enterprise user/,
			);
		});
	});
});
