/**
 * The OpenRouter simulator against OpenRouter's behaviour (docs/upstreams.md), driven over loopback with undici.
 */
import { request } from 'undici';

import { OpenRouterSimulator } from '../simulators/openrouter';

const KEY = `sk-or-v1-${'a1b2c3d4'.repeat(8)}`;
const POOR_KEY = `sk-or-v1-${'0f'.repeat(32)}`;
const NEVER_PAID_KEY = `sk-or-v1-${'9e'.repeat(32)}`;
const LIMITED_KEY = `sk-or-v1-${'77'.repeat(32)}`;
const MGMT_KEY = `sk-or-v1-${'ee'.repeat(32)}`;

interface Answer {
	status: number;
	headers: Record<string, string>;
	text: string;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
}

async function call(
	url: string,
	method: 'GET' | 'POST',
	body?: unknown,
	headers: Record<string, string> = {},
): Promise<Answer> {
	const res = await request(url, {
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

const userMsg = (content: string) => [{ role: 'user', content }];

describe('OpenRouter simulator', () => {
	const sim = new OpenRouterSimulator();
	let base = '';
	const chat = async (
		body: Record<string, unknown>,
		key = KEY,
		extra: Record<string, string> = {},
	) =>
		await call(`${base}/chat/completions`, 'POST', body, {
			authorization: `Bearer ${key}`,
			...extra,
		});

	beforeAll(async () => {
		await sim.start();
		base = sim.baseUrl;
		sim.addKey({ key: KEY, label: 'n8n failover', credits: 25, limit: 20 });
		sim.addKey({ key: POOR_KEY, credits: 1, usage: 1 });
		sim.addKey({ key: NEVER_PAID_KEY, credits: 0 });
		sim.addKey({ key: LIMITED_KEY, credits: 100, limit: 0.00001 });
		sim.addKey({ key: MGMT_KEY, isManagementKey: true, label: 'provisioning' });
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.resetFaults());

	it('serves under /api/v1', () => {
		expect(base).toBe(`${sim.url}/api/v1`);
	});

	describe('chat completions', () => {
		it('answers the OpenAI shape plus provider and a numeric usage.cost from the catalogue price', async () => {
			const res = await chat({ model: 'openai/gpt-4o-mini', messages: userMsg('hello there') });
			expect(res.status).toBe(200);
			expect(res.json.id).toMatch(/^gen-\d+-/);
			expect(res.json.object).toBe('chat.completion');
			expect(res.json.model).toBe('openai/gpt-4o-mini');
			expect(res.json.provider).toBe('OpenAI');
			expect(res.json.choices[0]).toMatchObject({
				index: 0,
				finish_reason: 'stop',
				message: { role: 'assistant', content: 'Echo: hello there' },
			});
			const u = res.json.usage;
			expect(typeof u.cost).toBe('number');
			expect(u.cost).toBeCloseTo(
				u.prompt_tokens * 0.00000015 + u.completion_tokens * 0.0000006,
				15,
			);
			expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
			expect(sim.keyRow(KEY)!.usage).toBeCloseTo(u.cost, 15);
		});

		it('records the attribution headers', async () => {
			const before = sim.attributions.length;
			await chat({ model: 'openai/gpt-4o-mini', messages: userMsg('hi') }, KEY, {
				'HTTP-Referer': 'https://n8n.example.com',
				'X-OpenRouter-Title': 'n8n LiteLLM failover',
			});
			expect(sim.attributions.slice(before)).toEqual([
				expect.objectContaining({
					referer: 'https://n8n.example.com',
					title: 'n8n LiteLLM failover',
				}),
			]);
			const entry = sim.ledger[sim.ledger.length - 1];
			expect(entry.headers['http-referer']).toBe('https://n8n.example.com');
		});

		it('answers a tool call, then text with the tool result', async () => {
			const tools = [
				{
					type: 'function',
					function: {
						name: 'lookup',
						parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
					},
				},
			];
			const first = await chat({
				model: 'anthropic/claude-3.5-haiku',
				messages: userMsg('n8n'),
				tools,
			});
			expect(first.json.choices[0].finish_reason).toBe('tool_calls');
			expect(first.json.choices[0].native_finish_reason).toBe('tool_use');
			const call0 = first.json.choices[0].message.tool_calls[0];
			expect(JSON.parse(call0.function.arguments)).toEqual({ q: 'n8n' });
			const second = await chat({
				model: 'anthropic/claude-3.5-haiku',
				tools,
				messages: [
					...userMsg('n8n'),
					first.json.choices[0].message,
					{ role: 'tool', tool_call_id: call0.id, content: 'a workflow tool' },
				],
			});
			expect(second.json.choices[0].message.content).toBe('Tool lookup returned: a workflow tool');
		});

		it('streams with processing comments, a usage chunk and [DONE]', async () => {
			const res = await chat({
				model: 'openai/gpt-4o-mini',
				stream: true,
				messages: userMsg('stream me'),
			});
			expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
			expect(res.text.startsWith(': OPENROUTER PROCESSING')).toBe(true);
			const data = res.text
				.split('\n\n')
				.filter((e) => e.startsWith('data: '))
				.map((e) => e.slice(6));
			expect(data[data.length - 1]).toBe('[DONE]');
			const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
			expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(
				'Echo: stream me',
			);
			expect(typeof chunks[chunks.length - 1].usage.cost).toBe('number');
		});

		it('rejects an unknown model id with 400', async () => {
			const res = await chat({ model: 'openai/gpt-9', messages: userMsg('hi') });
			expect(res.status).toBe(400);
			expect(res.json.error).toEqual({
				code: 400,
				message: 'openai/gpt-9 is not a valid model ID',
			});
		});
	});

	describe('models fallback and provider routing', () => {
		it('tries `models` in order past a failing model', async () => {
			sim.failModel('openai/gpt-4o-mini', { status: 503 });
			const res = await chat({
				models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'],
				messages: userMsg('hi'),
			});
			expect(res.status).toBe(200);
			expect(res.json.model).toBe('anthropic/claude-3.5-haiku');
			expect(res.json.provider).toBe('Anthropic');
		});

		it('answers the last error when every model fails', async () => {
			sim.failModel('openai/gpt-4o-mini', { status: 503 });
			sim.failModel('google/gemini-2.0-flash-001', { status: 429, message: 'Resource exhausted' });
			const res = await chat({
				model: 'openai/gpt-4o-mini',
				models: ['google/gemini-2.0-flash-001'],
				messages: userMsg('hi'),
			});
			expect(res.status).toBe(429);
			expect(res.json.error).toMatchObject({
				code: 429,
				message: 'Provider returned error',
				metadata: { raw: 'Resource exhausted' },
			});
		});

		it('falls to the next provider endpoint when one provider fails, unless allow_fallbacks is false', async () => {
			sim.failModel('meta-llama/llama-3.1-8b-instruct', { status: 502, provider: 'deepinfra' });
			const next = await chat({
				model: 'meta-llama/llama-3.1-8b-instruct',
				messages: userMsg('hi'),
			});
			expect(next.json.provider).toBe('Groq');
			const strict = await chat({
				model: 'meta-llama/llama-3.1-8b-instruct',
				messages: userMsg('hi'),
				provider: { allow_fallbacks: false },
			});
			expect(strict.status).toBe(502);
			expect(strict.json.error.metadata.provider_name).toBe('DeepInfra');
		});

		it('honours provider.order, only and ignore', async () => {
			const ordered = await chat({
				model: 'meta-llama/llama-3.1-8b-instruct',
				messages: userMsg('hi'),
				provider: { order: ['together', 'groq'] },
			});
			expect(ordered.json.provider).toBe('Together');
			const only = await chat({
				model: 'meta-llama/llama-3.1-8b-instruct',
				messages: userMsg('hi'),
				provider: { only: ['Fireworks'] },
			});
			expect(only.json.provider).toBe('Fireworks');
			const ignore = await chat({
				model: 'meta-llama/llama-3.1-8b-instruct',
				messages: userMsg('hi'),
				provider: { ignore: ['deepinfra', 'groq'] },
			});
			expect(ignore.json.provider).toBe('Together');
			const nothing = await chat({
				model: 'meta-llama/llama-3.1-8b-instruct',
				messages: userMsg('hi'),
				provider: { only: ['nobody'] },
			});
			expect(nothing.status).toBe(503);
		});

		it('filters endpoints by max_price (USD per million tokens) and answers 503 when none is left', async () => {
			// Llama endpoints: DeepInfra 0.02/0.05, Groq 0.05/0.08, Together 0.18/0.18, Fireworks 0.2/0.2.
			const cheap = await chat({
				model: 'meta-llama/llama-3.1-8b-instruct',
				messages: userMsg('hi'),
				provider: {
					order: ['fireworks', 'together', 'groq'],
					max_price: { prompt: 0.1, completion: 0.1 },
				},
			});
			expect(cheap.json.provider).toBe('Groq');
			const exact = await chat({
				model: 'openai/gpt-4o-mini',
				messages: userMsg('hi'),
				provider: { max_price: { prompt: 0.15, completion: 0.6 } },
			});
			expect(exact.status).toBe(200);
			const tooCheap = await chat({
				model: 'openai/gpt-4o',
				messages: userMsg('hi'),
				provider: { max_price: { prompt: 1, completion: 2 } },
			});
			expect(tooCheap.status).toBe(503);
			expect(tooCheap.json.error.code).toBe(503);
			expect(tooCheap.json.error.message).toMatch(/max_price/);
		});

		it('can answer the no-provider case with 404 instead (real OpenRouter does for some filters)', async () => {
			const alt = new OpenRouterSimulator({ noProviderStatus: 404 });
			await alt.start();
			try {
				alt.addKey({ key: KEY });
				const res = await call(
					`${alt.baseUrl}/chat/completions`,
					'POST',
					{
						model: 'openai/gpt-4o',
						messages: userMsg('hi'),
						provider: { max_price: { prompt: 1 } },
					},
					{ authorization: `Bearer ${KEY}` },
				);
				expect(res.status).toBe(404);
			} finally {
				await alt.stop();
			}
		});
	});

	describe('keys, credits and errors', () => {
		it('answers 401 for a missing or unknown key, and for a management key on completions', async () => {
			const missing = await call(`${base}/chat/completions`, 'POST', {
				model: 'openai/gpt-4o-mini',
				messages: userMsg('hi'),
			});
			expect(missing.status).toBe(401);
			expect(missing.json).toEqual({ error: { code: 401, message: 'No auth credentials found' } });
			const unknown = await chat(
				{ model: 'openai/gpt-4o-mini', messages: userMsg('hi') },
				`sk-or-v1-${'00'.repeat(32)}`,
			);
			expect(unknown.status).toBe(401);
			expect(unknown.json.error).toEqual({ code: 401, message: 'User not found.' });
			const mgmt = await chat({ model: 'openai/gpt-4o-mini', messages: userMsg('hi') }, MGMT_KEY);
			expect(mgmt.status).toBe(401);
			expect(mgmt.json.error.message).toMatch(/Management keys cannot be used/);
		});

		it('answers 402 with metadata when credits or the key limit run out; free models still work', async () => {
			const poor = await chat({ model: 'openai/gpt-4o-mini', messages: userMsg('hi') }, POOR_KEY);
			expect(poor.status).toBe(402);
			expect(poor.json.error).toMatchObject({
				code: 402,
				metadata: { limit_source: 'openrouter_credits' },
			});
			const never = await chat(
				{ model: 'openai/gpt-4o-mini', messages: userMsg('hi') },
				NEVER_PAID_KEY,
			);
			expect(never.json.error.message).toMatch(/never purchased credits/);
			const free = await chat(
				{ model: 'meta-llama/llama-3.3-70b-instruct:free', messages: userMsg('hi') },
				NEVER_PAID_KEY,
			);
			expect(free.status).toBe(200);
			expect(free.json.usage.cost).toBe(0);

			const first = await chat(
				{ model: 'openai/gpt-4o', messages: userMsg('spend my tiny limit') },
				LIMITED_KEY,
			);
			expect(first.status).toBe(200);
			const limited = await chat(
				{ model: 'openai/gpt-4o', messages: userMsg('again') },
				LIMITED_KEY,
			);
			expect(limited.status).toBe(402);
			expect(limited.json.error.metadata).toEqual({ limit_source: 'openrouter_key_limit' });
		});

		it('answers 402 "can only afford" when max_tokens costs more than what is left', async () => {
			const res = await chat({
				model: 'openai/gpt-4o',
				messages: userMsg('hi'),
				max_tokens: 10_000_000,
			});
			expect(res.status).toBe(402);
			expect(res.json.error.message).toMatch(
				/^This request requires more credits, or fewer max_tokens\. You requested up to 10000000 tokens, but can only afford \d+\./,
			);
		});

		it('returns an error after generation started as HTTP 200 (failMode and per failure)', async () => {
			sim.failMode('200-error');
			sim.failModel('openai/gpt-4o-mini', { status: 502, message: 'upstream went away', times: 1 });
			const res = await chat({
				models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'],
				messages: userMsg('hi'),
			});
			expect(res.status).toBe(200);
			expect(res.json.error).toMatchObject({
				code: 502,
				message: 'Provider returned error',
				metadata: { raw: 'upstream went away', provider_name: 'OpenAI' },
			});
			expect(res.json.choices).toBeUndefined();

			sim.resetFaults();
			sim.failModel('openai/gpt-4o-mini', {
				status: 502,
				mode: '200-error',
				afterChunks: 1,
				times: 1,
			});
			const stream = await chat({
				model: 'openai/gpt-4o-mini',
				stream: true,
				messages: userMsg('a long enough streamed answer'),
			});
			expect(stream.status).toBe(200);
			const data = stream.text
				.split('\n\n')
				.filter((e) => e.startsWith('data: '))
				.map((e) => e.slice(6));
			expect(data).not.toContain('[DONE]');
			const last = JSON.parse(data[data.length - 1]);
			expect(last.error.code).toBe(502);
			expect(last.choices[0].finish_reason).toBe('error');
		});

		it('GET /api/v1/key reports the key', async () => {
			const res = await call(`${base}/key`, 'GET', undefined, { authorization: `Bearer ${KEY}` });
			expect(res.status).toBe(200);
			const data = res.json.data;
			expect(data).toMatchObject({
				label: 'n8n failover',
				limit: 20,
				limit_reset: null,
				is_free_tier: false,
				is_management_key: false,
				byok_usage: 0,
			});
			expect(data.limit_remaining).toBeCloseTo(20 - data.usage, 12);
			expect(data.usage).toBeGreaterThan(0);
			expect(data.usage_daily).toBe(data.usage);
			for (const field of [
				'usage_weekly',
				'usage_monthly',
				'byok_usage_daily',
				'byok_usage_weekly',
				'byok_usage_monthly',
				'include_byok_in_limit',
				'expires_at',
			]) {
				expect(data).toHaveProperty(field);
			}
			const mgmt = await call(`${base}/key`, 'GET', undefined, {
				authorization: `Bearer ${MGMT_KEY}`,
			});
			expect(mgmt.json.data).toMatchObject({
				is_management_key: true,
				limit: null,
				limit_remaining: null,
			});
			const never = await call(`${base}/key`, 'GET', undefined, {
				authorization: `Bearer ${NEVER_PAID_KEY}`,
			});
			expect(never.json.data.is_free_tier).toBe(true);
			const bad = await call(`${base}/key`, 'GET', undefined, {
				authorization: 'Bearer sk-or-v1-nope',
			});
			expect(bad.status).toBe(401);
		});

		it('GET /api/v1/models lists the catalogue with string per-token prices, no key needed', async () => {
			const res = await call(`${base}/models`, 'GET');
			expect(res.status).toBe(200);
			const mini = res.json.data.find((m: { id: string }) => m.id === 'openai/gpt-4o-mini');
			expect(mini).toMatchObject({
				id: 'openai/gpt-4o-mini',
				name: 'OpenAI: GPT-4o-mini',
				context_length: 128000,
				pricing: { prompt: '0.00000015', completion: '0.0000006', request: '0', image: '0' },
			});
		});
	});

	describe('transport faults', () => {
		const body = { model: 'openai/gpt-4o-mini', messages: userMsg('hi') };

		it('latency, 5xx, reset, hang with abort, truncated, non-JSON and HTML', async () => {
			sim.faults.add({ kind: 'latency', ms: 120 }, { times: 1 });
			const started = Date.now();
			expect((await chat(body)).status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(110);

			sim.faults.add(
				{ kind: 'status', status: 502, body: { error: { code: 502, message: 'Bad gateway' } } },
				{ times: 1 },
			);
			expect((await chat(body)).status).toBe(502);

			sim.faults.add({ kind: 'reset' }, { times: 1 });
			await expect(chat(body)).rejects.toThrow();

			sim.faults.add({ kind: 'hang' }, { times: 1 });
			await expect(
				request(`${base}/chat/completions`, {
					method: 'POST',
					headers: { authorization: `Bearer ${KEY}` },
					body: JSON.stringify(body),
					signal: AbortSignal.timeout(150),
				}),
			).rejects.toThrow();

			sim.faults.add(
				{
					kind: 'truncated',
					body: { id: 'gen-1', choices: [{ message: { content: 'cut here please' } }] },
				},
				{ times: 1 },
			);
			const truncated = await chat(body);
			expect(truncated.json).toBeUndefined();

			sim.faults.add({ kind: 'non_json', text: 'upstream timeout' }, { times: 1 });
			expect((await chat(body)).text).toBe('upstream timeout');

			sim.faults.add({ kind: 'html' }, { times: 1 });
			const html = await chat(body);
			expect(html.status).toBe(502);
			expect(html.text).toMatch(/<html>/);
		});
	});
});
