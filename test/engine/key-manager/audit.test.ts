/**
 * The audit trail: every Key Manager action that reads or changes a key writes one record (one Infisical
 * secret) into the credential's Audit Folder Path, success and failure alike, naming keys by name, alias,
 * hash and fingerprint, never by value; the Usage node's Audit Trail reads it back by key and period.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode, scanForSecrets } from '../harness';
import {
	CLIENT,
	credentials,
	ENV,
	km,
	MASTER_KEY,
	PROJECT,
	secretValue,
	startSims,
	type Sims,
} from './setup';

const AUDIT = '/litellm-audit';
const GROQ_KEY = 'gsk_engineAuditTrailGroq00000000000001';

let sims: Sims;
beforeAll(async () => {
	sims = await startSims();
	sims.infisical.project(PROJECT).addFolder(ENV, AUDIT);
	sims.providers.addKey('groq', GROQ_KEY);
});
afterAll(async () => sims.stop());

const withAudit = (path = AUDIT) => ({
	liteLlmInfisicalApi: { ...credentials(sims).liteLlmInfisicalApi, auditFolderPath: path },
});
const audited = (
	parameters: IDataObject,
	options: { continueOnFail?: boolean; path?: string } = {},
) =>
	km(sims, parameters, {
		credentials: withAudit(options.path),
		continueOnFail: options.continueOnFail,
	});
const records = () =>
	sims.infisical
		.secrets(PROJECT, ENV, AUDIT)
		.map((s) => ({ name: s.secretKey, record: JSON.parse(s.secretValue) as IDataObject }))
		.sort((a, b) => String(a.record.at).localeCompare(String(b.record.at)));

describe('audit trail', () => {
	it('Store writes one record: when, workflow, execution, operation, the key by name/provider/fingerprint, ok', async () => {
		const run = await audited({
			resource: 'providerKey',
			operation: 'store',
			provider: 'groq',
			keyName: 'GROQ_API_KEY',
			apiKeySource: 'parameter',
			apiKey: GROQ_KEY,
			baseUrl: sims.providers.baseUrl('groq'),
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.auditError).toBeUndefined();
		const [entry] = records();
		expect(entry.name).toMatch(/^AUDIT_\d{8}_\d{6}Z_[0-9A-F]{8}$/);
		expect(entry.record).toMatchObject({
			workflowId: 'wf-test',
			executionId: expect.any(String),
			node: 'LiteLLM Key Manager',
			resource: 'providerKey',
			operation: 'store',
			outcome: 'ok',
			keys: [
				{
					name: 'GROQ_API_KEY',
					provider: 'groq',
					maskedKey: 'gsk_...0001',
					fingerprint: run.items[0].json.fingerprint,
					status: 'valid',
				},
			],
		});
		expect(Date.now() - Date.parse(String(entry.record.at))).toBeLessThan(60_000);
	});

	it('a failed action is recorded too, with what went wrong', async () => {
		const run = await audited(
			{ resource: 'providerKey', operation: 'validate', keyName: 'NO_SUCH_KEY' },
			{ continueOnFail: true },
		);
		expect(run.items[0].json.error).toMatch(/does not exist/);
		const last = records().at(-1)!.record;
		expect(last).toMatchObject({
			operation: 'validate',
			outcome: 'failed',
			keys: [{ name: 'NO_SUCH_KEY' }],
			detail: expect.stringMatching(/does not exist/),
		});
	});

	it('Validate, Create (virtual key) and Rotate are recorded; no record holds a key', async () => {
		await audited({ resource: 'providerKey', operation: 'validate', keyName: 'GROQ_API_KEY' });
		const created = await audited({
			resource: 'virtualKey',
			operation: 'create',
			alias: 'audited-service',
			storeAs: 'AUDITED_SERVICE_KEY',
		});
		expect(created.error).toBeUndefined();
		const rotated = await audited({
			resource: 'virtualKey',
			operation: 'rotateVirtualKey',
			keyName: 'AUDITED_SERVICE_KEY',
			regenerate: 'never',
			oldKeyAction: 'delete',
			rotationId: 'rot-audit',
		});
		expect(rotated.error).toBeUndefined();
		const all = records().map((r) => r.record);
		// The rotation writes one record per step it recorded, then the action's own record.
		expect(all.map((r) => r.operation)).toEqual([
			'store',
			'validate',
			'validate',
			'create',
			...Array(6).fill('rotateVirtualKey'),
		]);
		expect(all.slice(4).map((r) => r.step ?? null)).toEqual([
			'created',
			'verified',
			'persisted',
			'switched',
			'revoked',
			null,
		]);
		expect(all[5]).toMatchObject({
			outcome: 'ok',
			keys: [{ name: 'AUDITED_SERVICE_KEY', alias: 'audited-service' }],
		});
		expect(all[3]).toMatchObject({
			outcome: 'ok',
			keys: [
				{
					name: 'AUDITED_SERVICE_KEY',
					alias: 'audited-service',
					keyHash: expect.stringMatching(/^[0-9a-f]{64}$/),
					fingerprint: expect.any(String),
				},
			],
		});
		const keys = [
			GROQ_KEY,
			MASTER_KEY,
			CLIENT.clientSecret,
			secretValue(sims, 'AUDITED_SERVICE_KEY')!,
		];
		expect(scanForSecrets([sims.infisical.secrets(PROJECT, ENV, AUDIT)], keys)).toEqual([]);
	});

	it('read-only operations write nothing', async () => {
		const before = records().length;
		await audited({ resource: 'virtualKey', operation: 'listVirtualKeys' });
		expect(records()).toHaveLength(before);
	});

	it('when the record cannot be written the action stands and every item says so', async () => {
		const run = await audited(
			{ resource: 'providerKey', operation: 'validate', keyName: 'GROQ_API_KEY' },
			{ path: '/no-such-folder' },
		);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({
			status: 'valid',
			auditError: expect.stringMatching(/^The audit record was not written: /),
		});
	});

	it('Usage → Audit Trail reads it back, newest first, filtered by key and period, Slack-ready', async () => {
		const read = (parameters: IDataObject) =>
			runNode({
				nodeType: 'liteLlmUsage',
				// The records alone (key usage beside them: test/engine/usage/audit-key-usage.test.ts).
				parameters: {
					operation: 'auditTrail',
					datePreset: 'today',
					includeKeyUsage: false,
					...parameters,
				} as never,
				credentials: withAudit() as never,
			});
		const all = await read({});
		expect(all.error).toBeUndefined();
		expect(all.items.map((i) => i.json.operation)).toEqual([
			...Array(6).fill('rotateVirtualKey'),
			'create',
			'validate',
			'validate',
			'store',
		]);
		const groq = await read({ auditKey: 'GROQ_API_KEY' });
		expect(groq.items.map((i) => i.json.operation)).toEqual(['validate', 'store']);
		expect(groq.items[1].json.text).toMatch(
			/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · store · GROQ_API_KEY fp [0-9a-f]{12} · ok · workflow "Engine test" execution \S+$/,
		);
		expect((groq.items[0].json.blocks as IDataObject[])[0]).toMatchObject({ type: 'section' });
		const byFingerprint = await read({
			auditKey: String((groq.items[1].json.keys as IDataObject[])[0].fingerprint),
		});
		expect(byFingerprint.items).toHaveLength(2);
		const lastMonth = await read({ datePreset: 'lastMonth' });
		expect(lastMonth.items).toHaveLength(0);
	});
});
