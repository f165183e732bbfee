/**
 * After every run of the suite: a `pg_dump` of n8n's PostgreSQL database (workflows, credentials, executions
 * with their run data, static data) holds no plaintext key: no provider key, virtual key or master key, neither a
 * seeded one nor one minted by a rotation. Credentials are stored encrypted; everything the nodes output shows
 * keys masked.
 */
import { KEYS } from '../workflows/setup';
import type { QueueWorld } from './world';

export function secretScanScenarios(world: () => QueueWorld): void {
	it("a pg_dump of n8n's database holds no key value", async () => {
		const w = world();
		const dump = await w.queue.postgres.dump();
		// The dump is the real thing: the executions of this suite and a masked key are in it.
		expect(dump).toMatch(/COPY public\.execution_data/);
		expect(dump).toMatch(/sk-\.\.\.[\w-]{4}/);
		// Not the gateway's bearer token: in queue mode the main writes each webhook execution, request headers
		// included, to the database for a worker; the gateway saves no executions, so n8n marks it deleted after the
		// run, but the row (and the caller's Authorization header) stays until n8n's pruning removes it.
		expect(dump).toContain(KEYS.gatewayToken);
		const secrets = w.secrets().filter((s) => s !== KEYS.gatewayToken);
		expect(secrets.length).toBeGreaterThan(10);
		const found = secrets.filter((s) => dump.includes(s));
		expect(found.map((s) => `${s.slice(0, 6)}…(${s.length} chars)`)).toEqual([]);
		// What the runs returned through the API and Slack is clean too.
		const outputs = w.outputs.join('\n');
		expect(secrets.filter((s) => outputs.includes(s)).map((s) => s.slice(0, 6))).toEqual([]);
	});
}
