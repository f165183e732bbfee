/**
 * Usage → Audit Trail with "Include Key Usage From LiteLLM": the Key Manager's records (written by real runs into
 * the Infisical simulator) and, beside them, per virtual key its calls, tokens and spend in the period and its
 * last use, read from the LiteLLM simulator's daily activity and key list after real calls through it. Expected
 * numbers come straight from the simulator's spend-log rows and key table.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode, scanForSecrets } from '../harness';
import { arraySource, registerSpendRoutes } from '../../simulators/litellm/spend';
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
} from '../key-manager/setup';

const AUDIT = '/litellm-audit-usage';

let sims: Sims;
let shownOnce = '';
beforeAll(async () => {
	sims = await startSims();
	sims.infisical.project(PROJECT).addFolder(ENV, AUDIT);
	// Spend routes over the simulator's own traffic; /key/list stays with the key-management routes.
	registerSpendRoutes(
		sims.litellm.server,
		{
			masterKey: MASTER_KEY,
			logs: arraySource(sims.litellm.ctx.state.spendLogs),
			keys: sims.litellm.ctx.state.keys,
			teams: [],
		},
		{ keyRoutes: false },
	);
	const audited = {
		credentials: {
			liteLlmInfisicalApi: { ...credentials(sims).liteLlmInfisicalApi, auditFolderPath: AUDIT },
		},
	};
	const stored = await km(
		sims,
		{
			resource: 'virtualKey',
			operation: 'create',
			alias: 'usage-audited',
			storeAs: 'USAGE_AUDITED_KEY',
		},
		audited,
	);
	expect(stored.error).toBeUndefined();
	const other = await km(
		sims,
		{ resource: 'virtualKey', operation: 'create', alias: 'usage-other', keyDelivery: 'showOnce' },
		audited,
	);
	shownOnce = String(other.items[0].json.secretKeyShownOnce);
	for (let n = 0; n < 3; n++)
		expect(await chatWith(secretValue(sims, 'USAGE_AUDITED_KEY')!)).toBe(200);
	expect(await chatWith(shownOnce)).toBe(200);
});
afterAll(async () => sims.stop());

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
	await res.text();
	return res.status;
}

const trail = (parameters: IDataObject, withLiteLlm = true) =>
	runNode({
		nodeType: 'liteLlmUsage',
		parameters: { operation: 'auditTrail', datePreset: 'today', ...parameters } as never,
		credentials: {
			liteLlmInfisicalApi: { ...credentials(sims).liteLlmInfisicalApi, auditFolderPath: AUDIT },
			...(withLiteLlm ? { liteLlmApi: credentials(sims).liteLlmApi } : {}),
		} as never,
	});

/** What LiteLLM holds for a key, straight from the simulator. */
function expected(alias: string) {
	const row = [...sims.litellm.ctx.state.keys.values()].find((k) => k.key_alias === alias)!;
	const logs = sims.litellm.ctx.state.spendLogs.filter((l) => l.api_key === row.token);
	return {
		keyHash: row.token,
		calls: logs.length,
		tokens: logs.reduce((sum, l) => sum + l.total_tokens, 0),
		spend: logs.reduce((sum, l) => sum + l.spend, 0),
		lastUsed: row.last_active,
	};
}

const usageOf = (items: Array<{ json: IDataObject }>) =>
	items.filter((i) => i.json.kind === 'keyUsage').map((i) => i.json);

describe('Audit Trail with key usage from LiteLLM', () => {
	it('lists the records, then per key its calls, tokens, spend in the period and last use', async () => {
		const run = await trail({});
		expect(run.error).toBeUndefined();
		const records = run.items.filter((i) => i.json.kind === 'auditRecord').map((i) => i.json);
		expect(records.map((r) => r.operation)).toEqual(['create', 'create']);
		expect(run.items.slice(0, 2).every((i) => i.json.kind === 'auditRecord')).toBe(true);
		const usage = usageOf(run.items);
		expect(usage.map((u) => u.keyAlias)).toEqual(['usage-audited', 'usage-other']);
		const audited = expected('usage-audited');
		expect(audited.calls).toBe(3);
		expect(audited.lastUsed).toEqual(expect.any(String));
		expect(usage[0]).toMatchObject({
			keyHash: audited.keyHash,
			calls: audited.calls,
			tokens: audited.tokens,
			lastUsed: audited.lastUsed,
			deleted: false,
		});
		expect(usage[0].spendUsd).toBeCloseTo(audited.spend, 10);
		expect(usage[0].spendUsd).toBeGreaterThan(0);
		expect(usage[1]).toMatchObject({ calls: 1, keyHash: expected('usage-other').keyHash });
		expect(String(usage[0].text)).toMatch(
			/^usage-audited \(sk-\.\.\.\w{4}\) · 3 calls · \d+ tokens · \$[\d.]+ from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d · last used \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · \$[\d.]+ in total$/,
		);
		expect((usage[0].blocks as IDataObject[])[0]).toMatchObject({ type: 'section' });
		const keys = [
			secretValue(sims, 'USAGE_AUDITED_KEY')!,
			shownOnce,
			MASTER_KEY,
			CLIENT.clientSecret,
		];
		expect(scanForSecrets([run.items, run.logs], keys)).toEqual([]);
	});

	it('the key filter keeps the records of that key and the usage of the key they name', async () => {
		const bySecret = await trail({ auditKey: 'USAGE_AUDITED_KEY' });
		expect(bySecret.items.filter((i) => i.json.kind === 'auditRecord')).toHaveLength(1);
		expect(usageOf(bySecret.items).map((u) => u.keyAlias)).toEqual(['usage-audited']);
		const byHashPrefix = await trail({ auditKey: expected('usage-other').keyHash.slice(0, 12) });
		expect(usageOf(byHashPrefix.items).map((u) => u.keyAlias)).toEqual(['usage-other']);
	});

	it('a period without records or calls lists nothing', async () => {
		const run = await trail({ datePreset: 'lastMonth' });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(0);
	});

	it('switched off, it reads no LiteLLM and needs no LiteLLM credential', async () => {
		const mark = sims.litellm.ledger.length;
		const run = await trail({ includeKeyUsage: false }, false);
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.kind)).toEqual(['auditRecord', 'auditRecord']);
		expect(sims.litellm.ledger.length).toBe(mark);
	});

	it('a LiteLLM that fails the key list fails the step with a NodeApiError saying what was read', async () => {
		// Twice: the read is retried once.
		sims.litellm.faults.add(
			{
				kind: 'status',
				status: 500,
				body: { error: { message: 'down', type: 'None', param: null, code: '500' } },
			},
			{ method: 'GET', path: '/key/list', times: 2 },
		);
		const run = await trail({});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toMatch(/^Reading the key list failed: /);
		expect(scanForSecrets([run.error?.message, run.logs], [MASTER_KEY])).toEqual([]);
	});
});
