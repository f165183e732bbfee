/**
 * The LiteLLM simulator against LiteLLM's behaviour (docs/upstreams.md), driven over loopback with undici like a real client.
 */
import { request } from 'undici';

import { readFixture } from '../simulators/fixtures';
import { hashToken, LiteLlmSimulator, pyFloat } from '../simulators/litellm';

const MASTER = 'sk-master-test-0001';
const UPSTREAM_OPENAI = 'sk-openai-upstream-secret-9999';
const ENV = {
	LITELLM_MASTER_KEY: MASTER,
	OPENAI_API_KEY: UPSTREAM_OPENAI,
	ANTHROPIC_API_KEY: 'sk-ant-upstream-secret-8888',
	AZURE_API_KEY: 'azure-upstream-secret-7777',
	GEMINI_API_KEY: 'gemini-upstream-secret-6666',
};
const TEAM_KEY = 'sk-team-analytics-4f2a9c';
const MINI_ONLY_KEY = 'sk-mini-only-77aa01';

interface Answer {
	status: number;
	headers: Record<string, string>;
	text: string;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
}

async function call(
	base: string,
	method: 'GET' | 'POST',
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
): Promise<Answer> {
	const res = await request(`${base}${path}`, {
		method,
		headers: { 'content-type': 'application/json', ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.body.text();
	received.push(JSON.stringify(res.headers) + text);
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

/** Every response text the tests received, scanned for leaked keys at the end. */
const received: string[] = [];

const userMsg = (content: string) => [{ role: 'user', content }];

describe('LiteLLM simulator', () => {
	const sim = new LiteLlmSimulator({ configYaml: readFixture('litellm-config.yaml'), env: ENV });
	let url = '';
	const chat = async (
		body: Record<string, unknown>,
		headers: Record<string, string> = { authorization: `Bearer ${MASTER}` },
	) => await call(url, 'POST', '/chat/completions', body, headers);

	beforeAll(async () => {
		url = await sim.start();
		sim.addVirtualKey({
			key: TEAM_KEY,
			key_alias: 'team-analytics',
			team_id: 'team-a',
			user_id: 'user-7',
			rpm_limit: 100,
			tpm_limit: 100000,
		});
		sim.addVirtualKey({
			key: MINI_ONLY_KEY,
			key_alias: 'mini-only',
			models: ['gpt-4o-mini', 'claude-3-5-haiku'],
		});
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.resetFaults());

	describe('pyFloat (Python str(float))', () => {
		it.each([
			[2.1e-5, '2.1e-05'],
			[1e-5, '1e-05'],
			[0.0001, '0.0001'],
			[3, '3.0'],
			[0.02, '0.02'],
			[1e16, '1e+16'],
			[0, '0.0'],
		])('%p → %s', (value, text) => expect(pyFloat(value)).toBe(text));
	});

	describe('auth', () => {
		it('answers 401 auth_error without a key, code as a string and param "None"', async () => {
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

		it('needs the Bearer prefix on Authorization', async () => {
			const res = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ authorization: TEAM_KEY },
			);
			expect(res.status).toBe(401);
			expect(res.json.error.message).toMatch(
				/^Authentication Error, Malformed API Key passed in\. Ensure Key has `Bearer ` prefix\./,
			);
		});

		it.each([
			['x-litellm-api-key bare', { 'x-litellm-api-key': TEAM_KEY }],
			['x-litellm-api-key Bearer', { 'x-litellm-api-key': `Bearer ${TEAM_KEY}` }],
			['Authorization Bearer', { authorization: `Bearer ${TEAM_KEY}` }],
			['API-Key (Azure)', { 'api-key': TEAM_KEY }],
			['x-api-key (Anthropic)', { 'x-api-key': TEAM_KEY }],
		])('accepts a virtual key in %s', async (_name, headers) => {
			const res = await chat({ model: 'gpt-4o-mini', messages: userMsg('hi') }, headers);
			expect(res.status).toBe(200);
		});

		it('reads x-litellm-api-key before Authorization (first present wins)', async () => {
			const good = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ 'x-litellm-api-key': TEAM_KEY, authorization: 'Bearer sk-wrong' },
			);
			expect(good.status).toBe(200);
			const bad = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ 'x-litellm-api-key': 'sk-wrong-key-0000', authorization: `Bearer ${TEAM_KEY}` },
			);
			expect(bad.status).toBe(401);
		});

		it('wants sk- keys', async () => {
			const res = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ authorization: 'Bearer abcd-not-a-litellm-key-wxyz' },
			);
			expect(res.status).toBe(401);
			expect(res.json.error.message).toContain(
				"LiteLLM Virtual Key expected. Received=abcd****wxyz, expected to start with 'sk-'.",
			);
		});

		it('answers token_not_found_in_db with the hash, never the key', async () => {
			const unknown = 'sk-unknown-key-123456abcd';
			const res = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ authorization: `Bearer ${unknown}` },
			);
			expect(res.status).toBe(401);
			expect(res.json.error.type).toBe('token_not_found_in_db');
			expect(res.json.error.param).toBe('key');
			expect(res.json.error.code).toBe('401');
			expect(res.json.error.message).toContain(
				`Received API Key = sk-...abcd, Key Hash (Token) =${hashToken(unknown)}`,
			);
			expect(res.text).not.toContain(unknown);
		});

		it('refuses blocked and expired keys with 401', async () => {
			sim.addVirtualKey({ key: 'sk-blocked-0001', blocked: true });
			sim.addVirtualKey({ key: 'sk-expired-0001', expires: new Date(Date.now() - 60_000) });
			const blocked = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ authorization: 'Bearer sk-blocked-0001' },
			);
			expect(blocked.status).toBe(401);
			expect(blocked.json.error.message).toBe(
				"Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.",
			);
			const expired = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ authorization: 'Bearer sk-expired-0001' },
			);
			expect(expired.status).toBe(401);
			expect(expired.json.error.type).toBe('expired_key');
			expect(expired.json.error.message).toMatch(
				/^Authentication Error - Expired Key\. Key Expiry time .+ and current time /,
			);
		});

		it('answers 403 key_model_access_denied for a model outside the key list, fallbacks included', async () => {
			const res = await chat(
				{ model: 'gpt-4o', messages: userMsg('hi') },
				{ authorization: `Bearer ${MINI_ONLY_KEY}` },
			);
			expect(res.status).toBe(403);
			expect(res.json.error).toEqual({
				message:
					"key not allowed to access model. This key can only access models=['gpt-4o-mini', 'claude-3-5-haiku']. Tried to access gpt-4o",
				type: 'key_model_access_denied',
				param: 'model',
				code: '403',
			});
			const viaFallback = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi'), fallbacks: ['gpt-4o'] },
				{ authorization: `Bearer ${MINI_ONLY_KEY}` },
			);
			expect(viaFallback.status).toBe(403);
		});

		it('answers 429 budget_exceeded once spend reaches max_budget', async () => {
			sim.addVirtualKey({
				key: 'sk-budget-key-0042',
				key_alias: 'tight',
				max_budget: 0.01,
				spend: 0.02,
			});
			const res = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ authorization: 'Bearer sk-budget-key-0042' },
			);
			expect(res.status).toBe(429);
			expect(res.json.error).toEqual({
				message:
					'Budget has been exceeded! Key=tight (sk-...0042) Current cost: 0.02, Max budget: 0.01',
				type: 'budget_exceeded',
				param: null,
				code: '429',
			});
		});

		it('rejects an unknown model with 400 and provider_specific_fields.error', async () => {
			const res = await chat({ model: 'gpt-9', messages: userMsg('hi') });
			expect(res.status).toBe(400);
			const message =
				'/chat/completions: Invalid model name passed in model=gpt-9. Call `/v1/models` to view available models for your key.';
			expect(res.json.error).toEqual({
				message,
				type: 'None',
				param: 'None',
				code: '400',
				provider_specific_fields: { error: message },
			});
		});
	});

	describe('chat completions', () => {
		it('answers the OpenAI body with null tool_calls/function_call and restamped model', async () => {
			const res = await call(
				url,
				'POST',
				'/v1/chat/completions',
				{ model: 'gpt-4o-mini', messages: userMsg('What is n8n?') },
				{ authorization: `Bearer ${MASTER}` },
			);
			expect(res.status).toBe(200);
			expect(res.json.id).toMatch(/^chatcmpl-/);
			expect(res.json.object).toBe('chat.completion');
			expect(res.json.model).toBe('gpt-4o-mini');
			expect(typeof res.json.created).toBe('number');
			expect(res.json.system_fingerprint).toMatch(/^fp_/);
			expect(res.json.choices[0]).toEqual({
				finish_reason: 'stop',
				index: 0,
				message: {
					content: 'Echo: What is n8n?',
					role: 'assistant',
					tool_calls: null,
					function_call: null,
				},
			});
			const u = res.json.usage;
			expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
			expect(u.prompt_tokens).toBeGreaterThan(0);
		});

		it('sends the routing and cost headers; mock_response gives usage 10/20/30 and a Python-float cost', async () => {
			const before = sim.keyRow(TEAM_KEY)!.spend;
			const res = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi'), mock_response: 'fixed answer' },
				{ authorization: `Bearer ${TEAM_KEY}`, 'x-litellm-call-id': 'call-from-client-1' },
			);
			expect(res.status).toBe(200);
			expect(res.json.choices[0].message.content).toBe('fixed answer');
			expect(res.json.usage).toMatchObject({
				prompt_tokens: 10,
				completion_tokens: 20,
				total_tokens: 30,
			});
			// 10 × 1.5e-07 + 20 × 6e-07 = 1.35e-05 (JS would print 0.0000135).
			expect(res.headers['x-litellm-response-cost']).toBe('1.35e-05');
			expect(res.headers['x-litellm-response-cost']).toMatch(/^\d(\.\d+)?e-\d\d$/);
			expect(res.headers['x-litellm-call-id']).toBe('call-from-client-1');
			expect(res.headers['x-litellm-model-id']).toBe('gpt-4o-mini-openai');
			expect(res.headers['x-litellm-model-group']).toBe('gpt-4o-mini');
			expect(res.headers['x-litellm-model-api-base']).toBe('https://api.openai.com/v1');
			expect(res.headers['x-litellm-version']).toBe('1.81.0');
			expect(res.headers['x-litellm-attempted-retries']).toBe('0');
			expect(res.headers['x-litellm-max-retries']).toBe('2');
			expect(res.headers['x-litellm-attempted-fallbacks']).toBe('0');
			expect(res.headers['x-litellm-fallback-errors']).toBeUndefined();
			expect(Number(res.headers['x-litellm-response-duration-ms'])).toBeGreaterThan(0);
			expect(Number(res.headers['x-ratelimit-remaining-requests'])).toBeLessThan(10000);
			expect(res.headers['x-ratelimit-remaining-tokens']).toBeDefined();
			expect(Number(res.headers['x-litellm-key-remaining-requests-gpt-4o-mini'])).toBeLessThan(100);
			expect(res.headers['x-litellm-key-rpm-limit']).toBe('100');
			expect(res.headers['x-litellm-key-spend']).toBe(pyFloat(before + 1.35e-5));
			expect(sim.keyRow(TEAM_KEY)!.spend).toBeCloseTo(before + 1.35e-5, 12);
			expect(res.headers['x-litellm-key-max-budget']).toBeUndefined();
		});

		it('strips the query string from x-litellm-model-api-base (Azure deployment)', async () => {
			const seen = new Set<string>();
			for (let i = 0; i < 2; i++) {
				const res = await chat({ model: 'gpt-4o', messages: userMsg('hi') });
				seen.add(`${res.headers['x-litellm-model-id']} ${res.headers['x-litellm-model-api-base']}`);
			}
			expect(seen).toEqual(
				new Set([
					'gpt-4o-openai https://api.openai.com/v1',
					'gpt-4o-azure-eu https://acme-eu.openai.azure.com/',
				]),
			);
		});

		it('records a spend log row with tags, metadata, end user, team and alias', async () => {
			const res = await chat(
				{
					model: 'claude-3-5-haiku',
					messages: userMsg('summarise'),
					user: 'customer-42',
					tags: ['workflow:billing', 'n8n'],
					metadata: { spend_logs_metadata: { workflow_id: 'wf-9', execution_id: 'ex-1' } },
				},
				{ authorization: `Bearer ${TEAM_KEY}` },
			);
			expect(res.status).toBe(200);
			const row = sim.spendLog.find((r) => r.request_id === res.json.id)!;
			expect(row).toMatchObject({
				call_type: 'acompletion',
				api_key: hashToken(TEAM_KEY),
				model: 'claude-3-5-haiku-20241022',
				model_group: 'claude-3-5-haiku',
				model_id: 'claude-3-5-haiku-anthropic',
				custom_llm_provider: 'anthropic',
				user: 'user-7',
				end_user: 'customer-42',
				team_id: 'team-a',
				request_tags: ['workflow:billing', 'n8n'],
				status: 'success',
				prompt_tokens: res.json.usage.prompt_tokens,
				completion_tokens: res.json.usage.completion_tokens,
			});
			expect(row.metadata).toMatchObject({
				user_api_key: hashToken(TEAM_KEY),
				user_api_key_alias: 'team-analytics',
				user_api_key_team_id: 'team-a',
				spend_logs_metadata: { workflow_id: 'wf-9', execution_id: 'ex-1' },
			});
			expect(row.spend).toBeCloseTo(Number(res.headers['x-litellm-response-cost']), 15);
			expect(Date.parse(row.endTime)).toBeGreaterThanOrEqual(Date.parse(row.startTime));
		});

		it('omits the null fields when nullFields is false', async () => {
			const lean = new LiteLlmSimulator({
				configYaml: readFixture('litellm-config.yaml'),
				env: ENV,
				nullFields: false,
			});
			const leanUrl = await lean.start();
			try {
				const res = await call(
					leanUrl,
					'POST',
					'/chat/completions',
					{ model: 'gpt-4o-mini', messages: userMsg('hi') },
					{ authorization: `Bearer ${MASTER}` },
				);
				expect(res.json.choices[0].message).toEqual({ content: 'Echo: hi', role: 'assistant' });
			} finally {
				await lean.stop();
			}
		});

		it('calls the first tool with arguments from its required parameters, then answers with the tool result', async () => {
			const tools = [
				{
					type: 'function',
					function: {
						name: 'get_weather',
						parameters: {
							type: 'object',
							properties: {
								city: { type: 'string' },
								days: { type: 'integer' },
								unit: { type: 'string', enum: ['c', 'f'] },
							},
							required: ['city', 'days', 'unit'],
						},
					},
				},
			];
			const first = await chat({ model: 'gpt-4o-mini', messages: userMsg('Paris'), tools });
			expect(first.json.choices[0].finish_reason).toBe('tool_calls');
			const message = first.json.choices[0].message;
			expect(message.content).toBeNull();
			expect(message.tool_calls).toHaveLength(1);
			expect(message.tool_calls[0].id).toMatch(/^call_/);
			expect(message.tool_calls[0].type).toBe('function');
			expect(message.tool_calls[0].function.name).toBe('get_weather');
			expect(JSON.parse(message.tool_calls[0].function.arguments)).toEqual({
				city: 'Paris',
				days: 1,
				unit: 'c',
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

		it('passes the question to a one-input tool (optional string parameter), then answers with its result', async () => {
			// LangChain's one-input tools (n8n's Calculator) declare `input` as an optional string.
			const tools = [
				{
					type: 'function',
					function: {
						name: 'Calculator',
						parameters: { type: 'object', properties: { input: { type: 'string' } } },
					},
				},
			];
			const first = await chat({ model: 'gpt-4o-mini', messages: userMsg('6 * 7'), tools });
			const message = first.json.choices[0].message;
			expect(JSON.parse(message.tool_calls[0].function.arguments)).toEqual({ input: '6 * 7' });
			const second = await chat({
				model: 'gpt-4o-mini',
				tools,
				messages: [
					...userMsg('6 * 7'),
					message,
					// n8n's shape of a tool result
					{ role: 'tool', tool_call_id: message.tool_calls[0].id, content: '[{"response":"42"}]' },
				],
			});
			expect(second.json.choices[0].message.content).toBe('Tool Calculator returned: 42');
		});

		it('streams SSE chunks and [DONE], usage only with include_usage, and no cost header', async () => {
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
			const last = withUsage.text.split('\n\n').filter(Boolean).slice(-2)[0];
			const usageChunk = JSON.parse(last.slice('data: '.length));
			expect(usageChunk.choices).toEqual([{ index: 0, delta: {} }]);
			expect(usageChunk.usage.total_tokens).toBe(
				usageChunk.usage.prompt_tokens + usageChunk.usage.completion_tokens,
			);
		});

		it('sends a mid-stream failure as a data: {"error":...} event without [DONE]', async () => {
			sim.failDeployment('gpt-4o-mini', { status: 500, afterChunks: 1, times: 1 });
			const res = await chat({
				model: 'gpt-4o-mini',
				stream: true,
				messages: userMsg('a longer answer that needs several chunks'),
			});
			expect(res.status).toBe(200);
			const events = res.text.split('\n\n').filter(Boolean);
			expect(events).not.toContain('data: [DONE]');
			const last = JSON.parse(events[events.length - 1].slice('data: '.length));
			expect(last.error.code).toBe('500');
			expect(last.error.message).toMatch(/^litellm\.InternalServerError: /);
		});
	});

	describe('router: retries, fallbacks, cooldown', () => {
		it('retries inside the group and reports x-litellm-attempted-retries', async () => {
			sim.failDeployment('gpt-4o-mini', { status: 500, times: 1 });
			const callsBefore = sim.upstreamCalls.length;
			const res = await chat({ model: 'gpt-4o-mini', messages: userMsg('hi') });
			expect(res.status).toBe(200);
			expect(res.headers['x-litellm-attempted-retries']).toBe('1');
			expect(res.headers['x-litellm-attempted-fallbacks']).toBe('0');
			expect(sim.upstreamCalls.slice(callsBefore).map((c) => c.status)).toEqual([500, 200]);
		});

		it("falls back to the configured group; the header names the group, the body the provider's model (litellm 1.83.7)", async () => {
			sim.failDeployment('gpt-4o-mini', { status: 503 });
			const res = await chat({ model: 'gpt-4o-mini', messages: userMsg('hi') });
			expect(res.status).toBe(200);
			expect(res.json.model).toBe('claude-3-5-haiku-20241022');
			expect(res.headers['x-litellm-model-group']).toBe('claude-3-5-haiku');
			expect(res.headers['x-litellm-attempted-fallbacks']).toBe('1');
			expect(res.headers['x-litellm-fallback-errors']).toBeUndefined();
		});

		it('lets client-side fallbacks override the configured ones', async () => {
			sim.failDeployment('gpt-4o-mini', { status: 500 });
			const res = await chat({
				model: 'gpt-4o-mini',
				messages: userMsg('hi'),
				fallbacks: ['mistral-small'],
				num_retries: 0,
			});
			expect(res.headers['x-litellm-model-group']).toBe('mistral-small');
			expect(res.json.model).toBe('mistral-small-latest');
			expect(res.headers['x-litellm-max-retries']).toBe('0');
		});

		it('passes the provider status through when every fallback fails, with the LiteLLM message', async () => {
			sim.failDeployment('gpt-4o-mini', {
				status: 429,
				message: 'Rate limit reached for gpt-4o-mini',
			});
			sim.failDeployment('claude-3-5-haiku', { status: 529 });
			sim.failDeployment('gemini-2.0-flash', { status: 503 });
			const res = await chat(
				{ model: 'gpt-4o-mini', messages: userMsg('hi') },
				{ authorization: `Bearer ${TEAM_KEY}` },
			);
			expect(res.status).toBe(429);
			expect(res.json.error).toEqual({
				message:
					"litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for gpt-4o-mini. Received Model Group=gpt-4o-mini\nAvailable Model Group Fallbacks=['claude-3-5-haiku', 'gemini-2.0-flash']",
				type: null,
				param: null,
				code: '429',
			});
			expect(res.headers['x-litellm-response-cost']).toBe('0');
			const row = sim.spendLog[sim.spendLog.length - 1];
			expect(row.status).toBe('failure');
			expect(row.spend).toBe(0);
		});

		it('routes long prompts through context_window_fallbacks', async () => {
			const res = await chat({ model: 'llama3-local', messages: userMsg('x'.repeat(10_000)) });
			expect(res.status).toBe(200);
			expect(res.json.model).toBe('gemini-2.0-flash');
			expect(res.headers['x-litellm-model-group']).toBe('gemini-2.0-flash');
			expect(res.headers['x-litellm-attempted-fallbacks']).toBe('1');
		});

		it('times out a slow deployment with 408 when the request timeout is shorter', async () => {
			sim.slowDeployment('mistral-small', 400);
			const res = await chat({
				model: 'mistral-small',
				messages: userMsg('hi'),
				timeout: 0.05,
				num_retries: 0,
			});
			expect(res.status).toBe(408);
			expect(res.json.error.message).toMatch(
				/^litellm\.Timeout: Timeout: MistralException - Request timed out/,
			);
		});

		it('cools deployments down and then answers 429 "No deployments available", until cooldown_time passes', async () => {
			let now = Date.now();
			const yaml = `
model_list:
  - model_name: pair
    litellm_params: { model: openai/gpt-4o-mini, api_key: sk-a }
    model_info: { id: pair-a }
  - model_name: pair
    litellm_params: { model: openai/gpt-4o-mini, api_key: sk-b, api_base: https://b.example/v1 }
    model_info: { id: pair-b }
  - model_name: tiny
    litellm_params: { model: openai/gpt-4o-mini }
    model_info: { id: tiny-1, max_input_tokens: 20 }
router_settings: { num_retries: 2, cooldown_time: 5 }
general_settings: { master_key: sk-literal-master }
`;
			const pair = new LiteLlmSimulator({ configYaml: yaml, clock: () => now });
			const pairUrl = await pair.start();
			const auth = { authorization: 'Bearer sk-literal-master' };
			try {
				pair.failDeployment('pair', { status: 429 });
				const first = await call(
					pairUrl,
					'POST',
					'/chat/completions',
					{ model: 'pair', messages: userMsg('hi') },
					auth,
				);
				expect(first.status).toBe(429);
				expect(first.json.error.message).toMatch(
					/^litellm\.RateLimitError: .*Received Model Group=pair\nAvailable Model Group Fallbacks=None$/s,
				);
				expect(pair.coolingDown().sort()).toEqual(['pair-a', 'pair-b']);

				pair.resetFaults(); // upstream healthy again, but the cooldown is the router's: re-arm it
				pair.failDeployment('pair', { status: 429, times: 2 });
				await call(
					pairUrl,
					'POST',
					'/chat/completions',
					{ model: 'pair', messages: userMsg('hi') },
					auth,
				);
				const cooled = await call(
					pairUrl,
					'POST',
					'/chat/completions',
					{ model: 'pair', messages: userMsg('hi') },
					auth,
				);
				expect(cooled.status).toBe(429);
				expect(cooled.json.error.message).toBe(
					"No deployments available for selected model, Try again in 5 seconds. Passed model=pair. pre-call-checks=False, cooldown_list=['pair-a', 'pair-b']",
				);
				expect(cooled.json.error.code).toBe('429');

				now += 5_001;
				const healed = await call(
					pairUrl,
					'POST',
					'/chat/completions',
					{ model: 'pair', messages: userMsg('hi') },
					auth,
				);
				expect(healed.status).toBe(200);

				const tooLong = await call(
					pairUrl,
					'POST',
					'/chat/completions',
					{ model: 'tiny', messages: userMsg('y'.repeat(400)) },
					auth,
				);
				expect(tooLong.status).toBe(400);
				expect(tooLong.json.error.message).toMatch(
					/^litellm\.ContextWindowExceededError: ContextWindowExceededError: OpenAIException - This model's maximum context length is 20 tokens\./,
				);
			} finally {
				await pair.stop();
			}
		});
	});

	describe('BYOK body credentials', () => {
		it('refuses a body api_base without an opt-in, accepts a body api_key and records it as the request key', async () => {
			const refused = await chat({
				model: 'gpt-4o-mini',
				messages: userMsg('hi'),
				api_base: 'https://evil.example/v1',
			});
			expect(refused.status).toBe(400);
			expect(refused.json.error.message).toMatch(
				/^Rejected Request: api_base is not allowed in request body/,
			);
			const before = sim.upstreamCalls.length;
			const byok = await chat({
				model: 'gpt-4o-mini',
				messages: userMsg('hi'),
				api_key: 'sk-user-own-openai-key',
			});
			expect(byok.status).toBe(200);
			expect(sim.upstreamCalls.slice(before).map((c) => c.apiKeySource)).toEqual(['request']);
		});
	});

	describe('models and health', () => {
		it('lists model groups filtered to the key', async () => {
			const all = await call(url, 'GET', '/v1/models', undefined, {
				authorization: `Bearer ${MASTER}`,
			});
			expect(all.json.object).toBe('list');
			expect(all.json.data.map((m: { id: string }) => m.id)).toEqual([
				'gpt-4o-mini',
				'gpt-4o',
				'claude-3-5-haiku',
				'gemini-2.0-flash',
				'mistral-small',
				'llama3-local',
				'mock-gpt',
			]);
			expect(all.json.data[0]).toEqual({
				id: 'gpt-4o-mini',
				object: 'model',
				created: 1677610602,
				owned_by: 'openai',
			});
			const limited = await call(url, 'GET', '/models', undefined, { 'x-api-key': MINI_ONLY_KEY });
			expect(limited.json.data.map((m: { id: string }) => m.id)).toEqual([
				'gpt-4o-mini',
				'claude-3-5-haiku',
			]);
		});

		it('serves /model/info without secrets and with cost and context fields', async () => {
			const res = await call(url, 'GET', '/model/info', undefined, {
				authorization: `Bearer ${MASTER}`,
			});
			expect(res.status).toBe(200);
			for (const secret of Object.values(ENV).filter((v) => v !== MASTER))
				expect(res.text).not.toContain(secret);
			const mini = res.json.data.find(
				(d: { model_info: { id: string } }) => d.model_info.id === 'gpt-4o-mini-openai',
			);
			expect(mini.model_name).toBe('gpt-4o-mini');
			expect(mini.litellm_params).toEqual({
				model: 'openai/gpt-4o-mini',
				input_cost_per_token: 1.5e-7,
				output_cost_per_token: 6e-7,
			});
			expect(mini.model_info).toMatchObject({
				id: 'gpt-4o-mini-openai',
				db_model: false,
				max_input_tokens: 128000,
				input_cost_per_token: 1.5e-7,
				output_cost_per_token: 6e-7,
				litellm_provider: 'openai',
				mode: 'chat',
			});
			const one = await call(
				url,
				'GET',
				'/v1/model/info?litellm_model_id=gpt-4o-azure-eu',
				undefined,
				{ authorization: `Bearer ${MASTER}` },
			);
			expect(one.json.data).toHaveLength(1);
			expect(one.json.data[0].litellm_params.api_base).toBe(
				'https://acme-eu.openai.azure.com/?api-version=2024-10-21',
			);
		});

		it('serves /model_group/info for one group, x-api-key accepted', async () => {
			const res = await call(url, 'GET', '/model_group/info?model_group=gpt-4o', undefined, {
				'x-api-key': TEAM_KEY,
			});
			expect(res.json.data).toHaveLength(1);
			expect(res.json.data[0]).toMatchObject({
				model_group: 'gpt-4o',
				providers: ['openai', 'azure'],
				tpm: 50000,
				rpm: 800,
				mode: 'chat',
				supports_function_calling: true,
			});
		});

		it('answers the public health routes without a key, and /health per deployment with one', async () => {
			const live = await call(url, 'GET', '/health/liveliness');
			expect(live.status).toBe(200);
			expect(live.json).toBe("I'm alive!");
			expect((await call(url, 'GET', '/health/liveness')).json).toBe("I'm alive!");
			const ready = await call(url, 'GET', '/health/readiness');
			expect(ready.json).toMatchObject({
				status: 'connected',
				db: 'connected',
				litellm_version: '1.81.0',
			});
			expect((await call(url, 'GET', '/health')).status).toBe(401);

			sim.failDeployment('gpt-4o-azure-eu', { status: 401 });
			const health = await call(url, 'GET', '/health?model=gpt-4o', undefined, {
				authorization: `Bearer ${MASTER}`,
			});
			expect(health.json.healthy_count).toBe(1);
			expect(health.json.unhealthy_count).toBe(1);
			expect(health.json.unhealthy_endpoints[0]).toMatchObject({
				model: 'azure/gpt-4o-eu',
				custom_llm_provider: 'azure',
			});
			expect(health.json.unhealthy_endpoints[0].error).toMatch(/AuthenticationError/);
		});
	});

	describe('transport faults', () => {
		const body = { model: 'gpt-4o-mini', messages: userMsg('hi') };
		const auth = { authorization: `Bearer ${MASTER}` };

		it('latency delays the answer', async () => {
			sim.faults.add({ kind: 'latency', ms: 150 }, { path: '/chat/completions', times: 1 });
			const started = Date.now();
			const res = await chat(body, auth);
			expect(res.status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		});

		it('5xx status with a LiteLLM envelope', async () => {
			sim.faults.add(
				{
					kind: 'status',
					status: 503,
					body: { error: { message: 'overloaded', type: null, param: null, code: '503' } },
				},
				{ times: 1 },
			);
			const res = await chat(body, auth);
			expect(res.status).toBe(503);
			expect(res.json.error.code).toBe('503');
		});

		it('reset destroys the connection', async () => {
			sim.faults.add({ kind: 'reset' }, { times: 1 });
			await expect(chat(body, auth)).rejects.toThrow();
		});

		it('hang never answers; the client aborts', async () => {
			sim.faults.add({ kind: 'hang' }, { times: 1 });
			const started = Date.now();
			await expect(
				request(`${url}/chat/completions`, {
					method: 'POST',
					headers: auth,
					body: JSON.stringify(body),
					signal: AbortSignal.timeout(200),
				}),
			).rejects.toThrow();
			expect(Date.now() - started).toBeLessThan(2000);
		});

		it('truncated JSON does not parse', async () => {
			sim.faults.add(
				{
					kind: 'truncated',
					body: { id: 'chatcmpl-x', choices: [{ message: { content: 'a long enough answer' } }] },
				},
				{ times: 1 },
			);
			const res = await chat(body, auth);
			expect(res.status).toBe(200);
			expect(res.json).toBeUndefined();
			expect(() => JSON.parse(res.text)).toThrow();
		});

		it('non-JSON text and an HTML error page', async () => {
			sim.faults.add({ kind: 'non_json' }, { times: 1 });
			const text = await chat(body, auth);
			expect(text.headers['content-type']).toMatch(/^text\/plain/);
			expect(text.json).toBeUndefined();
			sim.faults.add({ kind: 'html', status: 502 }, { times: 1 });
			const html = await chat(body, auth);
			expect(html.status).toBe(502);
			expect(html.headers['content-type']).toMatch(/^text\/html/);
			expect(html.text).toContain('<title>502 Bad Gateway</title>');
		});
	});

	it('never echoes a plaintext virtual or upstream key in responses or spend logs', () => {
		const responses = received.join('\n');
		expect(received.length).toBeGreaterThan(30);
		const logs = JSON.stringify(sim.spendLog);
		for (const secret of [
			TEAM_KEY,
			MINI_ONLY_KEY,
			MASTER,
			UPSTREAM_OPENAI,
			'sk-user-own-openai-key',
		]) {
			expect(responses).not.toContain(secret);
			expect(logs).not.toContain(secret);
		}
	});
});
