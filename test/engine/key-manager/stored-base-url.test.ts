/**
 * Base URLs and provider names read back from an Infisical secret's comment are re-checked on every use:
 * anyone who can edit the comment in Infisical must not be able to send a stored key elsewhere. Plain http
 * only for loopback and the OpenAI-compatible / Ollama kinds; the Infisical credential's Site URL too.
 */
import { scanForSecrets } from '../harness';
import { ENV, FOLDER, km, leaseNames, PROJECT, secretValue, startSims, type Sims } from './setup';

const OPENAI_KEY = 'sk-proj-engineStoredBaseUrl000000000001';
const GROQ_KEY = 'gsk_engineStoredBaseUrlGroq00000000001';

let sims: Sims;
beforeAll(async () => {
	sims = await startSims();
	sims.providers.addKey('openai', OPENAI_KEY);
	sims.providers.addKey('groq', GROQ_KEY);
});
afterAll(async () => sims.stop());

function seed(name: string, value: string, comment: object) {
	sims.infisical.seedSecret({
		projectId: PROJECT,
		environment: ENV,
		secretPath: FOLDER,
		secretKey: name,
		secretValue: value,
		secretComment: JSON.stringify({
			managedBy: 'n8n-nodes-litellm',
			kind: 'provider-key',
			...comment,
		}),
	});
}

describe('stored base URLs are re-checked before any request', () => {
	it('Validate: a foreign host in the comment of a named provider is refused, and the key is not sent', async () => {
		seed('OPENAI_API_KEY_TAMPERED', OPENAI_KEY, {
			provider: 'openai',
			baseUrl: 'https://collector.example.com/v1',
		});
		const mark = sims.providers.ledger.length;
		const run = await km(sims, {
			resource: 'providerKey',
			operation: 'validate',
			keyName: 'OPENAI_API_KEY_TAMPERED',
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ status: 'unknown', httpStatus: null, latencyMs: 0 });
		expect(run.items[0].json.detail).toMatch(
			/^not checked: The base URL stored with the secret OPENAI_API_KEY_TAMPERED must point at api\.openai\.com for OpenAI: the key is not sent to collector\.example\.com/,
		);
		expect(sims.providers.ledger.length).toBe(mark);
		expect(scanForSecrets([run.items, run.logs], [OPENAI_KEY])).toEqual([]);
	});

	it('Validate All reports the tampered key among the others instead of calling it', async () => {
		seed('GROQ_API_KEY', GROQ_KEY, { provider: 'groq', baseUrl: sims.providers.baseUrl('groq') });
		const run = await km(sims, { resource: 'providerKey', operation: 'validateAll' });
		const byName = Object.fromEntries(run.items.map((i) => [i.json.secretName, i.json]));
		expect(byName.GROQ_API_KEY).toMatchObject({ status: 'valid' });
		expect(byName.OPENAI_API_KEY_TAMPERED).toMatchObject({
			status: 'unknown',
			detail: expect.stringMatching(/^not checked: .*collector\.example\.com/),
		});
	});

	it('Rotate: refused with a NodeOperationError before the lease, the provider or LiteLLM is touched', async () => {
		const mark = { providers: sims.providers.ledger.length, litellm: sims.litellm.ledger.length };
		const run = await km(
			sims,
			{
				resource: 'providerKey',
				operation: 'rotateProviderKey',
				keyName: 'OPENAI_API_KEY_TAMPERED',
				newKeySource: 'parameter',
				newKey: 'sk-proj-engineStoredBaseUrl000000000002',
				liteLlmUpdate: 'none',
				rotationId: 'rot-tampered',
			},
			{ continueOnFail: true },
		);
		expect(run.items[0].json.error).toMatch(
			/^The base URL stored with the secret OPENAI_API_KEY_TAMPERED must point at api\.openai\.com/,
		);
		expect((run.items[0].json.details as { description?: string }).description).toMatch(
			/Nothing was sent/,
		);
		expect(secretValue(sims, 'OPENAI_API_KEY_TAMPERED')).toBe(OPENAI_KEY);
		expect(leaseNames(sims, 'OPENAI_API_KEY_TAMPERED')).toEqual([]);
		expect(sims.providers.ledger.length).toBe(mark.providers);
		expect(sims.litellm.ledger.length).toBe(mark.litellm);
	});

	it('Create Credential: a tampered comment does not become the api_base LiteLLM sends the key to', async () => {
		const run = await km(
			sims,
			{
				resource: 'model',
				operation: 'createCredential',
				credentialName: 'openai-tampered',
				provider: 'openai',
				storedKeyName: 'OPENAI_API_KEY_TAMPERED',
			},
			{ continueOnFail: true },
		);
		expect(run.items[0].json.error).toMatch(/must point at api\.openai\.com/);
		expect(sims.litellm.ctx.state.credentials.has('openai-tampered')).toBe(false);
	});

	it("plain http to a named provider's own host is refused; loopback stays allowed", async () => {
		seed('GROQ_API_KEY_HTTP', GROQ_KEY, {
			provider: 'groq',
			baseUrl: 'http://api.groq.com/openai/v1',
		});
		const run = await km(sims, {
			resource: 'providerKey',
			operation: 'validate',
			keyName: 'GROQ_API_KEY_HTTP',
		});
		expect(run.items[0].json.detail).toMatch(/must use https:\/\/ for Groq/);
		const typed = await km(
			sims,
			{
				resource: 'providerKey',
				operation: 'store',
				provider: 'groq',
				keyName: 'GROQ_HTTP_TYPED',
				apiKeySource: 'parameter',
				apiKey: GROQ_KEY,
				baseUrl: 'http://api.groq.com/openai/v1',
			},
			{ continueOnFail: true },
		);
		expect(typed.items[0].json.error).toMatch(/^Base URL must use https:\/\/ for Groq/);
		expect(secretValue(sims, 'GROQ_HTTP_TYPED')).toBeUndefined();
	});

	it('a user:password@ URL is refused even for the generic kinds', async () => {
		const typed = await km(
			sims,
			{
				resource: 'providerKey',
				operation: 'store',
				provider: 'openaiCompatible',
				keyName: 'COMPAT_KEY',
				apiKeySource: 'parameter',
				apiKey: 'compat-key-123456',
				baseUrl: `http://127.0.0.1@collector.example.com/v1`,
			},
			{ continueOnFail: true },
		);
		expect(typed.items[0].json.error).toMatch(/^Base URL must not carry a user:password@ part/);
	});
});

describe('provider names from the comment are own properties only', () => {
	it.each(['constructor', '__proto__', 'toString'])(
		'provider "%s" names no provider: reported unknown, nothing called',
		async (name) => {
			const secret = `ODD_PROVIDER_${name.replace(/_/g, '')}`.toUpperCase();
			seed(secret, 'some-key-value-123456', { provider: name });
			const run = await km(sims, {
				resource: 'providerKey',
				operation: 'validate',
				keyName: secret,
			});
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toMatchObject({
				provider: null,
				status: 'unknown',
				detail: expect.stringMatching(/provider unknown/),
			});
		},
	);
});

describe("the Infisical credential's Site URL", () => {
	it('plain http to another host is refused before the client secret is sent', async () => {
		const run = await km(
			sims,
			{ resource: 'providerKey', operation: 'listProviderKeys' },
			{
				continueOnFail: true,
				credentials: {
					liteLlmInfisicalApi: {
						siteUrl: 'http://infisical.internal:8080',
						clientId: 'x',
						clientSecret: 'y-secret-value-123',
						projectId: PROJECT,
						environment: ENV,
						folderPath: FOLDER,
						accessToken: '',
					},
				},
			},
		);
		expect(run.items[0].json.error).toMatch(
			/^The Site URL of the LiteLLM Infisical API credential uses plain http:\/\/ to infisical\.internal/,
		);
	});

	it('the explicit "Allow Plain HTTP to Another Host" lets it through (then it is only a network question)', async () => {
		const run = await km(
			sims,
			{ resource: 'providerKey', operation: 'listProviderKeys' },
			{
				continueOnFail: true,
				credentials: {
					liteLlmInfisicalApi: {
						siteUrl: 'http://infisical.invalid:8080',
						allowPlainHttp: true,
						clientId: 'x',
						clientSecret: 'y-secret-value-123',
						projectId: PROJECT,
						environment: ENV,
						folderPath: FOLDER,
						accessToken: '',
					},
				},
			},
		);
		expect(String(run.items[0].json.error)).not.toMatch(/plain http/);
	});
});
