/**
 * The official `@infisical/sdk` 5.0.2 drives the Infisical double. If the SDK gets what it expects here,
 * the double speaks the SDK's dialect (v3 raw routes, DELETE with a JSON body, 403 TokenError, 429 retry).
 * The package ships CommonJS (`lib/cjs`), so ts-jest's CommonJS output can import it directly.
 */
import { InfisicalSDK, type Secret } from '@infisical/sdk';

import { InfisicalSimulator } from '../simulators/infisical';

const PROJECT = 'proj-contract';
const ENV = 'prod';
const CLIENT = { clientId: 'ua-client-1', clientSecret: 'ua-secret-1' };

describe('Infisical simulator driven by @infisical/sdk 5.0.2', () => {
	let sim: InfisicalSimulator;
	let sdk: InfisicalSDK;

	beforeEach(async () => {
		sim = new InfisicalSimulator();
		sim.addIdentity(CLIENT);
		sim.project(PROJECT).addFolder(ENV, '/llm/openai');
		await sim.start();
		sdk = new InfisicalSDK({ siteUrl: sim.url });
		await sdk.auth().universalAuth.login(CLIENT);
	});

	afterEach(async () => {
		await sim.stop();
	});

	it('logs in, creates, lists, gets, updates (version goes up), reads an old version, deletes', async () => {
		expect(sdk.auth().getAccessToken()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

		const created = await sdk.secrets().createSecret('OPENAI_API_KEY', {
			projectId: PROJECT,
			environment: ENV,
			secretPath: '/llm/openai',
			secretValue: 'sk-old-value-0001',
			secretComment: 'first',
		});
		const createdSecret = (created as { secret: Secret }).secret;
		expect(createdSecret).toMatchObject({
			secretKey: 'OPENAI_API_KEY',
			secretValue: 'sk-old-value-0001',
			version: 1,
			type: 'shared',
		});

		const listed = await sdk
			.secrets()
			.listSecrets({ projectId: PROJECT, environment: ENV, secretPath: '/llm/openai' });
		expect(listed.secrets.map((s) => s.secretKey)).toEqual(['OPENAI_API_KEY']);
		expect(listed.secrets[0].secretPath).toBe('/llm/openai');

		const updated = await sdk.secrets().updateSecret('OPENAI_API_KEY', {
			projectId: PROJECT,
			environment: ENV,
			secretPath: '/llm/openai',
			secretValue: 'sk-new-value-0002',
		});
		expect((updated as { secret: Secret }).secret.version).toBe(2);

		const current: Secret = await sdk.secrets().getSecret({
			projectId: PROJECT,
			environment: ENV,
			secretPath: '/llm/openai',
			secretName: 'OPENAI_API_KEY',
		});
		expect(current.secretValue).toBe('sk-new-value-0002');
		expect(current.version).toBe(2);
		expect(typeof current.id).toBe('string');
		expect(Number.isNaN(Date.parse(current.updatedAt))).toBe(false);

		const old = await sdk.secrets().getSecret({
			projectId: PROJECT,
			environment: ENV,
			secretPath: '/llm/openai',
			secretName: 'OPENAI_API_KEY',
			version: 1,
		});
		expect(old.secretValue).toBe('sk-old-value-0001');
		expect(old.version).toBe(1);

		const deleted = await sdk.secrets().deleteSecret('OPENAI_API_KEY', {
			projectId: PROJECT,
			environment: ENV,
			secretPath: '/llm/openai',
		});
		expect((deleted as { secret: Secret }).secret.secretKey).toBe('OPENAI_API_KEY');
		expect(sim.secrets(PROJECT, ENV, '/llm/openai')).toEqual([]);

		// The SDK really sent DELETE with a JSON body naming the project as workspaceId.
		const del = sim.calls('/api/v3/secrets/raw/OPENAI_API_KEY', 'DELETE')[0];
		expect(del.body).toEqual({ workspaceId: PROJECT, environment: ENV, secretPath: '/llm/openai' });
		expect(sim.calls('/api/v3/secrets/raw').map((e) => `${e.method} ${e.status}`)).toEqual([
			'POST 200',
			'GET 200',
			'PATCH 200',
			'GET 200',
			'GET 200',
			'DELETE 200',
		]);
	});

	it('create on an existing name fails with 400 "Secret already exist" (the lease primitive)', async () => {
		const opts = { projectId: PROJECT, environment: ENV, secretValue: 'lease-holder-a' };
		await sdk.secrets().createSecret('ROTATION_LEASE', opts);
		await expect(
			sdk.secrets().createSecret('ROTATION_LEASE', { ...opts, secretValue: 'lease-holder-b' }),
		).rejects.toThrow(/\[StatusCode=400\] Secret already exist/);
		expect(sim.secrets(PROJECT, ENV)[0].secretValue).toBe('lease-holder-a');
	});

	it('missing secret is 404 NotFoundError, missing folder names the folder', async () => {
		await expect(
			sdk.secrets().getSecret({ projectId: PROJECT, environment: ENV, secretName: 'NOPE' }),
		).rejects.toThrow(/\[StatusCode=404\] Secret with name 'NOPE' not found/);
		await expect(
			sdk.secrets().listSecrets({ projectId: PROJECT, environment: ENV, secretPath: '/absent' }),
		).rejects.toThrow(/Folder with path '\/absent' in environment with slug 'prod' not found/);
	});

	it('an expired token answers 403 TokenError, and a fresh login works again', async () => {
		sim.expireTokens();
		await expect(
			sdk.secrets().listSecrets({ projectId: PROJECT, environment: ENV }),
		).rejects.toThrow(/\[StatusCode=403\] Your token has expired/);
		const last = sim.ledger.at(-1)!;
		expect(last.status).toBe(403);
		await sdk.auth().universalAuth.login(CLIENT);
		await expect(
			sdk.secrets().listSecrets({ projectId: PROJECT, environment: ENV }),
		).resolves.toEqual({ secrets: [] });
		expect(sim.tokensIssued).toBe(2);
	});

	it('tokens expire on the simulator clock and renew extends them', async () => {
		const short = new InfisicalSimulator();
		short.addIdentity({ ...CLIENT, accessTokenTTL: 60, accessTokenMaxTTL: 300 });
		short.project(PROJECT);
		await short.start();
		try {
			const client = new InfisicalSDK({ siteUrl: short.url });
			await client.auth().universalAuth.login(CLIENT);
			short.advance(50_000);
			await client.auth().universalAuth.renew();
			short.advance(50_000); // 100 s after login, 50 s after renew
			await expect(
				client.secrets().listSecrets({ projectId: PROJECT, environment: ENV }),
			).resolves.toEqual({ secrets: [] });
			short.advance(61_000);
			await expect(
				client.secrets().listSecrets({ projectId: PROJECT, environment: ENV }),
			).rejects.toThrow(/StatusCode=403/);
		} finally {
			await short.stop();
		}
	});

	it('wrong client secret is 401 "Invalid credentials"', async () => {
		const client = new InfisicalSDK({ siteUrl: sim.url });
		await expect(
			client.auth().universalAuth.login({ ...CLIENT, clientSecret: 'wrong' }),
		).rejects.toThrow(/\[StatusCode=401\] Invalid credentials/);
	});

	it('the SDK retries a single 429 with backoff and then succeeds', async () => {
		sim.seedSecret({ projectId: PROJECT, environment: ENV, secretKey: 'A', secretValue: 'v' });
		sim.failNext(
			'GET',
			'/api/v3/secrets/raw',
			429,
			'Rate limit exceeded. Please try again in 1 seconds',
		);
		const started = Date.now();
		const result = await sdk.secrets().listSecrets({ projectId: PROJECT, environment: ENV });
		expect(result.secrets.map((s) => s.secretKey)).toEqual(['A']);
		const lines = sim.calls('/api/v3/secrets/raw', 'GET');
		expect(lines.map((e) => e.status)).toEqual([429, 200]);
		// SDK backoff is 1 s ±20 % before the first retry.
		expect(Date.now() - started).toBeGreaterThanOrEqual(750);
	});

	it('v4 routes use projectId, keep secretMetadata, and answer zod failures with 422 and an issue array', async () => {
		const headers = {
			authorization: `Bearer ${sdk.auth().getAccessToken()}`,
			'content-type': 'application/json',
		};
		const create = await fetch(`${sim.url}/api/v4/secrets/LITELLM_KEY`, {
			method: 'POST',
			headers,
			body: JSON.stringify({
				projectId: PROJECT,
				environment: ENV,
				secretValue: ' sk-litellm-1 ',
				secretMetadata: [{ key: 'fingerprint', value: 'ab12' }],
			}),
		});
		expect(create.status).toBe(200);
		const { secret } = (await create.json()) as { secret: Record<string, unknown> };
		expect(secret).toMatchObject({
			secretKey: 'LITELLM_KEY',
			secretValue: 'sk-litellm-1',
			workspace: PROJECT,
			version: 1,
			secretPath: '/',
		});
		expect(secret.secretMetadata).toEqual([
			{ key: 'fingerprint', value: 'ab12', isEncrypted: false },
		]);

		const invalid = await fetch(`${sim.url}/api/v4/secrets/LITELLM_KEY`, {
			method: 'PATCH',
			headers,
			body: JSON.stringify({ environment: ENV }),
		});
		expect(invalid.status).toBe(422);
		const body = (await invalid.json()) as { message: unknown; error: string };
		expect(body.error).toBe('ValidationFailure');
		expect(body.message).toEqual([
			expect.objectContaining({ path: ['projectId'], message: 'Required' }),
		]);

		const malformed = await fetch(
			`${sim.url}/api/v4/secrets?projectId=${PROJECT}&environment=${ENV}`,
			{ headers: { authorization: 'Bearer not-a-jwt' } },
		);
		expect(malformed.status).toBe(403);
		expect(await malformed.json()).toMatchObject({
			error: 'TokenError',
			message: expect.stringMatching(/malformed/),
		});
	});

	it('the injectable rate limit answers 429 RateLimitError with rate-limit headers', async () => {
		sim.setRateLimit(1);
		const first = await fetch(`${sim.url}/api/v4/secrets?projectId=${PROJECT}&environment=${ENV}`, {
			headers: { authorization: `Bearer ${sdk.auth().getAccessToken()}` },
		});
		expect(first.status).toBe(200);
		const second = await fetch(
			`${sim.url}/api/v4/secrets?projectId=${PROJECT}&environment=${ENV}`,
			{
				headers: { authorization: `Bearer ${sdk.auth().getAccessToken()}` },
			},
		);
		expect(second.status).toBe(429);
		expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
		expect(await second.json()).toMatchObject({
			statusCode: 429,
			error: 'RateLimitError',
			message: expect.stringMatching(/^Rate limit exceeded/),
		});
	});
});
