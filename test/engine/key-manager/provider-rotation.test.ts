/**
 * Provider key rotation end to end (engine, Infisical + LiteLLM + provider simulators): a Perplexity key is
 * minted through its admin API, checked at the provider, stored as the new secret version, pushed to the
 * LiteLLM credential the model uses, proven with a real call through LiteLLM, and the old key revoked. Then
 * the compensation path: LiteLLM fails after the switch → credential and secret restored, new key revoked.
 * Also the Model and Credential resource that sets this up.
 */
import type { CredentialRow } from '../../simulators/litellm/state';
import { scanForSecrets } from '../harness';
import {
	CLIENT,
	heldLease,
	km,
	leaseNames,
	MASTER_KEY,
	secretValue,
	startSims,
	type Sims,
} from './setup';

const OLD = 'pplx-engineOldKey000000000000000001';
let sims: Sims;
/** What LiteLLM's upstream would say about the credential's key: the provider simulator decides. */
let breakNextSwitch = false;

beforeAll(async () => {
	sims = await startSims({
		onCredentialChange: (row: CredentialRow) => {
			const key = String(row.credential_values.api_key ?? '');
			const known = sims.providers.keys('perplexity').some((k) => k.key === key);
			sims.litellm.ctx.upstream.clear();
			if (!known || breakNextSwitch) sims.litellm.failDeployment('sonar', { status: 401 });
			breakNextSwitch = false;
		},
	});
	sims.providers.addKey('perplexity', OLD);
});
afterAll(async () => sims.stop());

describe('Model and Credential', () => {
	it('stores the key, creates a LiteLLM credential from it, registers a model on it, lists both masked', async () => {
		const stored = await km(sims, {
			resource: 'providerKey',
			operation: 'store',
			provider: 'perplexity',
			keyName: 'PERPLEXITYAI_API_KEY',
			apiKeySource: 'parameter',
			apiKey: OLD,
			baseUrl: sims.providers.baseUrl('perplexity'),
		});
		expect(stored.items[0].json).toMatchObject({ status: 'valid', action: 'created' });
		const cred = await km(sims, {
			resource: 'model',
			operation: 'createCredential',
			credentialName: 'pplx-byok',
			provider: 'perplexity',
			storedKeyName: 'PERPLEXITYAI_API_KEY',
		});
		expect(cred.error).toBeUndefined();
		expect(sims.litellm.ctx.state.credentials.get('pplx-byok')?.credential_values.api_key).toBe(
			OLD,
		);
		const model = await km(sims, {
			resource: 'model',
			operation: 'registerModel',
			modelName: 'sonar',
			providerModel: 'perplexity/sonar',
			credentialName: 'pplx-byok',
		});
		expect(model.items[0].json).toMatchObject({ modelName: 'sonar', credentialName: 'pplx-byok' });
		const creds = await km(sims, { resource: 'model', operation: 'listCredentials' });
		const models = await km(sims, { resource: 'model', operation: 'listModels' });
		expect(models.items.map((i) => i.json.modelName)).toContain('sonar');
		expect(
			scanForSecrets(
				[stored.items, cred.items, creds.items, models.items, cred.logs],
				[OLD, MASTER_KEY, CLIENT.clientSecret],
			),
		).toEqual([]);
	});
});

describe('Provider Key: rotate', () => {
	it('mints, verifies, stores, switches LiteLLM, proves it with a call, revokes the old key: in that order', async () => {
		const mark = {
			litellm: sims.litellm.ledger.length,
			providers: sims.providers.ledger.length,
			infisical: sims.infisical.ledger.length,
		};
		const run = await km(sims, {
			resource: 'providerKey',
			operation: 'rotateProviderKey',
			keyName: 'PERPLEXITYAI_API_KEY',
			newKeySource: 'mint',
			liteLlmUpdate: 'credential',
			credentialName: 'pplx-byok',
			verifyModel: 'sonar',
			rotationId: 'rot-pplx-1',
		});
		expect(run.error).toBeUndefined();
		const newKey = secretValue(sims, 'PERPLEXITYAI_API_KEY')!;
		expect(newKey).not.toBe(OLD);
		expect(run.items[0].json).toMatchObject({
			status: 'rotated',
			provider: 'perplexity',
			oldKey: { fate: 'revoked', masked: 'pplx-...0001' },
		});
		expect(sims.litellm.ctx.state.credentials.get('pplx-byok')?.credential_values.api_key).toBe(
			newKey,
		);
		expect(sims.providers.revoked('perplexity')).toEqual([OLD]);
		// The order across the three services, by arrival time (each step awaits the previous one's answer).
		const events = [
			...sims.providers.ledger
				.slice(mark.providers)
				.map((e) => ({ at: e.at, what: `provider ${e.path}` })),
			...sims.litellm.ledger
				.slice(mark.litellm)
				.map((e) => ({ at: e.at, what: `litellm ${e.method} ${e.path}` })),
			...sims.infisical.ledger
				.slice(mark.infisical)
				.filter((e) => e.method !== 'GET' && !e.path.startsWith('/api/v1/auth'))
				.map((e) => ({ at: e.at, what: `infisical ${e.method} ${decodeURIComponent(e.path)}` })),
		]
			.sort((a, b) => a.at - b.at)
			.map((e) => e.what);
		// Each side effect follows a lease write that proves this run still owns the rotation.
		// The lease is generation 1 of the key's lease chain: created to claim it, written in place while it lives.
		const LEASE = 'infisical PATCH /api/v4/secrets/PERPLEXITYAI_API_KEY_ROTATION_LEASE_1';
		expect(events).toEqual([
			'infisical POST /api/v4/secrets/PERPLEXITYAI_API_KEY_ROTATION_LEASE_1',
			LEASE, // the name the key is minted under, recorded first
			'provider /perplexity/generate_auth_token',
			LEASE, // the new key, right after
			LEASE,
			'provider /perplexity/chat/completions',
			LEASE,
			LEASE,
			'infisical PATCH /api/v4/secrets/PERPLEXITYAI_API_KEY',
			LEASE,
			LEASE,
			'litellm PATCH /credentials/pplx-byok',
			'litellm POST /chat/completions',
			LEASE,
			LEASE,
			'provider /perplexity/revoke_auth_token',
			LEASE, // released: the head stays as a tombstone, so generation numbers only grow
		]);
		expect(scanForSecrets([run.items, run.logs], [OLD, newKey, MASTER_KEY])).toEqual([]);
	});

	it('LiteLLM fails after the switch → credential and secret restored, the new key revoked, the old one still works', async () => {
		const current = secretValue(sims, 'PERPLEXITYAI_API_KEY')!;
		breakNextSwitch = true;
		const run = await km(
			sims,
			{
				resource: 'providerKey',
				operation: 'rotateProviderKey',
				keyName: 'PERPLEXITYAI_API_KEY',
				newKeySource: 'mint',
				liteLlmUpdate: 'credential',
				credentialName: 'pplx-byok',
				verifyModel: 'sonar',
				rotationId: 'rot-pplx-2',
			},
			{ continueOnFail: true },
		);
		expect(String(run.items[0].json.error)).toMatch(/failed at "switch" and was rolled back/);
		expect(secretValue(sims, 'PERPLEXITYAI_API_KEY')).toBe(current);
		expect(sims.litellm.ctx.state.credentials.get('pplx-byok')?.credential_values.api_key).toBe(
			current,
		);
		const minted = sims.providers.minted('perplexity').map((m) => m.key);
		const newKey = minted[minted.length - 1];
		expect(sims.providers.revoked('perplexity')).toContain(newKey);
		expect(sims.providers.keys('perplexity').map((k) => k.key)).toContain(current);
		expect(heldLease(sims, 'PERPLEXITYAI_API_KEY')).toBeUndefined();
		expect(scanForSecrets([run.items, run.logs], [current, newKey])).toEqual([]);
	});

	it('LiteLLM answers 422 echoing the request body (FastAPI `input`) → the provider key is not in the error', async () => {
		// A key with no recognisable prefix: only the explicit secrets list can redact it.
		const key = 'MistralEngineEchoKey00000000000000000001';
		sims.infisical.seedSecret({
			projectId: 'proj-km',
			environment: 'prod',
			secretPath: '/litellm',
			secretKey: 'MISTRAL_ECHO_KEY',
			secretValue: key,
		});
		const echoed = {
			detail: [
				{
					type: 'missing',
					loc: ['body', 'credential_info'],
					msg: 'Field required',
					input: { credential_name: 'mistral-echo', credential_values: { api_key: key } },
				},
			],
		};
		sims.litellm.faults.add(
			{ kind: 'status', status: 422, body: echoed },
			{ method: 'POST', path: '/credentials', times: 1 },
		);
		const run = await km(
			sims,
			{
				resource: 'model',
				operation: 'createCredential',
				credentialName: 'mistral-echo',
				provider: 'mistral',
				storedKeyName: 'MISTRAL_ECHO_KEY',
			},
			{ continueOnFail: true },
		);
		expect(run.items[0].json.error).toBeDefined();
		expect(scanForSecrets([run.items, run.logs], [key])).toEqual([]);
	});

	it("a Base URL / API Base on another host than the provider's is refused before the key goes anywhere", async () => {
		const key = 'gsk_engineGroqElsewhere000000000000001';
		const mark = sims.providers.ledger.length;
		const store = await km(
			sims,
			{
				resource: 'providerKey',
				operation: 'store',
				provider: 'groq',
				keyName: 'GROQ_ELSEWHERE',
				apiKeySource: 'parameter',
				apiKey: key,
				baseUrl: 'https://collector.example.com/openai/v1',
			},
			{ continueOnFail: true },
		);
		expect(String(store.items[0].json.error)).toMatch(/^Base URL must point at api\.groq\.com/);
		expect(secretValue(sims, 'GROQ_ELSEWHERE')).toBeUndefined();
		expect(sims.providers.ledger.length).toBe(mark);
		const cred = await km(
			sims,
			{
				resource: 'model',
				operation: 'createCredential',
				credentialName: 'pplx-elsewhere',
				provider: 'perplexity',
				storedKeyName: 'PERPLEXITYAI_API_KEY',
				apiBase: 'https://collector.example.com',
			},
			{ continueOnFail: true },
		);
		expect(String(cred.items[0].json.error)).toMatch(/^API Base must point at api\.perplexity\.ai/);
		expect(sims.litellm.ctx.state.credentials.has('pplx-elsewhere')).toBe(false);
	});

	it('a provider without a key API: the old key is reported for revoking by hand', async () => {
		const a = 'gsk_engineGroqOldKey00000000000000001';
		const b = 'gsk_engineGroqNewKey00000000000000002';
		sims.providers.addKey('groq', a);
		sims.providers.addKey('groq', b);
		await km(sims, {
			resource: 'providerKey',
			operation: 'store',
			provider: 'groq',
			keyName: 'GROQ_API_KEY',
			apiKeySource: 'parameter',
			apiKey: a,
			baseUrl: sims.providers.baseUrl('groq'),
		});
		const run = await km(
			sims,
			{
				resource: 'providerKey',
				operation: 'rotateProviderKey',
				keyName: 'GROQ_API_KEY',
				newKeySource: 'inputField',
				newKeyField: 'next',
				liteLlmUpdate: 'none',
				rotationId: 'rot-groq',
			},
			{ items: [{ json: { next: b } }] },
		);
		expect(run.items[0].json).toMatchObject({
			status: 'rotated',
			oldKey: { fate: 'revoke_by_hand', masked: 'gsk_...0001' },
		});
		expect(secretValue(sims, 'GROQ_API_KEY')).toBe(b);
		expect(scanForSecrets([run.items], [a, b])).toEqual([]);
	});

	it("a run that resumes another run's key keeps the staged secret it never used", async () => {
		const c = 'gsk_engineGroqStoppedRunKey0000000003';
		const d = 'gsk_engineGroqStagedKey000000000000004';
		sims.providers.addKey('groq', c);
		sims.providers.addKey('groq', d);
		// A stopped rotation of an older version left its verified key c in its single lease (the chain's
		// generation 0, next to the tombstone of the rotation above), and the lease ran out.
		const lease = {
			rotationId: 'rot-staged',
			owner: 'exec-dead',
			expiresAt: 0,
			stage: 'verified',
			nonce: 'abcdef012345',
			pendingKey: c,
			minted: true,
			oldVersion: 1,
		};
		sims.infisical.seedSecret({
			projectId: 'proj-km',
			environment: 'prod',
			secretPath: '/litellm',
			secretKey: 'GROQ_API_KEY_ROTATION_LEASE',
			secretValue: JSON.stringify(lease),
		});
		sims.infisical.seedSecret({
			projectId: 'proj-km',
			environment: 'prod',
			secretPath: '/litellm',
			secretKey: 'GROQ_NEXT',
			secretValue: d,
		});
		const run = await km(sims, {
			resource: 'providerKey',
			operation: 'rotateProviderKey',
			keyName: 'GROQ_API_KEY',
			newKeySource: 'staged',
			stagedName: 'GROQ_NEXT',
			liteLlmUpdate: 'none',
			rotationId: 'rot-staged',
		});
		expect(run.items[0].json).toMatchObject({ status: 'rotated', resumed: true });
		expect(secretValue(sims, 'GROQ_API_KEY')).toBe(c);
		expect(secretValue(sims, 'GROQ_NEXT')).toBe(d); // not used, so not deleted
		expect(leaseNames(sims, 'GROQ_API_KEY')).toEqual(['GROQ_API_KEY_ROTATION_LEASE_2']); // migrated
		expect(heldLease(sims, 'GROQ_API_KEY')).toBeUndefined();
	});
});
