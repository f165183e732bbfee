/**
 * deploy/config.yaml: the provider matrix reads its keys through `os.environ/NAME` with exactly the secret
 * names the Key Manager writes (nodes/shared/providers), fallbacks point at existing groups, and the
 * LiteLLM simulator loads the file and answers a chat for every primary model group.
 */
import { request } from 'undici';

import { PROVIDERS } from '../../../nodes/shared/providers';
import { LiteLlmSimulator } from '../../simulators/litellm';
import { deployText, deployYaml, envReferences, type LiteLlmConfig } from './read-deploy';

const config = deployYaml<LiteLlmConfig>('config.yaml');
const groups = new Set(config.model_list.map((m) => m.model_name));

/** The Key Manager's provider ids, by tier (five primary, four secondary, as in README.md). */
const PRIMARY = ['openai', 'anthropic', 'gemini', 'cohere', 'mistral'] as const;
const SECONDARY = ['perplexity', 'groq', 'together', 'ollama'] as const;
/** Env references that are not provider keys: the proxy's own settings and Ollama's URL. */
const NON_KEY_ENV = new Set(['LITELLM_MASTER_KEY', 'DATABASE_URL', 'OLLAMA_API_BASE']);

function providerPrefix(model: unknown): string {
	return String(model)
		.split('/')[0]
		.replace(/_chat$/, '');
}

function deploymentsOf(providerId: keyof typeof PROVIDERS) {
	const spec = PROVIDERS[providerId];
	return config.model_list.filter(
		(m) => providerPrefix(m.litellm_params.model) === spec.liteLlmProvider,
	);
}

describe('deploy/config.yaml', () => {
	it('has a deployment for every primary and secondary provider', () => {
		for (const id of [...PRIMARY, ...SECONDARY])
			expect([id, deploymentsOf(id).length > 0]).toEqual([id, true]);
	});

	it("reads each provider's key from os.environ/<the Key Manager's secret name>, and never holds a key itself", () => {
		for (const id of [...PRIMARY, ...SECONDARY]) {
			const spec = PROVIDERS[id];
			for (const m of deploymentsOf(id)) {
				if (spec.needsKey) expect(m.litellm_params.api_key).toBe(`os.environ/${spec.envName}`);
				else expect(m.litellm_params.api_key).toBeUndefined();
			}
		}
		const keyNames = new Set(Object.values(PROVIDERS).map((p) => p.envName));
		for (const name of envReferences(config)) {
			expect(
				keyNames.has(name) || NON_KEY_ENV.has(name) ? name : `unknown env reference ${name}`,
			).toBe(name);
		}
		// No literal key anywhere: every api_key is an os.environ reference.
		for (const m of config.model_list) {
			if (m.litellm_params.api_key !== undefined)
				expect(String(m.litellm_params.api_key)).toMatch(/^os\.environ\/[A-Z0-9_]+$/);
		}
		expect(deployText('config.yaml')).not.toMatch(
			/sk-[A-Za-z0-9]{20,}|AIza[0-9A-Za-z_-]{20,}|gsk_[A-Za-z0-9]{20,}/,
		);
	});

	it('reads the master key and database URL from the environment, and refuses client-side api_base', () => {
		expect(config.general_settings.master_key).toBe('os.environ/LITELLM_MASTER_KEY');
		expect(config.general_settings.database_url).toBe('os.environ/DATABASE_URL');
		expect(config.general_settings.allow_client_side_credentials).not.toBe(true);
	});

	it('has fallbacks for every primary group, all pointing at groups that exist, never at themselves', () => {
		const fallbacks = Object.assign({}, ...(config.router_settings.fallbacks ?? [])) as Record<
			string,
			string[]
		>;
		for (const id of PRIMARY) {
			for (const m of deploymentsOf(id))
				expect([m.model_name, fallbacks[m.model_name]?.length ?? 0]).not.toEqual([m.model_name, 0]);
		}
		const all = [
			...(config.router_settings.fallbacks ?? []),
			...(config.router_settings.context_window_fallbacks ?? []),
		];
		for (const entry of all) {
			for (const [group, targets] of Object.entries(entry)) {
				expect(groups.has(group) ? group : `unknown group ${group}`).toBe(group);
				for (const t of targets) {
					expect(groups.has(t) ? t : `unknown fallback ${t}`).toBe(t);
					expect(t).not.toBe(group);
				}
			}
		}
	});

	it('gives every deployment a unique model_info.id (stable ids across restarts for spend and model admin)', () => {
		const ids = config.model_list.map((m) => m.model_info?.id);
		expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
		expect(new Set(ids).size).toBe(ids.length);
	});
});

describe('the LiteLLM simulator runs deploy/config.yaml', () => {
	const MASTER = 'sk-deploy-test-master-0001';
	const env: Record<string, string> = {
		LITELLM_MASTER_KEY: MASTER,
		DATABASE_URL: 'postgresql://x@db/litellm',
		OLLAMA_API_BASE: 'http://127.0.0.1:9',
	};
	for (const p of Object.values(PROVIDERS))
		env[p.envName] = `${p.envName.toLowerCase()}-upstream-secret-1234`;
	let sim: LiteLlmSimulator;

	beforeAll(async () => {
		sim = new LiteLlmSimulator({ configYaml: deployText('config.yaml'), env });
		await sim.start();
	});
	afterAll(async () => {
		await sim.stop();
	});

	it('resolves the os.environ keys and the master key', () => {
		expect(sim.masterKey).toBe(MASTER);
		const openai = sim.deployments.find((d) => d.model_info.id === 'gpt-4o-mini-openai');
		expect(openai?.litellm_params.api_key).toBe(env.OPENAI_API_KEY);
	});

	it('lists every model group and refuses a request without the master key', async () => {
		const models = await request(`${sim.url}/v1/models`, {
			headers: { authorization: `Bearer ${MASTER}` },
		});
		const body = (await models.body.json()) as { data: Array<{ id: string }> };
		expect(new Set(body.data.map((m) => m.id))).toEqual(groups);
		const anonymous = await request(`${sim.url}/v1/models`);
		await anonymous.body.text();
		expect(anonymous.statusCode).toBe(401);
	});

	it.each(PRIMARY.flatMap((id) => deploymentsOf(id).map((m) => [id, m.model_name] as const)))(
		'answers a chat for the primary group of %s: %s',
		async (_provider, group) => {
			const res = await request(`${sim.url}/v1/chat/completions`, {
				method: 'POST',
				headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
				body: JSON.stringify({ model: group, messages: [{ role: 'user', content: 'ping' }] }),
			});
			const body = (await res.body.json()) as {
				object: string;
				model: string;
				choices: Array<{ message: { content: string } }>;
			};
			expect(res.statusCode).toBe(200);
			expect(body.object).toBe('chat.completion');
			expect(body.model).toBe(group);
			expect(body.choices[0].message.content.length).toBeGreaterThan(0);
			expect(res.headers['x-litellm-model-group']).toBe(group);
		},
	);

	it('falls back from gpt-4o-mini to another provider when OpenAI fails', async () => {
		sim.failDeployment('gpt-4o-mini-openai', { status: 503 });
		try {
			const res = await request(`${sim.url}/v1/chat/completions`, {
				method: 'POST',
				headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					model: 'gpt-4o-mini',
					messages: [{ role: 'user', content: 'ping' }],
				}),
			});
			const body = (await res.body.json()) as { model: string };
			expect(res.statusCode).toBe(200);
			expect(res.headers['x-litellm-attempted-fallbacks']).toBe('1');
			expect(res.headers['x-litellm-model-group']).toBe('claude-3-5-haiku');
			// litellm 1.83.7 names the provider's model in the body of a fallback answer (docs/upstreams.md).
			expect(body.model).toBe('claude-3-5-haiku-20241022');
		} finally {
			sim.resetFaults();
		}
	});
});
