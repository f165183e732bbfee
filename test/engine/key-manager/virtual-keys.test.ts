/**
 * Virtual Key resource through the engine against the LiteLLM double: create (into Infisical, or shown once),
 * get, list (all pages), update, block/unblock (enforced on chat), delete by alias and by hash (never by
 * plaintext), expiring, rotate (free path and /key/regenerate), and the bad-input rules.
 */
import { liteLlmKeyHash } from '../../../nodes/shared/redact';
import { scanForSecrets } from '../harness';
import { heldLease, km, MASTER_KEY, secretValue, startSims, type Sims, CLIENT } from './setup';

let sims: Sims;
beforeAll(async () => {
	sims = await startSims();
});
afterAll(async () => sims.stop());

const vk = (operation: string, params: Record<string, unknown> = {}, opts = {}) =>
	km(sims, { resource: 'virtualKey', operation, ...params }, opts);

function rowByAlias(alias: string) {
	return [...sims.litellm.ctx.state.keys.values()].find((r) => r.key_alias === alias);
}

async function chatWith(key: string): Promise<number> {
	const res = await fetch(`${sims.litellm.url}/chat/completions`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'hi' }],
			mock_response: 'ok',
		}),
	});
	return res.status;
}

describe('Virtual Key', () => {
	it('creates a key straight into Infisical; the output holds only mask, fingerprint and hash', async () => {
		const run = await vk('create', {
			alias: 'open-webui',
			keySettings: {
				models: 'gpt-4o-mini',
				maxBudget: 5,
				budgetDuration: '30d',
				duration: '30d',
				service: 'open-webui',
			},
			storeAs: 'OPEN_WEBUI_LITELLM_KEY',
		});
		expect(run.error).toBeUndefined();
		const key = secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')!;
		expect(key).toMatch(/^sk-/);
		expect(run.items[0].json).toMatchObject({
			keyAlias: 'open-webui',
			keyHash: liteLlmKeyHash(key),
			storedAs: 'OPEN_WEBUI_LITELLM_KEY',
			models: ['gpt-4o-mini'],
			maxBudget: 5,
			metadata: { service: 'open-webui' },
		});
		expect(run.items[0].json.secretKeyShownOnce).toBeUndefined();
		expect(scanForSecrets([run.items, run.logs], [key, MASTER_KEY, CLIENT.clientSecret])).toEqual(
			[],
		);
		expect(await chatWith(key)).toBe(200);
	});

	it('by default an empty secret name is refused before any key exists: plaintext is never the fallback', async () => {
		const before = sims.litellm.ledger.filter((e) => e.path === '/key/generate').length;
		// Left empty, n8n itself refuses to start (the field is required); an expression that comes out empty
		// reaches the node, which refuses before LiteLLM is called.
		await expect(
			vk('create', { alias: 'archon', keySettings: { models: 'gpt-4o-mini', duration: '2d' } }),
		).rejects.toThrow(/"Store in Infisical As" is required/);
		const run = await vk('create', {
			alias: 'archon',
			keySettings: { models: 'gpt-4o-mini', duration: '2d' },
			storeAs: '={{ $json.secretName ?? "" }}',
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('Store in Infisical As is empty');
		expect(sims.litellm.ledger.filter((e) => e.path === '/key/generate').length).toBe(before);
	});

	it('the key is shown once only on the explicit "Show Once" opt-in, which with its audit record off needs no Infisical credential', async () => {
		const run = await vk(
			'create',
			{
				alias: 'archon',
				keySettings: { models: 'gpt-4o-mini', duration: '2d' },
				keyDelivery: 'showOnce',
				recordAudit: false,
			},
			{
				credentials: { liteLlmInfisicalApi: undefined },
			},
		);
		expect(run.error).toBeUndefined();
		expect(String(run.items[0].json.secretKeyShownOnce)).toMatch(/^sk-/);
		expect(run.items[0].json.storedAs).toBeUndefined();
		expect(run.items[0].json.auditError).toBeUndefined();
	});

	it.each([
		['a 500', 500],
		['a 400 (refused)', 400],
	])(
		'when the Infisical write fails with %s, the new key is deleted again (by hash) and the error says so',
		async (_label, status) => {
			const mark = sims.litellm.ledger.length;
			const alias = `store-fails-${status}`;
			sims.infisical.failNext('POST', '/api/v4/secrets/STORE_FAILS_KEY', status, 'Something broke');
			const run = await vk(
				'create',
				{ alias, storeAs: 'STORE_FAILS_KEY' },
				{ continueOnFail: true },
			);
			const calls = sims.litellm.ledger.slice(mark).map((e) => `${e.method} ${e.path} ${e.status}`);
			expect(calls).toEqual(['POST /key/generate 200', 'POST /key/delete 200']);
			expect(run.items[0].json.error).toMatch(
				new RegExp(
					`^Writing the secret STORE_FAILS_KEY to Infisical failed \\(.*${status}.*\\); the new key sk-\\.\\.\\.[\\w-]{4} was deleted again$`,
				),
			);
			expect((run.items[0].json.details as { description?: string }).description).toMatch(
				/no key was stored and none is left in LiteLLM/,
			);
			expect(rowByAlias(alias)).toBeUndefined();
			const deleted = (
				sims.litellm.ledger.slice(mark).find((e) => e.path === '/key/delete')?.body as {
					keys?: string[];
				}
			).keys;
			expect(deleted?.[0]).toMatch(/^[0-9a-f]{64}$/); // by hash
			expect(secretValue(sims, 'STORE_FAILS_KEY')).toBeUndefined();
			expect(JSON.stringify(run.items)).not.toMatch(/sk-[A-Za-z0-9]{8,}/);
		},
	);

	it('when the clean-up delete fails too, the error names the live key by hash so a person can delete it', async () => {
		sims.infisical.failNext('POST', '/api/v4/secrets/STORE_FAILS_KEY', 500);
		sims.litellm.faults.add(
			{
				kind: 'status',
				status: 503,
				body: { error: { message: 'down', type: 'None', param: null, code: '503' } },
			},
			{ method: 'POST', path: '/key/delete', times: 1 },
		);
		const run = await vk(
			'create',
			{ alias: 'store-and-delete-fail', storeAs: 'STORE_FAILS_KEY' },
			{ continueOnFail: true },
		);
		const row = rowByAlias('store-and-delete-fail');
		expect(row).toBeDefined();
		expect(run.items[0].json.error).toMatch(
			/and deleting the new key sk-\.\.\.[\w-]{4} from LiteLLM failed too/,
		);
		expect((run.items[0].json.details as { description?: string }).description).toContain(
			row!.token,
		);
		expect(JSON.stringify(run.items)).not.toMatch(/sk-[A-Za-z0-9]{8,}/);
		await vk('deleteVirtualKey', { keyRefType: 'hash', keyRef: row!.token });
		expect(rowByAlias('store-and-delete-fail')).toBeUndefined();
	});

	it('gets by alias and by hash, lists all pages, updates', async () => {
		const hash = liteLlmKeyHash(secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')!);
		expect(
			(await vk('get', { keyRefType: 'alias', keyRef: 'open-webui' })).items[0].json.keyHash,
		).toBe(hash);
		expect((await vk('get', { keyRefType: 'hash', keyRef: hash })).items[0].json.keyAlias).toBe(
			'open-webui',
		);
		for (let n = 0; n < 105; n++)
			sims.litellm.addVirtualKey({
				key: `sk-bulk-${String(n).padStart(4, '0')}-abcdef`,
				key_alias: `bulk-${n}`,
			});
		const list = await vk('listVirtualKeys');
		expect(list.items.length).toBe(107); // two pages of 100 and more
		const updated = await vk('update', {
			keyRefType: 'alias',
			keyRef: 'open-webui',
			keySettings: { maxBudget: 9, rpmLimit: 60 },
		});
		expect(updated.items[0].json).toMatchObject({ maxBudget: 9, rpmLimit: 60 });
	});

	it('refuses a plaintext key as a reference', async () => {
		const run = await vk('get', { keyRefType: 'alias', keyRef: 'sk-should-never-be-here-0000' });
		expect(run.error?.message).toMatch(/alias or a hash, not the key itself/);
	});

	it('block and unblock are enforced by the proxy', async () => {
		const key = secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')!;
		expect(
			(await vk('block', { keyRefType: 'alias', keyRef: 'open-webui' })).items[0].json.blocked,
		).toBe(true);
		expect(await chatWith(key)).toBe(401);
		await vk('unblock', { keyRefType: 'alias', keyRef: 'open-webui' });
		expect(await chatWith(key)).toBe(200);
	});

	it('lists keys expiring within N days with a 7/3/1-day tier', async () => {
		const run = await vk('expiring', { withinDays: 7 });
		const archon = run.items.find((i) => i.json.keyAlias === 'archon');
		expect(archon?.json).toMatchObject({ warning: '3d' });
		expect(run.items.find((i) => i.json.keyAlias === 'open-webui')).toBeUndefined(); // 30 days out
	});

	it('deletes by alias and by hash; the request body never holds the plaintext', async () => {
		const del = await vk('deleteVirtualKey', { keyRefType: 'alias', keyRef: 'bulk-1' });
		expect(del.items[0].json).toMatchObject({ deleted: true });
		const hash = liteLlmKeyHash('sk-bulk-0002-abcdef');
		expect(
			(await vk('deleteVirtualKey', { keyRefType: 'hash', keyRef: hash })).items[0].json,
		).toMatchObject({ deleted: true });
		expect(
			(await vk('deleteVirtualKey', { keyRefType: 'alias', keyRef: 'bulk-1' })).items[0].json,
		).toMatchObject({ deleted: false });
		const bodies = JSON.stringify(
			sims.litellm.ledger.filter((e) => e.path === '/key/delete').map((e) => e.body),
		);
		expect(bodies).not.toContain('sk-bulk-0002-abcdef');
		expect(bodies).toContain(hash);
	});
});

describe('Virtual Key: rotate', () => {
	it('without Enterprise (/key/regenerate 500): new key with the old settings, stored, verified; old key expires after the grace period', async () => {
		const oldKey = secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')!;
		const before = sims.litellm.keyRow(oldKey)!;
		const leftBefore = before.max_budget! - before.spend;
		const run = await vk('rotateVirtualKey', {
			keyName: 'OPEN_WEBUI_LITELLM_KEY',
			regenerate: 'auto',
			oldKeyAction: 'expire',
			gracePeriod: '1h',
			verifyModel: 'gpt-4o-mini',
			rotationId: 'rot-vk-1',
		});
		expect(run.error).toBeUndefined();
		const newKey = secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')!;
		expect(newKey).not.toBe(oldKey);
		expect(run.items[0].json).toMatchObject({
			status: 'rotated',
			oldKey: { fate: 'valid_until' },
			stages: ['created', 'verified', 'persisted', 'switched', 'revoked'],
		});
		const until =
			Date.parse(
				String((run.items[0].json.oldKey as { stillValidUntil: string }).stillValidUntil),
			) - Date.now();
		expect(until).toBeGreaterThan(50 * 60_000);
		const newRow = sims.litellm.keyRow(newKey)!;
		// The alias, settings and budget move to the new key; the old key may spend 10% of what was left.
		expect(newRow).toMatchObject({
			key_alias: 'open-webui',
			models: ['gpt-4o-mini'],
			max_budget: 9,
			rpm_limit: 60,
		});
		expect(newRow.metadata).toMatchObject({ service: 'open-webui' });
		const oldRow = sims.litellm.keyRow(oldKey)!;
		expect(oldRow.key_alias).toMatch(/^open-webui-retired-[0-9a-f]{8}$/);
		expect(oldRow.max_budget).toBe(newRow.metadata.n8n_rotation_old_key_budget_cap);
		// Together the two keys may spend no more than the old key could before the rotation.
		expect(
			oldRow.max_budget! - oldRow.spend + (newRow.max_budget! - newRow.spend),
		).toBeLessThanOrEqual(leftBefore + 1e-9);
		expect(oldRow.budget_duration).toBeNull();
		const left = Date.parse(oldRow.expires!) - Date.now();
		expect(left).toBeGreaterThan(50 * 60_000);
		expect(left).toBeLessThanOrEqual(60 * 60_000);
		expect(await chatWith(oldKey)).toBe(200); // still works inside the grace period
		expect(await chatWith(newKey)).toBe(200);
		const paths = sims.litellm.ledger
			.map((e) => `${e.method} ${e.path} ${e.status}`)
			.filter((p) => /key\/(regenerate|generate|update)|chat/.test(p));
		// regenerate refused → generate → verify with a real call → retire old (expire) → the two checks above
		// regenerate refused → generate → verify with a real call → retire old (cap + expire) → alias to the new key
		expect(paths.slice(-7)).toEqual([
			'POST /key/regenerate 500',
			'POST /key/generate 200',
			'POST /chat/completions 200',
			'POST /key/update 200',
			'POST /key/update 200',
			'POST /chat/completions 200',
			'POST /chat/completions 200',
		]);
		expect(scanForSecrets([run.items, run.logs, run.error], [oldKey, newKey, MASTER_KEY])).toEqual(
			[],
		);
	});

	it('with Enterprise: /key/regenerate with the grace period', async () => {
		sims.litellmAdmin.setEnterprise(true);
		const oldKey = secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')!;
		const run = await vk('rotateVirtualKey', {
			keyName: 'OPEN_WEBUI_LITELLM_KEY',
			regenerate: 'auto',
			oldKeyAction: 'expire',
			gracePeriod: '24h',
			rotationId: 'rot-vk-2',
		});
		sims.litellmAdmin.setEnterprise(false);
		expect(run.error).toBeUndefined();
		const newKey = secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')!;
		expect(newKey).not.toBe(oldKey);
		// Re-keyed in place: the same row (alias, spend) under the new hash.
		expect(sims.litellm.keyRow(newKey)).toMatchObject({ key_alias: 'open-webui' });
		expect(await chatWith(newKey)).toBe(200);
		// The old key has no row of its own any more: it works as the new row until the grace period ends.
		expect(sims.litellm.keyRow(oldKey)).toBeUndefined();
		expect(await chatWith(oldKey)).toBe(200);
		expect(run.items[0].json).toMatchObject({ oldKey: { fate: 'valid_until' } });
	});

	it('/key/regenerate always gets a grace period, and a rollback keeps the regenerated key (in the lease) for the re-run to finish', async () => {
		sims.litellmAdmin.setEnterprise(true);
		const oldKey = secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')!;
		const mark = sims.litellm.ledger.length;
		const failed = await vk(
			'rotateVirtualKey',
			{
				keyName: 'OPEN_WEBUI_LITELLM_KEY',
				regenerate: 'auto',
				oldKeyAction: 'expire',
				gracePeriod: '',
				verifyModel: 'no-such-model',
				rotationId: 'rot-vk-regen',
			},
			{ continueOnFail: true },
		);
		sims.litellmAdmin.setEnterprise(false);
		const regen = sims.litellm.ledger.slice(mark).find((e) => e.path === '/key/regenerate');
		expect((regen?.body as { grace_period?: string }).grace_period).toBe('24h');
		expect(String(failed.items[0].json.error)).toMatch(
			/failed at "verify": the new key sk-\.\.\.[\w-]{4} \([0-9a-f]{12}\) was kept \(it replaced the old key in place/,
		);
		const lease = heldLease(sims, 'OPEN_WEBUI_LITELLM_KEY') as { pendingKey: string };
		expect(sims.litellm.keyRow(lease.pendingKey)).toBeDefined(); // not deleted
		expect(secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')).toBe(oldKey);
		expect(await chatWith(oldKey)).toBe(200); // within its grace period
		expect(scanForSecrets([failed.items, failed.logs], [oldKey, lease.pendingKey])).toEqual([]);

		const resumed = await vk('rotateVirtualKey', {
			keyName: 'OPEN_WEBUI_LITELLM_KEY',
			regenerate: 'auto',
			oldKeyAction: 'expire',
			gracePeriod: '',
			verifyModel: 'gpt-4o-mini',
			rotationId: 'rot-vk-regen',
		});
		expect(resumed.items[0].json).toMatchObject({ status: 'rotated', resumed: true });
		expect(secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')).toBe(lease.pendingKey);
		expect(heldLease(sims, 'OPEN_WEBUI_LITELLM_KEY')).toBeUndefined();
		expect(await chatWith(lease.pendingKey)).toBe(200);
	});

	it('two rotations of one key at once: one rotates, the other answers "rotation in progress"', async () => {
		const mark = sims.litellm.ledger.length;
		const runs = await Promise.all([
			vk(
				'rotateVirtualKey',
				{
					keyName: 'OPEN_WEBUI_LITELLM_KEY',
					regenerate: 'never',
					oldKeyAction: 'delete',
					rotationId: 'rot-a',
				},
				{ continueOnFail: true },
			),
			vk(
				'rotateVirtualKey',
				{
					keyName: 'OPEN_WEBUI_LITELLM_KEY',
					regenerate: 'never',
					oldKeyAction: 'delete',
					rotationId: 'rot-b',
				},
				{ continueOnFail: true },
			),
		]);
		const outcomes = runs.map((r) => r.items[0].json);
		expect(outcomes.filter((o) => o.status === 'rotated')).toHaveLength(1);
		expect(outcomes.filter((o) => /already in progress/.test(String(o.error)))).toHaveLength(1);
		const generated = sims.litellm.ledger.slice(mark).filter((e) => e.path === '/key/generate');
		expect(generated).toHaveLength(1);
		expect(await chatWith(secretValue(sims, 'OPEN_WEBUI_LITELLM_KEY')!)).toBe(200);
	});
});
