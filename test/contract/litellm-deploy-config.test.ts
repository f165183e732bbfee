/**
 * deploy/config.yaml in the real LiteLLM proxy (the pinned PyPI version, test/litellm-proxy), every
 * provider's api_base pointed at the provider simulators: LiteLLM's own provider clients (OpenAI,
 * Anthropic, Gemini, Cohere v2, Mistral, Perplexity, Groq, Together AI, Ollama) parse what the simulators
 * send, the router's fallbacks run for real, and /health reports each deployment as the simulators answer.
 */
import { request } from 'undici';
import { parse } from 'yaml';

import { LiteLlmProxy } from '../litellm-proxy/proxy';
import { readDeployConfig, simulatorFor, testConfigFor } from '../litellm-proxy/test-config';
import { ProviderSimulator } from '../simulators/providers/simulator';

jest.setTimeout(180_000);

interface Deployment {
	model_name: string;
	litellm_params: { model: string };
	model_info: { id: string };
}

const deployments = (parse(readDeployConfig()) as { model_list: Deployment[] }).model_list;
const providers = new ProviderSimulator();
let proxy: LiteLlmProxy;
let master = '';

async function chat(model: string, content = 'What is n8n?') {
	const res = await request(`${proxy.url}/chat/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${master}`, 'content-type': 'application/json' },
		body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
	});
	const text = await res.body.text();
	return {
		status: res.statusCode,
		headers: res.headers as Record<string, string>,
		json: JSON.parse(text),
		text,
	};
}

const OVERLOADED = {
	error: {
		message: 'The engine is currently overloaded, please try again later.',
		type: 'server_error',
		param: null,
		code: null,
	},
};

beforeAll(async () => {
	await providers.start();
	const { configYaml, env } = testConfigFor(providers);
	master = env.LITELLM_MASTER_KEY;
	proxy = await LiteLlmProxy.start({ configYaml, env });
});

afterAll(async () => {
	await proxy?.stop();
	await providers.stop();
});

describe('deploy/config.yaml in the real LiteLLM proxy', () => {
	it('boots without a database and lists every model group', async () => {
		const res = await request(`${proxy.url}/v1/models`, {
			headers: { authorization: `Bearer ${master}` },
		});
		const body = (await res.body.json()) as { data: Array<{ id: string }> };
		expect(body.data.map((m) => m.id).sort()).toEqual(
			[...new Set(deployments.map((d) => d.model_name))].sort(),
		);
		const ready = await request(`${proxy.url}/health/readiness`);
		expect(await ready.body.json()).toMatchObject({
			status: 'healthy',
			db: 'Not connected',
			litellm_version: proxy.install.version,
		});
	});

	it.each(
		deployments.map((d) => [d.model_name, d.model_info.id, simulatorFor(d.litellm_params.model)]),
	)(
		'%s answers through its provider (%s at the %s simulator), no fallback',
		async (group, id, sim) => {
			const before = providers.calls(sim).length;
			const res = await chat(group);
			expect(res.status).toBe(200);
			expect(res.json.choices[0].message.content).toBe('Echo: What is n8n?');
			expect(res.json.usage.prompt_tokens).toBeGreaterThan(0);
			expect(res.headers['x-litellm-model-group']).toBe(group);
			expect(res.headers['x-litellm-model-id']).toBe(id);
			expect(res.headers['x-litellm-attempted-fallbacks']).toBe('0');
			expect(providers.calls(sim).length).toBeGreaterThan(before);
		},
	);

	it('falls back gpt-4o-mini → claude-3-5-haiku when OpenAI keeps failing, after the configured retries', async () => {
		const openaiBefore = providers.calls('openai').length;
		providers.failNext('openai', 503, OVERLOADED, { path: '/v1/chat/completions', times: 3 });
		const res = await chat('gpt-4o-mini', 'fallback please');
		expect(res.status).toBe(200);
		expect(res.headers['x-litellm-model-group']).toBe('claude-3-5-haiku');
		expect(res.headers['x-litellm-model-id']).toBe('claude-3-5-haiku-anthropic');
		expect(res.headers['x-litellm-attempted-fallbacks']).toBe('1');
		// LiteLLM 1.83.7 leaves the provider's model name in the body of a fallback answer.
		expect(res.json.model).toBe('claude-3-5-haiku-20241022');
		expect(res.json.choices[0].message.content).toBe('Echo: fallback please');
		// num_retries: 2 → three tries at OpenAI before the fallback.
		expect(
			providers
				.calls('openai')
				.slice(openaiBefore)
				.map((c) => c.status),
		).toEqual([503, 503, 503]);
	});

	it('goes on to gemini-2.0-flash when Anthropic fails as well', async () => {
		// Both providers down for the whole request (LiteLLM retries a 5xx group again after its fallbacks).
		providers.failNext('openai', 503, OVERLOADED, {
			path: '/v1/chat/completions',
			times: Infinity,
		});
		providers.failNext(
			'anthropic',
			529,
			{ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
			{ path: '/v1/messages', times: Infinity },
		);
		try {
			const res = await chat('gpt-4o-mini', 'second fallback');
			expect(res.status).toBe(200);
			expect(res.headers['x-litellm-model-group']).toBe('gemini-2.0-flash');
			expect(res.json.choices[0].message.content).toBe('Echo: second fallback');
			expect(providers.calls('anthropic').filter((c) => c.status === 529).length).toBeGreaterThan(
				0,
			);
		} finally {
			providers.server.faults.clear();
		}
	});

	it('does not take the context-window fallback for the Ollama group (litellm 1.83.7: Ollama truncates, the pre-call check cannot size it)', async () => {
		const long = Array.from({ length: 9000 }, (_, i) => `word${i}`).join(' ');
		const res = await chat('llama3-local', long);
		expect(res.status).toBe(200);
		expect(res.headers['x-litellm-model-group']).toBe('llama3-local');
		expect(res.headers['x-litellm-attempted-fallbacks']).toBe('0');
	});

	it('reports each deployment in /health as its provider answers (a revoked OpenAI key: both OpenAI deployments unhealthy)', async () => {
		providers.revoke('openai', providers.keys('openai')[0].key);
		try {
			const res = await request(`${proxy.url}/health`, {
				headers: { authorization: `Bearer ${master}` },
			});
			const body = (await res.body.json()) as {
				healthy_count: number;
				unhealthy_count: number;
				unhealthy_endpoints: Array<{ model: string; error: string }>;
			};
			expect(body.unhealthy_endpoints.map((e) => e.model).sort()).toEqual([
				'openai/gpt-4o',
				'openai/gpt-4o-mini',
			]);
			for (const e of body.unhealthy_endpoints) expect(e.error).toMatch(/AuthenticationError/);
			expect(body.healthy_count).toBe(deployments.length - 2);
		} finally {
			testConfigFor(providers); // restores the simulated keys
		}
	});
});
