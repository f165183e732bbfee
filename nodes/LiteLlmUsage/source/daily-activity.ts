/**
 * Reads `/user/daily/activity` (or `/team/daily/activity` for teams) and folds its per-day breakdown into the
 * aggregator: one request per 1000 days instead of one per 100 spend-log rows. It answers per whole UTC day and
 * carries no per-row data, so it serves only groupings by day, model, provider, key and team, and it cannot
 * tell unpriced rows (the report says so).
 */
import type { HttpContext } from '../../shared/transport/http';
import { type LiteLlmConnection, liteLlmRequest } from '../../shared/transport/litellm';
import { type DateRange, liteLlmDate } from '../aggregation/date-range';
import type { ActivityMetrics, SpendAggregator } from '../aggregation/spend-fold';
import type { GroupKey, Grouping } from '../aggregation/spend-row';
import { PageFailedError, type PagedReadStats, withOneRetry } from './spend-logs';

export const ACTIVITY_GROUPINGS: Grouping[] = ['day', 'model', 'provider', 'key', 'team'];

interface BreakdownEntry {
	metrics?: ActivityMetrics;
	metadata?: Record<string, unknown>;
}

export interface ActivityDay {
	date?: string;
	metrics?: ActivityMetrics;
	breakdown?: Record<string, Record<string, BreakdownEntry> | undefined>;
}

interface ActivityPage {
	results?: ActivityDay[];
	metadata?: { page?: number; total_pages?: number; has_more?: boolean };
}

function keysFor(
	grouping: Grouping,
	day: ActivityDay,
): Array<{ key: GroupKey; metrics: ActivityMetrics }> {
	if (grouping === 'day')
		return [{ key: { id: String(day.date), label: String(day.date) }, metrics: day.metrics ?? {} }];
	const part = { model: 'models', provider: 'providers', key: 'api_keys', team: 'entities' }[
		grouping as 'model'
	];
	const breakdown = day.breakdown?.[part] ?? {};
	return Object.entries(breakdown).map(([id, entry]) => {
		let label = id;
		if (grouping === 'key') {
			const alias = typeof entry.metadata?.key_alias === 'string' ? entry.metadata.key_alias : '';
			label = alias ? `${alias} (${id.slice(0, 12)})` : `key ${id.slice(0, 12)}`;
		} else if (grouping === 'team') {
			const alias = typeof entry.metadata?.team_alias === 'string' ? entry.metadata.team_alias : '';
			label = alias ? `${alias} (${id})` : id;
		}
		return { key: { id, label }, metrics: entry.metrics ?? {} };
	});
}

/**
 * Reads every page of a daily-activity route for `range` (each retried once) and hands each page's days to
 * `onDays`; a page that cannot be read, or has no `results` array, fails the read with `PageFailedError`.
 */
export async function readActivityPages(
	ctx: HttpContext,
	connection: LiteLlmConnection,
	route: string,
	range: DateRange,
	onDays: (days: ActivityDay[]) => void,
	options: { timeoutMs?: number; retryDelayMs?: number; onRetry?: () => void } = {},
): Promise<void> {
	let totalPages: number | undefined;
	for (let page = 1; ; page++) {
		const outcome = await withOneRetry(
			async () =>
				await liteLlmRequest<ActivityPage>(ctx, connection, {
					method: 'GET',
					path: route,
					qs: {
						start_date: liteLlmDate(range.startMs),
						end_date: liteLlmDate(range.endMs),
						page,
						page_size: 1000,
					},
					timeoutMs: options.timeoutMs,
				}),
			() => options.onRetry?.(),
			options.retryDelayMs,
		);
		if (!outcome.ok) throw new PageFailedError(page, totalPages, outcome.error);
		const body = outcome.value.data;
		if (!Array.isArray(body?.results))
			throw new PageFailedError(page, totalPages, new Error('the page has no "results" array'));
		totalPages ??= Number.isInteger(body.metadata?.total_pages)
			? Number(body.metadata?.total_pages)
			: 1;
		onDays(body.results);
		if (page >= totalPages || body.results.length === 0) break;
	}
}

export async function foldDailyActivity(
	ctx: HttpContext,
	connection: LiteLlmConnection,
	range: DateRange,
	grouping: Grouping,
	aggregator: SpendAggregator,
	options: { timeoutMs?: number; retryDelayMs?: number } = {},
): Promise<PagedReadStats> {
	const route = grouping === 'team' ? '/team/daily/activity' : '/user/daily/activity';
	const stats: PagedReadStats = { route, pagesRead: 0, rowsRead: 0, rowsExpected: 0, retries: 0 };
	await readActivityPages(
		ctx,
		connection,
		route,
		range,
		(days) => {
			for (const day of days) {
				aggregator.addMetrics(null, day.metrics ?? {}, true);
				for (const { key, metrics } of keysFor(grouping, day))
					aggregator.addMetrics([[key]], metrics, false);
			}
			stats.pagesRead += 1;
			stats.rowsRead += days.length;
			stats.rowsExpected += days.length;
		},
		{ ...options, onRetry: () => (stats.retries += 1) },
	);
	return stats;
}
