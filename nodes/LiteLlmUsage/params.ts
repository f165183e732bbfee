/**
 * Reading and checking the node's parameters. Every bad value is a NodeOperationError naming the field, raised
 * before any request is sent.
 */
import { type IDataObject, type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import {
	customRange,
	DATE_PRESETS,
	type DatePreset,
	type DateRange,
	isRangeProblem,
	presetRange,
} from './aggregation/date-range';
import type { SortBy } from './aggregation/spend-fold';
import { GROUPINGS, type Grouping } from './aggregation/spend-row';

function fieldError(
	ctx: IExecuteFunctions,
	message: string,
	itemIndex: number,
	field: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex,
		description: `Fix the "${field}" field`,
	});
}

export function readRange(ctx: IExecuteFunctions, i: number, nowMs: number): DateRange {
	const preset = String(ctx.getNodeParameter('datePreset', i, 'last7Days')) as DatePreset;
	if (!DATE_PRESETS.includes(preset)) {
		throw fieldError(
			ctx,
			`Date Range "${preset}" is not one of ${DATE_PRESETS.join(', ')}`,
			i,
			'Date Range',
		);
	}
	if (preset !== 'custom') return presetRange(preset, nowMs);
	const range = customRange(
		ctx.getNodeParameter('startDate', i, ''),
		ctx.getNodeParameter('endDate', i, ''),
		nowMs,
	);
	if (isRangeProblem(range)) throw fieldError(ctx, range.message, i, range.field);
	return range;
}

export function readGroupBy(ctx: IExecuteFunctions, i: number): Grouping[] {
	const raw = ctx.getNodeParameter('groupBy', i, ['model']) as unknown;
	const list = (Array.isArray(raw) ? raw : String(raw).split(','))
		.map((g) => String(g).trim())
		.filter(Boolean);
	if (!list.length)
		throw fieldError(ctx, 'Group By is empty: pick at least one grouping', i, 'Group By');
	if (list.length > 2)
		throw fieldError(
			ctx,
			'Group By takes at most two groupings (e.g. Key and Model)',
			i,
			'Group By',
		);
	for (const g of list) {
		if (!GROUPINGS.includes(g as Grouping)) {
			throw fieldError(
				ctx,
				`Group By "${g.slice(0, 40)}" is unknown; use one of ${GROUPINGS.join(', ')}`,
				i,
				'Group By',
			);
		}
	}
	return [...new Set(list)] as Grouping[];
}

export function readSortAndTop(
	ctx: IExecuteFunctions,
	i: number,
): { sortBy: SortBy; topN: number } {
	const sortBy = String(ctx.getNodeParameter('sortBy', i, 'cost')) as SortBy;
	if (!['cost', 'requests', 'tokens', 'name'].includes(sortBy))
		throw fieldError(ctx, `Sort By "${sortBy}" is unknown`, i, 'Sort By');
	const topN = Number(ctx.getNodeParameter('topN', i, 10));
	if (!Number.isInteger(topN) || topN < 0)
		throw fieldError(ctx, 'Top N must be a whole number, 0 for all groups', i, 'Top N');
	return { sortBy, topN };
}

export type SourceChoice = 'auto' | 'spendLogs' | 'dailyActivity';

export function readSource(ctx: IExecuteFunctions, i: number): SourceChoice {
	const source = String(ctx.getNodeParameter('source', i, 'auto')) as SourceChoice;
	if (!['auto', 'spendLogs', 'dailyActivity'].includes(source))
		throw fieldError(ctx, `Data Source "${source}" is unknown`, i, 'Data Source');
	return source;
}

export interface ReadOptions {
	timeoutMs: number;
	pageSize: number;
}

export function readOptions(ctx: IExecuteFunctions, i: number): ReadOptions {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const timeoutMs = Number(options.requestTimeout ?? 60_000);
	if (!Number.isFinite(timeoutMs) || timeoutMs < 100)
		throw fieldError(ctx, 'Request Timeout (Ms) must be at least 100', i, 'Request Timeout (Ms)');
	const pageSize = Number(options.pageSize ?? 100);
	if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
		throw fieldError(
			ctx,
			'Page Size must be a whole number from 1 to 100 (LiteLLM caps /spend/logs/ui at 100)',
			i,
			'Page Size',
		);
	}
	return { timeoutMs, pageSize };
}
