/**
 * Reads `/spend/logs/ui` page by page and folds each page into the aggregator as it arrives, the next page
 * already requested while one is folded.
 *
 * Why this route and not `/spend/logs?start_date&end_date&summarize=false`: the latter has no paging at all; it
 * answers every row of the range in one body (newest first), so memory and the body size grow with the row
 * count (a month of a busy proxy is hundreds of MB, above the transport's 32 MB cap). `/spend/logs/ui` pages
 * with `page` and `page_size` (at most 100) and says `total` and `total_pages`, which lets the fold stop cleanly
 * at the last page and check that every row was read. Its dates take `YYYY-MM-DD HH:MM:SS` (UTC), so the
 * range is exact to the second; the end is fixed at the time of reading, so rows written while paging (newest
 * first) do not shift the pages.
 *
 * A page that fails is retried once (after 500 ms); a second failure fails the whole report: no partial report
 * is ever presented as complete.
 */
import { sleep } from 'n8n-workflow';

import { GatewayError } from '../../shared/errors/classes';
import { settle } from '../../shared/settle';
import { type HttpContext } from '../../shared/transport/http';
import { type LiteLlmConnection, liteLlmRequest } from '../../shared/transport/litellm';
import { type DateRange, liteLlmDateTime } from '../aggregation/date-range';
import type { SpendLogRowLike } from '../aggregation/spend-row';

export const SPEND_LOGS_PAGE_SIZE_MAX = 100;

export interface SpendLogsPage {
	data?: SpendLogRowLike[];
	total?: number;
	page?: number;
	page_size?: number;
	total_pages?: number;
}

export interface PagedReadStats {
	route: string;
	pagesRead: number;
	rowsRead: number;
	/** `total` as the first page stated it. */
	rowsExpected: number;
	retries: number;
}

/** A page failed twice; carries the page, so the message can say which. */
export class PageFailedError extends Error {
	constructor(
		readonly page: number,
		readonly totalPages: number | undefined,
		readonly failure: unknown,
	) {
		const times = isRetryable(failure) ? 'failed twice' : 'failed';
		super(`page ${page}${totalPages ? ` of ${totalPages}` : ''} ${times}`);
		this.name = 'PageFailedError';
	}
}

/** Errors worth one more try: transport, timeouts, 5xx, 429, and bodies that are not the JSON expected. */
export function isRetryable(error: unknown): boolean {
	if (!(error instanceof GatewayError)) return false;
	if (
		[
			'connection',
			'timeout',
			'protocol',
			'rate_limited',
			'service_unavailable',
			'upstream_provider',
			'no_deployments',
		].includes(error.kind)
	) {
		return true;
	}
	return error.status !== undefined && error.status >= 500;
}

/** One call with a single retry for retryable failures. */
export async function withOneRetry<T>(
	call: () => Promise<T>,
	onRetry: () => void,
	retryDelayMs = 500,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
	const first = await settle(call());
	if (first.ok || !isRetryable(first.error)) return first;
	onRetry();
	await sleep(retryDelayMs);
	return await settle(call());
}

export async function foldSpendLogPages(
	ctx: HttpContext,
	connection: LiteLlmConnection,
	range: DateRange,
	onPage: (rows: SpendLogRowLike[]) => void,
	options: { pageSize?: number; timeoutMs?: number; retryDelayMs?: number } = {},
): Promise<PagedReadStats> {
	const pageSize = Math.min(
		SPEND_LOGS_PAGE_SIZE_MAX,
		Math.max(1, options.pageSize ?? SPEND_LOGS_PAGE_SIZE_MAX),
	);
	const stats: PagedReadStats = {
		route: '/spend/logs/ui',
		pagesRead: 0,
		rowsRead: 0,
		rowsExpected: 0,
		retries: 0,
	};
	let totalPages: number | undefined;
	const fetchPage = async (page: number) =>
		await withOneRetry(
			async () =>
				await liteLlmRequest<SpendLogsPage>(ctx, connection, {
					method: 'GET',
					path: '/spend/logs/ui',
					qs: {
						start_date: liteLlmDateTime(range.startMs),
						end_date: liteLlmDateTime(range.endMs),
						page,
						page_size: pageSize,
					},
					timeoutMs: options.timeoutMs,
				}),
			() => (stats.retries += 1),
			options.retryDelayMs,
		);
	// One page is always on its way while the one before is parsed and folded, so the proxy and the fold work
	// at the same time; at most two pages are held. withOneRetry never rejects, so a page fetched ahead and
	// left unread (the fold failed) cannot surface as an unhandled rejection.
	let pending = fetchPage(1);
	for (let page = 1; ; page++) {
		const outcome = await pending;
		if (!outcome.ok) throw new PageFailedError(page, totalPages, outcome.error);
		const body = outcome.value.data;
		const rows = Array.isArray(body?.data) ? body.data : undefined;
		if (!rows)
			throw new PageFailedError(page, totalPages, new Error('the page has no "data" array'));
		if (totalPages === undefined) {
			totalPages = Number.isInteger(body.total_pages) ? Number(body.total_pages) : 1;
			stats.rowsExpected = Number.isInteger(body.total) ? Number(body.total) : rows.length;
		}
		const last = page >= totalPages || rows.length === 0;
		if (!last) pending = fetchPage(page + 1);
		onPage(rows);
		stats.pagesRead += 1;
		stats.rowsRead += rows.length;
		if (last) break;
	}
	return stats;
}
