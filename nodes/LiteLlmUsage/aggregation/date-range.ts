/**
 * The period of a report: a preset (today, last 7 days, this month, last month) or a custom range, in UTC.
 * Bad ranges are refused before any request by the caller (validation returns the field at fault).
 */
export type DatePreset = 'today' | 'last7Days' | 'thisMonth' | 'lastMonth' | 'custom';

export const DATE_PRESETS: DatePreset[] = [
	'today',
	'last7Days',
	'thisMonth',
	'lastMonth',
	'custom',
];

export interface DateRange {
	preset: DatePreset;
	/** Inclusive, Unix ms. */
	startMs: number;
	/** Inclusive, Unix ms (the time of reading for presets that end now). */
	endMs: number;
}

const DAY_MS = 86_400_000;

/** Longest range accepted: one year (a leap year's 366 days). */
export const MAX_RANGE_MS = 366 * DAY_MS;

export function startOfUtcDay(ms: number): number {
	return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function startOfUtcMonth(ms: number): number {
	const d = new Date(ms);
	return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function startOfNextUtcMonth(ms: number): number {
	const d = new Date(ms);
	return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** A preset's range at `nowMs`. */
export function presetRange(preset: Exclude<DatePreset, 'custom'>, nowMs: number): DateRange {
	switch (preset) {
		case 'today':
			return { preset, startMs: startOfUtcDay(nowMs), endMs: nowMs };
		case 'last7Days':
			return { preset, startMs: startOfUtcDay(nowMs) - 6 * DAY_MS, endMs: nowMs };
		case 'thisMonth':
			return { preset, startMs: startOfUtcMonth(nowMs), endMs: nowMs };
		case 'lastMonth': {
			const start = startOfUtcMonth(startOfUtcMonth(nowMs) - 1);
			return { preset, startMs: start, endMs: startOfUtcMonth(nowMs) - 1 };
		}
	}
}

export type RangeProblem = { field: 'Start Date' | 'End Date' | 'Date Range'; message: string };

/** Parses a date parameter (ISO text, a Luxon/Date object's string); undefined when not a date. */
export function parseDate(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = typeof value === 'number' ? value : Date.parse(String(value));
	return Number.isFinite(ms) ? ms : undefined;
}

/** Checks a custom range; returns the first problem, or the range. */
export function customRange(start: unknown, end: unknown, nowMs: number): DateRange | RangeProblem {
	const startMs = parseDate(start);
	if (startMs === undefined)
		return {
			field: 'Start Date',
			message: `Start Date is not a date (got "${String(start).slice(0, 40)}")`,
		};
	const endMs = end === undefined || end === '' ? nowMs : parseDate(end);
	if (endMs === undefined)
		return {
			field: 'End Date',
			message: `End Date is not a date (got "${String(end).slice(0, 40)}")`,
		};
	if (startMs > endMs)
		return { field: 'Start Date', message: 'Start Date is after End Date: the range is inverted' };
	if (endMs - startMs > MAX_RANGE_MS)
		return {
			field: 'Date Range',
			message: 'The range from Start Date to End Date is longer than one year',
		};
	return { preset: 'custom', startMs, endMs };
}

export function isRangeProblem(value: DateRange | RangeProblem): value is RangeProblem {
	return (value as RangeProblem).field !== undefined;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, the format of /spend/logs/ui. */
export function liteLlmDateTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DD` in UTC, the format of /spend/logs and the daily activity routes. */
export function liteLlmDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** True when the range covers whole UTC days, or runs from a midnight up to the time of reading. */
export function isWholeDays(range: DateRange, nowMs: number): boolean {
	if (range.startMs !== startOfUtcDay(range.startMs)) return false;
	if (range.endMs >= nowMs - 1000) return true;
	// An inclusive end within the last second of a day (23:59:59 or 23:59:59.999).
	return range.endMs % DAY_MS >= DAY_MS - 1000;
}
