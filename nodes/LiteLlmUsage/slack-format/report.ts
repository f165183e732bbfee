/** The Spend Report as one line and as Slack blocks. */
import type { IDataObject } from 'n8n-workflow';

import type { SpendReportJson } from '../output-types';
import {
	context,
	divider,
	fields,
	formatCount,
	formatPercent,
	formatUsd,
	header,
	section,
	tableSection,
} from './format';

const PRESET_NAMES: Record<string, string> = {
	today: 'today',
	last7Days: 'last 7 days',
	thisMonth: 'this month',
	lastMonth: 'last month',
};

export function periodName(range: SpendReportJson['range']): string {
	return (
		PRESET_NAMES[range.preset] ??
		`${range.start.slice(0, 16).replace('T', ' ')} to ${range.end.slice(0, 16).replace('T', ' ')} UTC`
	);
}

const GROUP_NAMES: Record<string, string> = { endUser: 'end user' };

function groupingName(groupBy: string[]): string {
	return groupBy.map((g) => GROUP_NAMES[g] ?? g).join(' and ');
}

export function reportText(r: SpendReportJson): string {
	const t = r.totals;
	const parts = [`${formatCount(t.requests)} requests`];
	if (t.failedRequests) parts.push(`${formatCount(t.failedRequests)} failed`);
	if (t.unpricedRequests) parts.push(`${formatCount(t.unpricedRequests)} unpriced`);
	const top = r.groups[0];
	const topText = top
		? `; top ${groupingName(r.groupBy)}: ${top.group} ${formatUsd(top.costUsd)} (${formatPercent(top.sharePercent)})`
		: '';
	const incomplete = r.complete ? '' : ` INCOMPLETE: ${r.rowsRead} of ${r.rowsExpected} rows read.`;
	return `LiteLLM spend ${periodName(r.range)}: ${formatUsd(t.costUsd)} over ${parts.join(', ')}${topText}. Read ${r.readAt.slice(0, 19).replace('T', ' ')} UTC from ${r.source === 'dailyActivity' ? 'daily activity' : 'spend logs'}.${incomplete}`;
}

export function reportBlocks(r: SpendReportJson): IDataObject[] {
	const t = r.totals;
	const blocks: IDataObject[] = [
		header(`LiteLLM spend · ${periodName(r.range)}`),
		fields([
			['Cost', formatUsd(t.costUsd)],
			['Requests', `${formatCount(t.requests)} (${formatCount(t.failedRequests)} failed)`],
			['Tokens', formatCount(t.totalTokens)],
			[
				'Unpriced',
				t.unpricedRequests === null
					? 'not visible in daily activity'
					: `${formatCount(t.unpricedRequests)} requests, ${formatCount(Number(t.unpricedTokens ?? 0))} tokens`,
			],
		]),
	];
	if (!r.complete)
		blocks.push(
			section(`:warning: *Incomplete*: ${r.rowsRead} of ${r.rowsExpected} rows were read.`),
		);
	if (r.groups.length) {
		const rows = [[groupingName(r.groupBy), 'cost', 'share', 'requests']];
		for (const g of r.groups)
			rows.push([
				g.group.slice(0, 48),
				formatUsd(g.costUsd),
				formatPercent(g.sharePercent),
				formatCount(g.requests),
			]);
		if (r.others.groups)
			rows.push([
				`${r.others.groups} more`,
				formatUsd(r.others.costUsd),
				'',
				formatCount(r.others.requests),
			]);
		blocks.push(divider(), tableSection(rows, 25));
	}
	blocks.push(
		context(
			`Read ${r.readAt.slice(0, 19).replace('T', ' ')} UTC · ${r.source === 'dailyActivity' ? 'daily activity' : 'spend logs'} · ${r.rowsRead} rows · spend lags about 10 s`,
		),
	);
	return blocks;
}
