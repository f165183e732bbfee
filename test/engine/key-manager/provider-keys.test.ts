/**
 * Provider Key resource through n8n-core's engine against the Infisical and provider simulators: store,
 * validate, validate all (every status), list, delete, bad input before any write, the 403 TokenError
 * refresh, and no key in any output, error or log.
 */
import { scanForSecrets } from '../harness';
import { credentials, km, folder, secretValue, startSims, type Sims, CLIENT } from './setup';

const OPENAI_KEY = 'sk-proj-engineTestValidKey000000000001';
const OPENAI_BAD = 'sk-proj-engineTestRevokedKey00000000002';
const GROQ_KEY = 'gsk_engineTestGroqKey0000000000000001';
const GEMINI_KEY = 'AIzaSyEngineTestGeminiKey00000000000001';
const ALL = [OPENAI_KEY, OPENAI_BAD, GROQ_KEY, GEMINI_KEY, CLIENT.clientSecret];

let sims: Sims;

beforeAll(async () => {
	sims = await startSims();
	sims.providers.addKey('openai', OPENAI_KEY);
	sims.providers.addKey('groq', GROQ_KEY, 'rate_limited');
	sims.providers.addKey('gemini', GEMINI_KEY);
});
afterAll(async () => sims.stop());

const store = (
	provider: string,
	keyName: string,
	apiKey: string,
	extra: Record<string, unknown> = {},
) =>
	km(sims, {
		resource: 'providerKey',
		operation: 'store',
		provider,
		keyName,
		apiKeySource: 'parameter',
		apiKey,
		baseUrl: sims.providers.baseUrl(provider),
		...extra,
	});

describe('Provider Key: store', () => {
	it('stores a valid key under the os.environ name, with metadata and no key in the output', async () => {
		const run = await store('openai', 'OPENAI_API_KEY', OPENAI_KEY);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({
			secretName: 'OPENAI_API_KEY',
			provider: 'openai',
			action: 'created',
			status: 'valid',
			maskedKey: 'sk-proj-...0001',
		});
		expect(secretValue(sims, 'OPENAI_API_KEY')).toBe(OPENAI_KEY);
		const meta = JSON.parse(
			folder(sims).find((s) => s.secretKey === 'OPENAI_API_KEY')!.secretComment,
		);
		expect(meta).toMatchObject({
			managedBy: 'n8n-nodes-litellm',
			kind: 'provider-key',
			provider: 'openai',
			fingerprint: run.items[0].json.fingerprint,
		});
		expect(scanForSecrets([run.items, run.logs], ALL)).toEqual([]);
	});

	it('takes the key from the previous node and does not copy it to the output', async () => {
		const run = await km(
			sims,
			{
				resource: 'providerKey',
				operation: 'store',
				provider: 'gemini',
				keyName: 'GEMINI_API_KEY',
				apiKeySource: 'inputField',
				apiKeyField: 'k',
				baseUrl: sims.providers.baseUrl('gemini'),
			},
			{ items: [{ json: { k: GEMINI_KEY } }] },
		);
		expect(run.items[0].json).toMatchObject({ action: 'created', status: 'valid' });
		expect(scanForSecrets([run.items], ALL)).toEqual([]);
	});

	it('refuses a key the provider rejects, and stores nothing', async () => {
		const run = await store('openai', 'OPENAI_API_KEY_2', OPENAI_BAD);
		expect(run.error?.message).toMatch(/OpenAI refused the key \(HTTP 401\)/);
		expect(secretValue(sims, 'OPENAI_API_KEY_2')).toBeUndefined();
		expect(scanForSecrets([run.error, run.logs], ALL)).toEqual([]);
	});

	it.each([
		[{ provider: 'nope' }, /Provider "nope"/],
		[{ provider: 'openai', apiKey: 'not-a-key' }, /API Key does not look like a OpenAI key/],
		[
			{ provider: 'openai', keyName: 'openai-key' },
			/Key Name "openai-key" cannot be read by LiteLLM as os.environ/,
		],
		[
			{ provider: 'openaiCompatible', apiKey: 'anything-goes-1234', baseUrl: '' },
			/Base URL is required/,
		],
	])(
		'bad input %o → NodeOperationError naming the field, nothing written',
		async (params, message) => {
			const before = sims.infisical
				.calls('/api/v4/secrets')
				.filter((c) => c.method !== 'GET').length;
			const run = await store('openai', 'OPENAI_API_KEY_3', OPENAI_KEY, params);
			expect(run.error?.name).toBe('NodeOperationError');
			expect(run.error?.message).toMatch(message);
			expect(sims.infisical.calls('/api/v4/secrets').filter((c) => c.method !== 'GET').length).toBe(
				before,
			);
		},
	);

	it('missing project in the credential → NodeOperationError naming it, before any request', async () => {
		const run = await km(
			sims,
			{ resource: 'providerKey', operation: 'listProviderKeys' },
			{
				credentials: {
					liteLlmInfisicalApi: {
						siteUrl: sims.infisical.url,
						...CLIENT,
						projectId: '',
						environment: 'prod',
						folderPath: '/litellm',
						accessToken: '',
					},
				},
			},
		);
		expect(run.error?.message).toMatch(
			/Project ID of the LiteLLM Infisical API credential is empty/,
		);
	});
});

describe('Provider Key: validate, validate all, list, delete', () => {
	beforeAll(async () => {
		await store('groq', 'GROQ_API_KEY', GROQ_KEY, { validateFirst: false });
		// A key stored by hand (no metadata), found by its name; it was revoked at the provider.
		// A key stored by hand, found by its name; its comment points at the (simulated) endpoint. Revoked upstream.
		sims.infisical.seedSecret({
			projectId: 'proj-km',
			environment: 'prod',
			secretPath: '/litellm',
			secretKey: 'OPENAI_API_KEY_OLD',
			secretValue: OPENAI_BAD,
			secretComment: JSON.stringify({ baseUrl: sims.providers.baseUrl('openai') }),
		});
	});

	it('validates one key: status, HTTP status, latency, models, masked key and fingerprint', async () => {
		const run = await km(sims, {
			resource: 'providerKey',
			operation: 'validate',
			keyName: 'OPENAI_API_KEY',
		});
		expect(run.items[0].json).toMatchObject({
			secretName: 'OPENAI_API_KEY',
			status: 'valid',
			httpStatus: 200,
			models: 3,
			maskedKey: 'sk-proj-...0001',
		});
		expect(typeof run.items[0].json.latencyMs).toBe('number');
	});

	it('Record Result in Metadata writes the comment only (no secretValue in the PATCH), so it cannot put back a key read earlier', async () => {
		const mark = sims.infisical.calls('/api/', 'PATCH').length;
		const run = await km(sims, {
			resource: 'providerKey',
			operation: 'validate',
			keyName: 'OPENAI_API_KEY',
			checkOptions: { record: true },
		});
		expect(run.items[0].json).toMatchObject({ status: 'valid' });
		const patches = sims.infisical.calls('/api/', 'PATCH').slice(mark);
		expect(patches).toHaveLength(1);
		expect(patches[0].body).not.toHaveProperty('secretValue');
		expect(
			JSON.parse(String((patches[0].body as { secretComment?: string }).secretComment)),
		).toMatchObject({ lastStatus: 'valid' });
		expect(secretValue(sims, 'OPENAI_API_KEY')).toBe(OPENAI_KEY);
	});

	it('validate all reports every key, each with its status, also when some fail', async () => {
		const run = await km(sims, {
			resource: 'providerKey',
			operation: 'validateAll',
			concurrency: 4,
			perProvider: 2,
		});
		const byName = Object.fromEntries(run.items.map((i) => [i.json.secretName, i.json]));
		expect(Object.keys(byName).sort()).toEqual([
			'GEMINI_API_KEY',
			'GROQ_API_KEY',
			'OPENAI_API_KEY',
			'OPENAI_API_KEY_OLD',
		]);
		expect(byName.OPENAI_API_KEY.status).toBe('valid');
		expect(byName.GEMINI_API_KEY.status).toBe('valid');
		expect(byName.GROQ_API_KEY).toMatchObject({ status: 'rate_limited', httpStatus: 429 });
		expect(byName.OPENAI_API_KEY_OLD).toMatchObject({
			status: 'invalid',
			httpStatus: 401,
			provider: 'openai',
		});
		expect(scanForSecrets([run.items, run.logs], ALL)).toEqual([]);
	});

	it('an unreachable provider is "unreachable", not a failed node', async () => {
		await store('mistral', 'MISTRAL_API_KEY', 'a'.repeat(32), {
			validateFirst: false,
			baseUrl: 'http://127.0.0.1:9/v1',
		});
		const run = await km(sims, {
			resource: 'providerKey',
			operation: 'validate',
			keyName: 'MISTRAL_API_KEY',
		});
		expect(run.items[0].json).toMatchObject({ status: 'unreachable', httpStatus: null });
	});

	it('lists masked keys and deletes one', async () => {
		const list = await km(sims, { resource: 'providerKey', operation: 'listProviderKeys' });
		expect(list.items.map((i) => i.json.secretName)).toContain('OPENAI_API_KEY');
		expect(scanForSecrets([list.items], ALL)).toEqual([]);
		const del = await km(sims, {
			resource: 'providerKey',
			operation: 'deleteProviderKey',
			keyName: 'OPENAI_API_KEY_OLD',
		});
		expect(del.items[0].json).toEqual({ secretName: 'OPENAI_API_KEY_OLD', deleted: true });
		expect(secretValue(sims, 'OPENAI_API_KEY_OLD')).toBeUndefined();
	});

	it('an expired Infisical token (403 TokenError) is refreshed once and the call retried', async () => {
		const first = await km(sims, { resource: 'providerKey', operation: 'listProviderKeys' });
		const token = String(first.credentials.liteLlmInfisicalApi.accessToken);
		expect(token).not.toBe('');
		sims.infisical.expireTokens();
		const logins = sims.infisical.tokensIssued;
		const run = await km(
			sims,
			{ resource: 'providerKey', operation: 'listProviderKeys' },
			{
				credentials: {
					liteLlmInfisicalApi: { ...credentials(sims).liteLlmInfisicalApi, accessToken: token },
				},
			},
		);
		const answered = sims.infisical
			.calls('/api/v4/secrets', 'GET')
			.slice(-2)
			.map((c) => c.status);
		expect(answered).toEqual([403, 200]);
		expect(run.error).toBeUndefined();
		expect(run.items.length).toBeGreaterThan(0);
		expect(sims.infisical.tokensIssued).toBe(logins + 1);
		expect(
			run.credentialEvents.filter((e) => e.kind === 'preAuthentication' && e.expired),
		).toHaveLength(1);
	});
});
