/** The Usage benchmark's LiteLLM: spend routes over ROWS lazily seeded rows (see usage.bench.ts). */
import { SimServer } from '../../simulators/http/server';
import { registerSpendRoutes, seedSpendLogs } from '../../simulators/litellm/spend';

export const MASTER_KEY = 'sk-bench-master-000000000001';
export const END = Date.UTC(2026, 0, 31, 23, 0, 0);
export const START = END - 30 * 86_400_000;

export async function start() {
	const rows = Number(process.env.ROWS ?? 1_000_000);
	const seed = seedSpendLogs({ rows, days: 30, seed: 7, endMs: END, keys: 50 });
	const server = new SimServer('litellm-bench');
	registerSpendRoutes(server, { masterKey: MASTER_KEY, logs: seed, keys: new Map(), teams: [] });
	const url = await server.start();
	// The ledger would hold every request of a million-row run; the benchmark does not read it.
	const trim = setInterval(() => (server.ledger.length = 0), 100);
	return {
		info: { url },
		stop: async () => {
			clearInterval(trim);
			await server.stop();
		},
	};
}
