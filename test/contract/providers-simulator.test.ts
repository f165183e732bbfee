/**
 * Each provider double answers its zero-token check, and its billed call, with the status and body shape
 * each provider's API documents for a valid, an invalid, a rate-limited and a quota-exhausted key.
 * Also: Perplexity's and OpenRouter's key-admin APIs, latency injection, and the Slack receiver.
 */
import { ProviderSimulator } from '../simulators/providers';
import { SlackReceiver } from '../simulators/slack';

interface Answer {
	status: number;
	headers: Headers;
	body: unknown;
	text: string;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
	const res = await fetch(url, init);
	const text = await res.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// not JSON: keep the text (Perplexity's HTML 401)
	}
	return { status: res.status, headers: res.headers, body, text };
}

const json = (body: unknown): RequestInit => ({
	method: 'POST',
	headers: { 'content-type': 'application/json' },
	body: JSON.stringify(body),
});
const withHeaders = (init: RequestInit, headers: Record<string, string>): RequestInit => ({
	...init,
	headers: { ...(init.headers as Record<string, string> | undefined), ...headers },
});

interface ProviderCase {
	provider: string;
	/** Zero-token check for `key` (origin = the provider's stand-in host). */
	check: (origin: string, key: string) => Promise<Answer>;
	/** A billed call for `key`. */
	billed: (origin: string, key: string) => Promise<Answer>;
	valid: (a: Answer) => void;
	invalid: (a: Answer) => void;
	rateLimited: (a: Answer) => void;
	quota: (a: Answer) => void;
}

const bearerGet = (path: string) => (origin: string, key: string) =>
	call(`${origin}${path}`, { headers: { authorization: `Bearer ${key}` } });
const bearerChat = (path: string, model: string) => (origin: string, key: string) =>
	call(
		`${origin}${path}`,
		withHeaders(json({ model, messages: [{ role: 'user', content: 'hi' }] }), {
			authorization: `Bearer ${key}`,
		}),
	);

const openAiInvalid = (a: Answer) => {
	expect(a.status).toBe(401);
	expect(a.body).toEqual({
		error: {
			message: expect.stringMatching(/^Incorrect API key provided: sk-\*+/),
			type: 'invalid_request_error',
			param: null,
			code: 'invalid_api_key',
		},
	});
};

const CASES: ProviderCase[] = [
	{
		provider: 'openai',
		check: bearerGet('/v1/models'),
		billed: bearerChat('/v1/chat/completions', 'gpt-4o-mini'),
		valid: (a) =>
			expect(a.body).toMatchObject({
				object: 'list',
				data: expect.arrayContaining([
					expect.objectContaining({ id: 'gpt-4o-mini', object: 'model' }),
				]),
			}),
		invalid: openAiInvalid,
		rateLimited: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toMatchObject({ error: { code: 'rate_limit_exceeded', param: null } });
			expect(a.headers.get('x-ratelimit-remaining-requests')).toBe('0');
			expect(a.headers.get('x-ratelimit-reset-requests')).toBeTruthy();
		},
		quota: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toMatchObject({
				error: { type: 'insufficient_quota', code: 'insufficient_quota', param: null },
			});
		},
	},
	{
		provider: 'anthropic',
		check: (origin, key) =>
			call(`${origin}/v1/models`, {
				headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
			}),
		billed: (origin, key) =>
			call(
				`${origin}/v1/messages`,
				withHeaders(
					json({
						model: 'claude-3-5-haiku-20241022',
						max_tokens: 1,
						messages: [{ role: 'user', content: 'hi' }],
					}),
					{ 'x-api-key': key, 'anthropic-version': '2023-06-01' },
				),
			),
		valid: (a) =>
			expect(a.body).toMatchObject({
				data: expect.arrayContaining([expect.objectContaining({ type: 'model' })]),
				has_more: false,
			}),
		invalid: (a) => {
			expect(a.status).toBe(401);
			expect(a.body).toEqual({
				type: 'error',
				error: { type: 'authentication_error', message: 'invalid x-api-key' },
				request_id: expect.any(String),
			});
		},
		rateLimited: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
			expect(a.headers.get('retry-after')).toMatch(/^\d+$/);
			expect(a.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
		},
		quota: (a) => {
			expect(a.status).toBe(400);
			expect(a.body).toMatchObject({
				type: 'error',
				error: {
					type: 'invalid_request_error',
					message: expect.stringMatching(/credit balance is too low/),
				},
			});
		},
	},
	{
		provider: 'gemini',
		check: (origin, key) => call(`${origin}/v1beta/models`, { headers: { 'x-goog-api-key': key } }),
		billed: (origin, key) =>
			call(
				`${origin}/v1beta/models/gemini-2.0-flash:generateContent?key=${key}`,
				json({ contents: [{ parts: [{ text: 'hi' }] }] }),
			),
		valid: (a) =>
			expect(a.body).toMatchObject({
				models: expect.arrayContaining([
					expect.objectContaining({ name: 'models/gemini-2.0-flash' }),
				]),
			}),
		invalid: (a) => {
			expect(a.status).toBe(400);
			expect(a.body).toMatchObject({
				error: {
					code: 400,
					status: 'INVALID_ARGUMENT',
					message: expect.stringMatching(/^API key not valid/),
					details: expect.arrayContaining([expect.objectContaining({ reason: 'API_KEY_INVALID' })]),
				},
			});
		},
		rateLimited: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toMatchObject({
				error: {
					code: 429,
					status: 'RESOURCE_EXHAUSTED',
					details: expect.arrayContaining([expect.objectContaining({ retryDelay: '19s' })]),
				},
			});
		},
		quota: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
			expect(JSON.stringify(a.body)).toContain('PerDay');
		},
	},
	{
		provider: 'cohere',
		check: (origin, key) =>
			call(`${origin}/v1/check-api-key`, withHeaders(json({}), { authorization: `Bearer ${key}` })),
		billed: (origin, key) =>
			call(
				`${origin}/v2/chat`,
				withHeaders(
					json({ model: 'command-r-plus-08-2024', messages: [{ role: 'user', content: 'hi' }] }),
					{ authorization: `Bearer ${key}` },
				),
			),
		valid: (a) =>
			expect(a.body).toEqual({
				valid: true,
				organization_id: expect.any(String),
				owner_id: expect.any(String),
			}),
		invalid: (a) => {
			expect(a.status).toBe(401);
			expect(a.body).toEqual({ id: expect.any(String), message: 'invalid api token' });
		},
		rateLimited: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toEqual({
				id: expect.any(String),
				message: expect.stringMatching(/per minute|\/ minute/),
			});
		},
		quota: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toEqual({
				id: expect.any(String),
				message: expect.stringMatching(/\/ month/),
			});
		},
	},
	{
		provider: 'mistral',
		check: bearerGet('/v1/models'),
		billed: bearerChat('/v1/chat/completions', 'mistral-small-latest'),
		valid: (a) => expect(a.body).toMatchObject({ object: 'list', data: expect.any(Array) }),
		invalid: (a) => {
			expect(a.status).toBe(401);
			expect(a.body).toEqual({ message: 'Unauthorized', request_id: expect.any(String) });
		},
		rateLimited: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toMatchObject({ message: expect.any(String) });
		},
		quota: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toMatchObject({ message: expect.any(String), type: 'insufficient_quota' });
		},
	},
	{
		provider: 'perplexity',
		// The invalid-body probe: no messages, so a good key gets 400 and nothing is spent.
		check: (origin, key) =>
			call(
				`${origin}/chat/completions`,
				withHeaders(json({ model: 'sonar' }), { authorization: `Bearer ${key}` }),
			),
		billed: bearerChat('/chat/completions', 'sonar'),
		valid: (a) => {
			expect(a.status).toBe(400);
			expect(a.body).toMatchObject({ error: { code: 400, message: expect.any(String) } });
		},
		invalid: (a) => {
			expect(a.status).toBe(401);
			expect(a.headers.get('content-type')).toMatch(/text\/html/);
			expect(a.text).toContain('401 Authorization Required');
		},
		rateLimited: (a) => expect(a.status).toBe(429),
		quota: (a) => expect(a.status).toBe(401),
	},
	{
		provider: 'groq',
		check: bearerGet('/openai/v1/models'),
		billed: bearerChat('/openai/v1/chat/completions', 'llama-3.1-8b-instant'),
		valid: (a) => expect(a.body).toMatchObject({ object: 'list', data: expect.any(Array) }),
		invalid: (a) => {
			expect(a.status).toBe(401);
			expect(a.body).toEqual({
				error: {
					message: 'Invalid API Key',
					type: 'invalid_request_error',
					code: 'invalid_api_key',
				},
			});
		},
		rateLimited: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
			expect(a.headers.get('retry-after')).toBe('2');
			expect(a.headers.get('x-ratelimit-remaining-requests')).toBe('0');
		},
		quota: (a) => {
			expect(a.status).toBe(429);
			expect(a.body).toMatchObject({
				error: { code: 'rate_limit_exceeded', message: expect.stringMatching(/tokens per day/) },
			});
		},
	},
	{
		provider: 'together',
		check: bearerGet('/v1/models'),
		billed: bearerChat('/v1/chat/completions', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'),
		valid: (a) => {
			// A bare array, not {object:"list", data}.
			expect(Array.isArray(a.body)).toBe(true);
			expect(a.body).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', type: 'chat' }),
				]),
			);
		},
		invalid: (a) => {
			expect(a.status).toBe(401);
			expect(a.body).toEqual({
				error: {
					message: expect.stringMatching(/^Invalid API key provided/),
					type: 'invalid_request_error',
					param: null,
					code: 'invalid_api_key',
				},
			});
		},
		rateLimited: (a) => expect(a.status).toBe(429),
		quota: (a) => {
			expect(a.status).toBe(402);
			expect(a.body).toMatchObject({ error: { code: 'credit_limit' } });
		},
	},
];

describe('provider simulators', () => {
	const sim = new ProviderSimulator();
	const KEY = {
		valid: 'sk-valid-key-000000001',
		limited: 'sk-rate-limited-key-0002',
		empty: 'sk-no-credit-key-00003',
		wrong: 'sk-wrong-key-000000009',
	};

	beforeAll(async () => {
		await sim.start();
	});

	afterAll(async () => {
		await sim.stop();
	});

	beforeEach(() => {
		for (const c of CASES) {
			sim.setKeys(c.provider, [KEY.valid, KEY.limited, KEY.empty]);
			sim.setState(c.provider, KEY.limited, 'rate_limited');
			sim.setState(c.provider, KEY.empty, 'quota_exhausted');
		}
	});

	describe.each(CASES.map((c) => [c.provider, c] as const))('%s', (provider, c) => {
		it('valid key: the zero-token check succeeds', async () => {
			const a = await c.check(sim.origin(provider), KEY.valid);
			if (provider !== 'perplexity') expect(a.status).toBe(200);
			c.valid(a);
		});

		it('invalid key: the exact provider answer', async () => {
			c.invalid(await c.check(sim.origin(provider), KEY.wrong));
		});

		it('rate-limited key: 429 with the provider body and headers', async () => {
			c.rateLimited(await c.check(sim.origin(provider), KEY.limited));
		});

		it('quota-exhausted key: the check still passes, a billed call gets the quota answer', async () => {
			const checked = await c.check(sim.origin(provider), KEY.empty);
			c.valid(checked);
			c.quota(await c.billed(sim.origin(provider), KEY.empty));
			const ok = await c.billed(sim.origin(provider), KEY.valid);
			expect(ok.status).toBe(200);
		});

		it('a revoked key answers like an invalid one', async () => {
			expect(sim.revoke(provider, KEY.valid)).toBe(true);
			c.invalid(await c.check(sim.origin(provider), KEY.valid));
			expect(sim.revoked(provider)).toContain(KEY.valid);
		});
	});

	it('OpenAI without any key: 401 with code null', async () => {
		const a = await call(`${sim.baseUrl('openai')}/models`);
		expect(a.status).toBe(401);
		expect(a.body).toMatchObject({
			error: {
				type: 'invalid_request_error',
				code: null,
				message: expect.stringMatching(/^You didn't provide an API key/),
			},
		});
	});

	it('Anthropic without anthropic-version: 400; Gemini accepts ?key= and without a key says 403', async () => {
		const a = await call(`${sim.baseUrl('anthropic')}/models`, {
			headers: { 'x-api-key': KEY.valid },
		});
		expect(a.status).toBe(400);
		expect(a.body).toMatchObject({
			error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
		});
		expect((await call(`${sim.baseUrl('gemini')}/models?key=${KEY.valid}`)).status).toBe(200);
		const none = await call(`${sim.baseUrl('gemini')}/models`);
		expect(none.status).toBe(403);
		expect(none.body).toMatchObject({ error: { status: 'PERMISSION_DENIED' } });
	});

	it('Together rejects a non-serverless model with 400 model_not_available (the probe for a valid key)', async () => {
		const a = await bearerChat('/v1/chat/completions', 'some-org/dedicated-only')(
			sim.origin('together'),
			KEY.valid,
		);
		expect(a.status).toBe(400);
		expect(a.body).toMatchObject({ error: { code: 'model_not_available' } });
	});

	it('Ollama needs no key: /api/version, /api/tags, /v1/models', async () => {
		expect((await call(`${sim.origin('ollama')}/api/version`)).body).toEqual({
			version: expect.any(String),
		});
		expect((await call(`${sim.origin('ollama')}/api/tags`)).body).toMatchObject({
			models: expect.arrayContaining([expect.objectContaining({ name: 'llama3.2:latest' })]),
		});
		expect((await call(`${sim.origin('ollama')}/v1/models`)).body).toMatchObject({
			object: 'list',
		});
	});

	it('Perplexity mints and revokes auth tokens through its admin API', async () => {
		const auth = { authorization: `Bearer ${KEY.valid}` };
		const made = await call(
			`${sim.origin('perplexity')}/generate_auth_token`,
			withHeaders(json({ token_name: 'rotation-2025' }), auth),
		);
		expect(made.status).toBe(200);
		const minted = made.body as {
			auth_token: string;
			created_at_epoch_seconds: number;
			token_name: string;
		};
		expect(minted).toEqual({
			auth_token: expect.stringMatching(/^pplx-/),
			created_at_epoch_seconds: expect.any(Number),
			token_name: 'rotation-2025',
		});
		expect((await c400(minted.auth_token)).status).toBe(400); // the new token authenticates (probe → 400)
		const revoked = await call(
			`${sim.origin('perplexity')}/revoke_auth_token`,
			withHeaders(json({ auth_token: minted.auth_token }), auth),
		);
		expect(revoked.status).toBe(200);
		expect(revoked.text).toBe('');
		expect((await c400(minted.auth_token)).status).toBe(401);
		expect(sim.revoked('perplexity')).toEqual([minted.auth_token]);
		expect(sim.minted('perplexity')).toEqual([{ key: minted.auth_token, name: 'rotation-2025' }]);

		function c400(key: string): Promise<Answer> {
			return call(
				`${sim.origin('perplexity')}/chat/completions`,
				withHeaders(json({ model: 'sonar' }), { authorization: `Bearer ${key}` }),
			);
		}
	});

	it('OpenRouter management keys: create 201 with the key once, list, patch, delete by hash', async () => {
		sim.setOpenRouterManagementKeys(['sk-or-v1-management']);
		const base = `${sim.openRouterBaseUrl()}/keys`;
		const auth = { authorization: 'Bearer sk-or-v1-management' };
		const created = await call(
			base,
			withHeaders(json({ name: 'litellm-rotation-1', limit: 10, limit_reset: 'monthly' }), auth),
		);
		expect(created.status).toBe(201);
		const { data, key } = created.body as {
			data: { hash: string; label: string; limit_remaining: number };
			key: string;
		};
		expect(key).toMatch(/^sk-or-v1-[0-9a-f]{64}$/);
		expect(data.hash).toMatch(/^[0-9a-f]{64}$/);
		expect(data.label).not.toBe(key);
		expect(data.limit_remaining).toBe(10);
		expect(sim.openrouterKeys.isActive(key)).toBe(true);

		const list = await call(base, { headers: auth });
		expect((list.body as { data: Array<{ hash: string }> }).data.map((r) => r.hash)).toEqual([
			data.hash,
		]);
		expect(JSON.stringify(list.body)).not.toContain(key);

		const patched = await call(
			`${base}/${data.hash}`,
			withHeaders({ ...json({ disabled: true }), method: 'PATCH' }, auth),
		);
		expect(patched.body).toMatchObject({ data: { disabled: true } });
		expect(sim.openrouterKeys.isActive(key)).toBe(false);

		const deleted = await call(`${base}/${data.hash}`, { method: 'DELETE', headers: auth });
		expect(deleted.body).toEqual({ deleted: true });
		expect((await call(`${base}/${data.hash}`, { headers: auth })).status).toBe(404);

		const notManagement = await call(base, { headers: { authorization: `Bearer ${key}` } });
		expect(notManagement.status).toBe(401);
		expect(notManagement.body).toMatchObject({ error: { code: 401 } });
	});

	it('latency injection delays answers; the ledger records every call per provider', async () => {
		sim.setLatency('groq', 50);
		const started = performance.now();
		await bearerGet('/openai/v1/models')(sim.origin('groq'), KEY.valid);
		expect(performance.now() - started).toBeGreaterThanOrEqual(45);
		sim.setLatency('groq', 0);
		const last = sim.calls('groq').at(-1)!;
		expect(last).toMatchObject({ method: 'GET', path: '/groq/openai/v1/models', status: 200 });
	});

	it('failNext injects a provider outage once (Anthropic 529 overloaded)', async () => {
		sim.failNext('anthropic', 529, {
			type: 'error',
			error: { type: 'overloaded_error', message: 'Overloaded' },
		});
		const hdr = { 'x-api-key': KEY.valid, 'anthropic-version': '2023-06-01' };
		expect((await call(`${sim.baseUrl('anthropic')}/models`, { headers: hdr })).status).toBe(529);
		expect((await call(`${sim.baseUrl('anthropic')}/models`, { headers: hdr })).status).toBe(200);
	});
});

describe('Slack receiver', () => {
	const slack = new SlackReceiver();

	beforeAll(async () => {
		await slack.start();
	});

	afterAll(async () => {
		await slack.stop();
	});

	it('records text and blocks and answers 200 "ok" as text/plain', async () => {
		const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Budget* 80% used' } }];
		const a = await call(slack.webhookUrl(), json({ text: 'Budget alert', blocks }));
		expect(a.status).toBe(200);
		expect(a.text).toBe('ok');
		expect(a.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(slack.messages.at(-1)).toMatchObject({
			text: 'Budget alert',
			blocks,
			path: '/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX',
		});
	});

	it('accepts the form-encoded payload= variant and rejects bad payloads like Slack', async () => {
		const form = await call(slack.webhookUrl(), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ payload: JSON.stringify({ text: 'form alert' }) }).toString(),
		});
		expect(form.text).toBe('ok');
		expect(slack.messages.at(-1)?.text).toBe('form alert');
		const noText = await call(slack.webhookUrl(), json({ username: 'bot' }));
		expect([noText.status, noText.text]).toEqual([400, 'no_text']);
		const notJson = await call(slack.webhookUrl(), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{oops',
		});
		expect([notJson.status, notJson.text]).toEqual([400, 'invalid_payload']);
	});

	it('injects 429 with Retry-After and 500, then recovers', async () => {
		const before = slack.messages.length;
		slack.rateLimitNext(3);
		const limited = await call(slack.webhookUrl(), json({ text: 'x' }));
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('3');
		slack.failNext();
		expect((await call(slack.webhookUrl(), json({ text: 'x' }))).status).toBe(500);
		expect(slack.messages.length).toBe(before);
		expect((await call(slack.webhookUrl(), json({ text: 'x' }))).text).toBe('ok');
		expect(slack.messages.length).toBe(before + 1);
	});
});
