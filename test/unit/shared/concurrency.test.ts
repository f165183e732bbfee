import { mapConcurrent } from '../../../nodes/shared/concurrency';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrent', () => {
	it('keeps input order and never exceeds the limit', async () => {
		let inFlight = 0;
		let peak = 0;
		const out = await mapConcurrent([30, 5, 20, 1, 10, 2], 3, async (ms, i) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			await tick(ms);
			inFlight--;
			return `${i}:${ms}`;
		});
		expect(out).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10', '5:2']);
		expect(peak).toBe(3);
	});

	it('with stopOnError starts nothing new after a failure and throws the lowest index', async () => {
		const started: number[] = [];
		await expect(
			mapConcurrent(
				[0, 1, 2, 3, 4, 5, 6, 7],
				2,
				async (_, i) => {
					started.push(i);
					await tick(i === 1 ? 1 : 5);
					if (i === 1 || i === 2) throw new Error(`fail ${i}`);
					return i;
				},
				true,
			),
		).rejects.toThrow('fail 1');
		expect(started.length).toBeLessThan(8);
	});
});
