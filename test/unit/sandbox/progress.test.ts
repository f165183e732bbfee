/**
 * Progress of the long start-up steps (test/e2e/harness/progress.ts and its use in runtime.ts): a person
 * waiting sees a line at least every 10 s with the time so far and what the step does, then how long it took.
 */
import { formatDuration, lastLine, withProgress } from '../../e2e/harness/progress';
import { buildStep, RegistryFetches, unpacked } from '../../e2e/harness/runtime';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('withProgress', () => {
	beforeEach(() => jest.useFakeTimers({ now: 0 }));
	afterEach(() => jest.useRealTimers());

	it('prints the estimate, then a line with time and detail at least every 10 s, then the time taken', async () => {
		const lines: string[] = [];
		let step = 0;
		let finish!: () => void;
		const done = withProgress(
			{
				label: 'npm i n8n@2.41.1',
				estimate: 'about 5-10 min',
				detail: () => `${(step += 100)} packages unpacked`,
				log: (m) => lines.push(m),
			},
			() => new Promise<void>((resolve) => (finish = resolve)),
		);
		expect(lines).toEqual(['npm i n8n@2.41.1 (about 5-10 min)']);
		await jest.advanceTimersByTimeAsync(10_000);
		expect(lines).toHaveLength(2);
		await jest.advanceTimersByTimeAsync(115_000);
		// A line every 8 s: no silent stretch reaches 10 s.
		expect(lines.length).toBe(1 + Math.floor(125_000 / 8_000));
		expect(lines[1]).toBe('npm i n8n@2.41.1: 8 s so far, 100 packages unpacked');
		expect(lines[lines.length - 1]).toBe(
			`npm i n8n@2.41.1: 2 min 00 s so far, ${100 * (lines.length - 1)} packages unpacked`,
		);
		finish();
		await done;
		expect(lines[lines.length - 1]).toBe('npm i n8n@2.41.1: done in 2 min 05 s');
		const before = lines.length;
		await jest.advanceTimersByTimeAsync(60_000);
		expect(lines).toHaveLength(before); // stopped with the step
	});

	it('says when a step failed, rethrows its error, and survives a failing detail', async () => {
		const lines: string[] = [];
		const failing = withProgress(
			{
				label: 'building sqlite3',
				detail: () => {
					throw new Error('no output yet');
				},
				log: (m) => lines.push(m),
				everyMs: 5_000,
			},
			async () => {
				await new Promise((r) => setTimeout(r, 12_000));
				throw new Error('node-gyp exited with 1');
			},
		);
		const settled = failing.catch((e: Error) => e);
		await jest.advanceTimersByTimeAsync(12_000);
		expect(((await settled) as Error).message).toBe('node-gyp exited with 1');
		expect(lines).toEqual([
			'building sqlite3',
			'building sqlite3: 5 s so far',
			'building sqlite3: 10 s so far',
			'building sqlite3: failed after 12 s',
		]);
	});
});

describe('progress details', () => {
	it('formats durations as a person reads them', () => {
		expect([0, 7_400, 59_600, 60_000, 125_000, 882_000].map(formatDuration)).toEqual([
			'0 s',
			'7 s',
			'1 min 00 s',
			'1 min 00 s',
			'2 min 05 s',
			'14 min 42 s',
		]);
	});

	it('takes the last non-empty output line, cut with an ellipsis', () => {
		expect(lastLine('  CC(target) a.o\n  CC(target) sqlite3.o\n\n')).toBe('CC(target) sqlite3.o');
		expect(lastLine('')).toBeUndefined();
		expect(lastLine('x'.repeat(150), 100)).toBe(`${'x'.repeat(99)}…`);
	});

	it("counts npm's fetches and cache hits across chunk borders and names the last", () => {
		const fetches = new RegistryFetches();
		expect(fetches.describe()).toBeUndefined();
		fetches.read(
			'npm http fetch GET 200 https://registry.npmjs.org/@types%2fretry 812ms (cache miss)\nnpm http fe',
		);
		// The registry's escaped scope (%2f) is shown as a person writes the name.
		expect(fetches.describe()).toBe(
			"1 packages fetched or found in npm's cache (last: @types/retry)",
		);
		fetches.read(
			'tch GET 200 https://registry.npmjs.org/@n8n/config/-/config-1.0.0.tgz 40ms\nnpm warn x\n',
		);
		expect(fetches.describe()).toBe(
			"2 packages fetched or found in npm's cache (last: @n8n/config/-/config-1.0.0.tgz)",
		);
		fetches.read(
			'npm http cache is-number@https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz 0ms (cache hit)\n',
		);
		expect(fetches.describe()).toBe(
			"3 packages fetched or found in npm's cache (last: is-number/-/is-number-7.0.0.tgz)",
		);
	});

	it("names the build's last step past the compiler's warnings", () => {
		const output = [
			'  CC(target) Release/obj.target/nothing/../node-addon-api/nothing.o',
			'  CC(target) Release/obj.target/sqlite3/gen/sqlite-autoconf-3440200/sqlite3.o',
			'sqlite3.c:1234:5: warning: unused variable',
			'   |       ^~~~~~~',
		].join('\n');
		expect(buildStep(output)).toBe(
			'CC(target) Release/obj.target/sqlite3/gen/sqlite-autoconf-3440200/sqlite3.o',
		);
		expect(buildStep('gyp info it worked')).toBe('gyp info it worked');
	});

	it('counts unpacked packages, scoped ones one by one', () => {
		const dir = mkdtempSync(join(tmpdir(), 'unpacked-'));
		try {
			expect(unpacked(join(dir, 'missing'))).toBeUndefined();
			for (const p of ['a', 'b', '@n8n/config', '@n8n/di', '.bin'])
				mkdirSync(join(dir, p), { recursive: true });
			expect(unpacked(dir)).toMatch(/^4 of about \d[\d,]* packages unpacked$/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
