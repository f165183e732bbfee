/**
 * Provider Key → Sweep Pending Revokes (engine, Infisical + Perplexity simulators): a rotation whose old-key
 * revoke fails records it as pending in the secret's metadata; the sweep retries it, leaves it (masked, with
 * the reason) while the provider keeps failing, clears it once revoked, and counts a 404 as done. Faults are
 * injected at the provider simulator (failNext); everything else answers as the real services do.
 */
import { parseMetadata } from '../../../nodes/shared/rotation/metadata';
import { scanForSecrets } from '../harness';
import { folder, heldLease, km, secretValue, startSims, type Sims } from './setup';

const NAME = 'PERPLEXITYAI_API_KEY';
const OLD = 'pplx-sweepOldKey00000000000000000001';
const outage = {
	error: { message: 'Internal server error', type: 'internal_server_error', code: 500 },
};
let sims: Sims;

beforeAll(async () => {
	sims = await startSims();
	sims.providers.addKey('perplexity', OLD);
	const stored = await km(sims, {
		resource: 'providerKey',
		operation: 'store',
		provider: 'perplexity',
		keyName: NAME,
		apiKeySource: 'parameter',
		apiKey: OLD,
		baseUrl: sims.providers.baseUrl('perplexity'),
	});
	expect(stored.items[0].json).toMatchObject({ status: 'valid' });
});
afterAll(async () => sims.stop());

const pendingOf = () =>
	parseMetadata(folder(sims).find((s) => s.secretKey === NAME)?.secretComment).pendingRevoke ?? [];
const sweep = () => km(sims, { resource: 'providerKey', operation: 'sweepPendingRevokes' });
const rotateWithFailingRevoke = (rotationId: string) => {
	sims.providers.failNext('perplexity', 500, outage, { path: '/revoke_auth_token' });
	return km(sims, {
		resource: 'providerKey',
		operation: 'rotateProviderKey',
		keyName: NAME,
		newKeySource: 'mint',
		liteLlmUpdate: 'none',
		rotationId,
	});
};

describe('Provider Key: sweep pending revokes', () => {
	it('a failed revoke stays pending while the provider fails, is revoked and cleared once it answers', async () => {
		const rotation = await rotateWithFailingRevoke('rot-sweep-1');
		expect(rotation.items[0].json).toMatchObject({
			status: 'rotated',
			oldKey: { fate: 'pending_revoke', masked: 'pplx-...0001' },
		});
		expect(pendingOf()).toHaveLength(1);
		const current = secretValue(sims, NAME)!;

		sims.providers.failNext('perplexity', 500, outage, { path: '/revoke_auth_token' });
		const failing = await sweep();
		expect(failing.error).toBeUndefined();
		expect(failing.items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				secretName: NAME,
				provider: 'perplexity',
				masked: 'pplx-...0001',
				outcome: 'still_pending',
				rotationId: 'rot-sweep-1',
				detail: 'Perplexity refused to revoke the key (HTTP 500)',
			}),
		]);
		expect(sims.providers.revoked('perplexity')).not.toContain(OLD);
		expect(pendingOf()).toHaveLength(1);

		const working = await sweep();
		expect(working.items.map((i) => i.json)).toEqual([
			expect.objectContaining({ secretName: NAME, masked: 'pplx-...0001', outcome: 'revoked' }),
		]);
		expect(sims.providers.revoked('perplexity')).toContain(OLD);
		expect(pendingOf()).toEqual([]);
		// The key itself is untouched, and the sweep's lease is gone.
		expect(secretValue(sims, NAME)).toBe(current);
		expect(heldLease(sims, NAME)).toBeUndefined();

		expect((await sweep()).items).toEqual([]);
		expect(
			scanForSecrets(
				[rotation.items, failing.items, working.items, failing.logs, working.logs],
				[OLD, current],
			),
		).toEqual([]);
	});

	it('a 404 from the provider counts as done: the entry is cleared', async () => {
		const before = secretValue(sims, NAME)!;
		const rotation = await rotateWithFailingRevoke('rot-sweep-2');
		expect(rotation.items[0].json).toMatchObject({
			status: 'rotated',
			oldKey: { fate: 'pending_revoke' },
		});
		expect(pendingOf().map((p) => p.rotationId)).toEqual(['rot-sweep-2']);
		sims.providers.failNext(
			'perplexity',
			404,
			{ error: { message: 'Token not found', type: 'not_found', code: 404 } },
			{ path: '/revoke_auth_token' },
		);
		const run = await sweep();
		expect(run.items.map((i) => i.json)).toEqual([
			expect.objectContaining({ outcome: 'already_gone' }),
		]);
		expect(pendingOf()).toEqual([]);
		expect(scanForSecrets([run.items, run.logs], [before, secretValue(sims, NAME)!])).toEqual([]);
	});

	it('a key whose rotation lease is taken is left pending and reported', async () => {
		await rotateWithFailingRevoke('rot-sweep-3');
		sims.infisical.seedSecret({
			projectId: 'proj-km',
			environment: 'prod',
			secretPath: '/litellm',
			secretKey: `${NAME}_ROTATION_LEASE_9`,
			secretValue: JSON.stringify({
				rotationId: 'rot-elsewhere',
				owner: 'exec-elsewhere',
				expiresAt: Date.now() + 600_000,
				stage: 'leased',
				generation: 9,
			}),
		});
		const run = await sweep();
		expect(run.items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				outcome: 'still_pending',
				detail: expect.stringMatching(/holds its lease/),
			}),
		]);
		expect(pendingOf()).toHaveLength(1);
		expect(heldLease(sims, NAME)).toMatchObject({ rotationId: 'rot-elsewhere' });
	});

	it('a key stored again is never revoked: Store drops its pending entry, and the sweep skips any key that is a stored value', async () => {
		// Start clean: the earlier test left a lease behind on purpose.
		await sims.stop();
		sims = await startSims();
		sims.providers.addKey('perplexity', OLD);
		await km(sims, {
			resource: 'providerKey',
			operation: 'store',
			provider: 'perplexity',
			keyName: NAME,
			apiKeySource: 'parameter',
			apiKey: OLD,
			baseUrl: sims.providers.baseUrl('perplexity'),
		});
		await rotateWithFailingRevoke('rot-sweep-4');
		expect(pendingOf().map((p) => p.masked)).toEqual(['pplx-...0001']);

		// The old key goes back (a person restores it): writing it drops the pending revoke.
		const restored = await km(sims, {
			resource: 'providerKey',
			operation: 'store',
			provider: 'perplexity',
			keyName: NAME,
			apiKeySource: 'parameter',
			apiKey: OLD,
			ifExists: 'update',
			baseUrl: sims.providers.baseUrl('perplexity'),
		});
		expect(restored.error).toBeUndefined();
		expect(pendingOf()).toEqual([]);

		// The same key stored under a second name, with a stale entry (a copy made outside the Key Manager).
		const other = await rotateWithFailingRevoke('rot-sweep-5');
		expect(other.items[0].json).toMatchObject({ oldKey: { fate: 'pending_revoke' } });
		sims.infisical.seedSecret({
			projectId: 'proj-km',
			environment: 'prod',
			secretPath: '/litellm',
			secretKey: 'PERPLEXITY_COPY',
			secretValue: OLD,
		});
		const swept = await km(
			sims,
			{ resource: 'providerKey', operation: 'sweepPendingRevokes' },
			{ items: [{ json: {} }, { json: {} }, { json: {} }] },
		);
		// One sweep per execution, whatever the number of input items; the stored key is left alone.
		expect(swept.items.map((i) => i.json.outcome)).toEqual(['in_use']);
		expect(sims.providers.revoked('perplexity')).not.toContain(OLD);
		expect(sims.providers.keys('perplexity').map((k) => k.key)).toContain(OLD);
		expect(pendingOf()).toEqual([]);
	});
});
