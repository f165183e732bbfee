import { parseCost, parseIntHeader } from '../../../nodes/shared/cost';

describe('parseCost', () => {
	it.each([
		['2.1e-05', 0.000021],
		['0.00015', 0.00015],
		['1E-7', 1e-7],
		[' 3 ', 3],
		[0.5, 0.5],
		['0', 0],
	])('reads %p exactly', (input, expected) => {
		expect(parseCost(input)).toBe(expected);
	});

	it.each([undefined, null, '', 'None', 'abc', '1e', NaN, Infinity, {}])(
		'treats %p as unknown, not zero',
		(input) => {
			expect(parseCost(input)).toBeUndefined();
		},
	);

	it('reads integer headers strictly', () => {
		expect(parseIntHeader('2')).toBe(2);
		expect(parseIntHeader('2.5')).toBeUndefined();
		expect(parseIntHeader(undefined)).toBeUndefined();
	});
});
