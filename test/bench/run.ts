/**
 * `npm run bench`: runs every test/bench/*.bench.ts in its own process (so each one's peak RSS is its own),
 * one after another, and prints their tables. Benchmarks report; they do not pass or fail. `--expose-gc`
 * lets a benchmark measure the live heap after a full collection.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = __dirname;
const only = process.argv[2];
const benches = readdirSync(dir)
	.filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
	.sort();
let failed = 0;
for (const file of benches) {
	process.stdout.write(`\n## ${file}\n`);
	const started = Date.now();
	const result = spawnSync(
		process.execPath,
		['--expose-gc', '--import', 'tsx', path.join(dir, file)],
		{ stdio: 'inherit' },
	);
	process.stdout.write(`(${file}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
	if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
