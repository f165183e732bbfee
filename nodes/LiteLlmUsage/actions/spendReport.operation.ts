/** Spend Report: totals per group over a period, from spend logs or daily activity, with the source stated. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { liteLlmConnection } from '../../shared/transport/litellm';
import { roundUsd } from '../aggregation/money';
import type { FoldResult, GroupResult } from '../aggregation/spend-fold';
import type { SpendReportJson } from '../output-types';
import { readGroupBy, readOptions, readRange, readSortAndTop, readSource } from '../params';
import { reportBlocks, reportText } from '../slack-format/report';
import { aggregateSpend, decideSource } from './report-source';
import { roundPercent } from '../aggregation/percent';

export const SPEND_WRITE_NOTE =
	'LiteLLM writes spend to its database in batches about every 10 s: requests of the last seconds before the time of reading may be missing.';

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const nowMs = Date.now();
	const range = readRange(ctx, i, nowMs);
	const groupBy = readGroupBy(ctx, i);
	const { sortBy, topN } = readSortAndTop(ctx, i);
	const options = readOptions(ctx, i);
	const decision = decideSource(ctx, i, readSource(ctx, i), groupBy, range, nowMs);
	const connection = await liteLlmConnection(ctx);

	const run = await aggregateSpend(ctx, i, connection, range, groupBy, decision, options);
	const result = run.aggregator.result(sortBy, topN);
	const readAt = new Date(Date.now()).toISOString();
	const unpricedKnown = decision.source === 'spendLogs';
	const report = {
		operation: 'spendReport',
		readAt,
		range: {
			preset: range.preset,
			start: new Date(range.startMs).toISOString(),
			end: new Date(range.endMs).toISOString(),
		},
		groupBy,
		sortBy,
		topN,
		source: decision.source,
		sourceRoute: run.stats.route,
		sourceReason: decision.reason,
		complete: run.complete,
		rowsRead: run.stats.rowsRead,
		rowsExpected: run.stats.rowsExpected,
		pagesRead: run.stats.pagesRead,
		retries: run.stats.retries,
		unpricedKnown,
		totals: totalsJson(result, unpricedKnown),
		groups: result.groups.map((g) => groupJson(g, unpricedKnown, result.totals.costUsd)),
		others: result.others,
		groupCount: result.groupCount,
		notes: notes(unpricedKnown, groupBy),
	};
	return [{ text: reportText(report), blocks: reportBlocks(report), ...report }];
}

function totalsJson(result: FoldResult, unpricedKnown: boolean): SpendReportJson['totals'] {
	const t = result.totals;
	return {
		...t,
		costUsdRounded: roundUsd(t.costUsd),
		unpricedRequests: unpricedKnown ? t.unpricedRequests : null,
		unpricedTokens: unpricedKnown ? t.unpricedTokens : null,
	};
}

function groupJson(
	g: GroupResult,
	unpricedKnown: boolean,
	totalCost: number,
): SpendReportJson['groups'][number] {
	return {
		...g,
		labels: g.labels as IDataObject,
		costUsdRounded: roundUsd(g.costUsd),
		sharePercent: totalCost > 0 ? roundPercent((g.costUsd / totalCost) * 100) : 0,
		unpricedRequests: unpricedKnown ? g.unpricedRequests : null,
		unpricedTokens: unpricedKnown ? g.unpricedTokens : null,
	} as SpendReportJson['groups'][number];
}

function notes(unpricedKnown: boolean, groupBy: string[]): string[] {
	const out = [SPEND_WRITE_NOTE];
	if (!unpricedKnown)
		out.push(
			'Daily activity has no per-request rows: unpriced requests (tokens at $0) cannot be counted; use Data Source "Spend Logs" to see them.',
		);
	if (groupBy.includes('tag'))
		out.push(
			'A request with several tags counts in each of its tag groups, so tag groups add up to more than the total.',
		);
	return out;
}
