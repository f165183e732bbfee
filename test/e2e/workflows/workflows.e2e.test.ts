/**
 * The four shipped workflows in one real n8n 2.41.1 (packed package under .n8n/nodes), against the simulators:
 * one user folder, one server, every workflow run through `n8n execute` (Manual Trigger path) or, for the
 * gateway, through the published webhook. Ends with the credential tests through n8n's API and a scan of the
 * database, the server log and every output for the plaintext keys. Cases live in ./*.cases.ts; the world in
 * ./setup.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { scheduledBudgetAlertCases } from './cost-alerts-schedule.cases';
import { costAlertCases } from './cost-alerts.cases';
import { credentialCases, publishCases } from './credentials.cases';
import { keyRotationCases } from './key-rotation.cases';
import { keyValidationCases } from './key-validation.cases';
import { gatewayCases } from './openrouter-failover.cases';
import { KEYS, startWorld, WORKFLOW_IDS, type World } from './setup';

let w: World;
const world = () => w;
const started = Date.now();

beforeAll(async () => {
	w = await startWorld();
}, 10 * 60_000);

afterAll(async () => {
	w.timings.totalMs = Date.now() - started;
	process.stderr.write(`[e2e] workflow suite timings (ms): ${JSON.stringify(w.timings, null, 1)}\n`);
	await w?.stop();
});

describe('publishing the shipped workflows', () => publishCases(world));
describe('key-validation.json', () => keyValidationCases(world));
describe('cost-alerts.json', () => costAlertCases(world));
describe('cost-alerts.json on a schedule', () => scheduledBudgetAlertCases(world));
describe('key-rotation.json', () => keyRotationCases(world));
describe('credential tests through n8n\'s API', () => credentialCases(world));
describe('openrouter-failover.json', () => gatewayCases(world));

describe('secrets', () => {
	it('no plaintext key in n8n\'s database, its server log, or any output of the suite', async () => {
		const secrets = w.secrets();
		expect(secrets.length).toBeGreaterThan(15);
		const dbDir = join(w.suite.n8n.userFolder, '.n8n');
		const dbFiles = readdirSync(dbDir).filter((f) => f.startsWith('database.sqlite')).map((f) => join(dbDir, f));
		expect(dbFiles.length).toBeGreaterThan(0);
		const haystacks: Array<[string, Buffer]> = [
			...dbFiles.map((f) => [f, readFileSync(f)] as [string, Buffer]),
			['server log', Buffer.from(w.suite.n8n.logs())],
			['outputs', Buffer.from(w.outputs.join('\n'))],
			['slack', Buffer.from(JSON.stringify(w.slack.messages))],
		];
		// The gateway token is the exception inside the database: n8n writes every execution row with the
		// Webhook node's output (request headers included) before running it, and the gateway's "save nothing"
		// settings delete the row afterwards, leaving the bytes in the WAL / freed pages. n8n does the same for
		// any header-auth webhook; what we can promise is no stored execution and no hit anywhere else.
		const inDb = (s: string) => s !== KEYS.gatewayToken;
		const hits = haystacks.flatMap(([where, data]) =>
			secrets.filter((s) => (where.includes('database.sqlite') ? inDb(s) : true) && data.includes(s)).map((s) => `${where}: ${s.slice(0, 8)}…`),
		);
		expect(hits).toEqual([]);
		const stored = await w.suite.n8n.api<{ data: unknown[] }>('GET', `/executions?workflowId=${WORKFLOW_IDS.gateway}&includeData=true`);
		expect(stored.status).toBe(200);
		expect(stored.body.data).toEqual([]);
		// The scan can find something: the execution data holds the masked forms it should.
		expect(Buffer.concat(dbFiles.map((f) => readFileSync(f))).includes('pplx-...0001')).toBe(true);
	});
});
