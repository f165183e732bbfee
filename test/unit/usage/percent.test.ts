import { roundPercent } from '../../../nodes/LiteLlmUsage/aggregation/percent';

describe('roundPercent', () => {
	it('gives output fields two decimals', () => {
		expect(roundPercent((19.3 / 20) * 100)).toBe(96.5);
		expect((19.3 / 20) * 100).not.toBe(96.5); // the float it cleans up: 96.50000000000001
		expect(roundPercent(100 / 3)).toBe(33.33);
		expect(roundPercent(0)).toBe(0);
	});

	it('passes null and non-finite values through', () => {
		expect(roundPercent(null)).toBeNull();
		expect(roundPercent(Infinity)).toBe(Infinity);
	});
});
