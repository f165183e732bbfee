/**
 * A percentage as output fields carry it: two decimals (96.5, not 96.50000000000001). Only for output;
 * threshold comparisons and sorting use the unrounded value.
 */
export function roundPercent(value: number): number;
export function roundPercent(value: number | null): number | null;
export function roundPercent(value: number | null): number | null {
	return value === null || !Number.isFinite(value) ? value : Math.round(value * 100) / 100;
}
