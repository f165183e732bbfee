/**
 * The audit trail of the actions that change a key through LiteLLM alone (virtual key Update, Block, Unblock,
 * Delete, Register Model, and Create with the key shown once): with "Record in Audit Trail" on (the default)
 * each writes one record into the Infisical credential's Audit Folder Path, read back here straight from the
 * Infisical simulator. A record that cannot be written never hides the key change: the item carries auditError.
 */
import type { IDataObject } from 'n8n-workflow';

import { scanForSecrets } from '../harness';
import { CLIENT, credentials, ENV, km, MASTER_KEY, PROJECT, startSims, type Sims } from './setup';

const AUDIT = '/litellm-audit-actions';

let sims: Sims;
beforeAll(async () => {
	sims = await startSims();
	sims.infisical.project(PROJECT).addFolder(ENV, AUDIT);
});
afterAll(async () => sims.stop());

const infisical = (auditFolderPath: string) => ({
	liteLlmInfisicalApi: { ...credentials(sims).liteLlmInfisicalApi, auditFolderPath },
});
const run = (
	parameters: IDataObject,
	options: { credentials?: IDataObject; continueOnFail?: boolean } = {},
) =>
	km(sims, parameters, {
		credentials: options.credentials ?? infisical(AUDIT),
		continueOnFail: options.continueOnFail,
	});
const records = () =>
	sims.infisical
		.secrets(PROJECT, ENV, AUDIT)
		.map((s) => JSON.parse(s.secretValue) as IDataObject)
		.sort((a, b) => String(a.at).localeCompare(String(b.at)));
const byAlias = (alias: string) =>
	[...sims.litellm.ctx.state.keys.values()].find((k) => k.key_alias === alias);
const vk = (operation: string, alias: string, extra: IDataObject = {}) => ({
	resource: 'virtualKey',
	operation,
	keyRefType: 'alias',
	keyRef: alias,
	...extra,
});

describe('audit trail of LiteLLM-only key actions', () => {
	let shownOnce = '';

	it('Create with the key shown once records the creation by alias, hash and fingerprint, never the key', async () => {
		const created = await run({
			resource: 'virtualKey',
			operation: 'create',
			alias: 'audit-shown-once',
			keyDelivery: 'showOnce',
		});
		expect(created.error).toBeUndefined();
		const out = created.items[0].json;
		shownOnce = String(out.secretKeyShownOnce);
		expect(shownOnce).toMatch(/^sk-/);
		expect(out.auditError).toBeUndefined();
		expect(records()).toHaveLength(1);
		expect(records()[0]).toMatchObject({
			workflowId: 'wf-test',
			workflowName: 'Engine test',
			executionId: expect.stringMatching(/\S/),
			resource: 'virtualKey',
			operation: 'create',
			outcome: 'ok',
			keys: [
				{
					alias: 'audit-shown-once',
					keyHash: byAlias('audit-shown-once')!.token,
					maskedKey: out.maskedKey,
					fingerprint: out.fingerprint,
				},
			],
		});
		expect(Date.now() - Date.parse(String(records()[0].at))).toBeLessThan(60_000);
	});

	it('Update, Block, Unblock and Delete each append one record naming the key and what became of it', async () => {
		const hash = byAlias('audit-shown-once')!.token;
		const steps: Array<[string, IDataObject, string]> = [
			['update', { keySettings: { maxBudget: 7 } }, 'active'],
			['block', {}, 'blocked'],
			['unblock', {}, 'active'],
			['deleteVirtualKey', {}, 'deleted'],
		];
		for (const [operation, extra, status] of steps) {
			const before = records().length;
			const done = await run(vk(operation, 'audit-shown-once', extra));
			expect(done.error).toBeUndefined();
			expect(done.items[0].json.auditError).toBeUndefined();
			expect(records()).toHaveLength(before + 1);
			expect(records().at(-1)).toMatchObject({
				operation,
				outcome: 'ok',
				keys: [{ alias: 'audit-shown-once', status }],
			});
			if (operation !== 'deleteVirtualKey')
				expect((records().at(-1)!.keys as IDataObject[])[0].keyHash).toBe(hash);
		}
		expect(byAlias('audit-shown-once')).toBeUndefined();
	});

	it('Register Model records the credential, provider and model', async () => {
		const registered = await run({
			resource: 'model',
			operation: 'registerModel',
			modelName: 'audited-model',
			providerModel: 'openai/gpt-4o-mini',
			credentialName: 'audited-openai',
		});
		expect(registered.error).toBeUndefined();
		expect(records().at(-1)).toMatchObject({
			resource: 'model',
			operation: 'registerModel',
			outcome: 'ok',
			keys: [{ name: 'audited-openai', provider: 'openai', model: 'audited-model' }],
		});
	});

	it('a failed action is recorded as failed, with what went wrong', async () => {
		const failed = await run(vk('block', 'no-such-alias'), { continueOnFail: true });
		expect(failed.items[0].json.error).toMatch(/no such key/);
		expect(records().at(-1)).toMatchObject({
			operation: 'block',
			outcome: 'failed',
			keys: [{ name: 'no-such-alias' }],
			detail: expect.stringMatching(/no such key/),
		});
	});

	it('no record holds a key, the master key or the Infisical client secret', () => {
		const stored = sims.infisical.secrets(PROJECT, ENV, AUDIT);
		expect(stored.length).toBeGreaterThanOrEqual(7);
		expect(scanForSecrets([stored], [shownOnce, MASTER_KEY, CLIENT.clientSecret])).toEqual([]);
	});

	it('with "Record in Audit Trail" off the action needs no Infisical credential and writes nothing', async () => {
		await run(
			{
				resource: 'virtualKey',
				operation: 'create',
				alias: 'audit-off',
				keyDelivery: 'showOnce',
				recordAudit: false,
			},
			{ credentials: { liteLlmInfisicalApi: undefined } },
		);
		const before = records().length;
		const blocked = await run(vk('block', 'audit-off', { recordAudit: false }), {
			credentials: { liteLlmInfisicalApi: undefined },
		});
		expect(blocked.error).toBeUndefined();
		expect(blocked.items[0].json).toMatchObject({ keyAlias: 'audit-off', blocked: true });
		expect(blocked.items[0].json.auditError).toBeUndefined();
		expect(records()).toHaveLength(before);
	});

	it('when Infisical answers 500 to the record, the block still happened and the item says auditError', async () => {
		await run({
			resource: 'virtualKey',
			operation: 'create',
			alias: 'audit-500',
			keyDelivery: 'showOnce',
		});
		const before = records().length;
		sims.infisical.failNext('POST', '/api/v4/secrets/AUDIT_', 500, 'Something broke');
		const blocked = await run(vk('block', 'audit-500'));
		expect(blocked.error).toBeUndefined();
		expect(blocked.items[0].json).toMatchObject({
			keyAlias: 'audit-500',
			blocked: true,
			auditError: expect.stringMatching(/^The audit record was not written: .*500/),
		});
		expect(byAlias('audit-500')?.blocked).toBe(true);
		expect(records()).toHaveLength(before);
	});

	it('with the switch on but no Audit Folder Path in the credential, the change stands and auditError says why', async () => {
		const unblocked = await run(vk('unblock', 'audit-500'), { credentials: infisical('') });
		expect(unblocked.error).toBeUndefined();
		expect(unblocked.items[0].json).toMatchObject({
			blocked: false,
			auditError:
				'The audit record was not written: the LiteLLM Infisical API credential has no Audit Folder Path',
		});
		expect(byAlias('audit-500')?.blocked).toBe(false);
	});
});
