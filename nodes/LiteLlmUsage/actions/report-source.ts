/**
 * Runs the spend aggregation from the source the grouping allows: daily activity when it can answer (one
 * request per 1000 days), else spend-log pages. Shared by Spend Report and Savings vs OpenRouter.
 */
import { type IExecuteFunctions, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { GatewayError } from '../../shared/errors/classes';
import { toNodeApiError } from '../../shared/errors/to-node-error';
import { redactText } from '../../shared/redact';
import { settle } from '../../shared/settle';
import type { LiteLlmConnection } from '../../shared/transport/litellm';
import { type DateRange, isWholeDays } from '../aggregation/date-range';
import { SpendAggregator } from '../aggregation/spend-fold';
import type { Grouping } from '../aggregation/spend-row';
import type { ReadOptions, SourceChoice } from '../params';
import { ACTIVITY_GROUPINGS, foldDailyActivity } from '../source/daily-activity';
import { foldSpendLogPages, PageFailedError, type PagedReadStats } from '../source/spend-logs';

export interface SourceDecision {
	source: 'spendLogs' | 'dailyActivity';
	reason: string;
}

export function decideSource(
	ctx: IExecuteFunctions,
	i: number,
	choice: SourceChoice,
	groupBy: Grouping[],
	range: DateRange,
	nowMs: number,
): SourceDecision {
	const groupingFits = groupBy.length === 1 && ACTIVITY_GROUPINGS.includes(groupBy[0]);
	const daysFit = isWholeDays(range, nowMs);
	if (choice === 'spendLogs')
		return {
			source: 'spendLogs',
			reason: 'chosen in the node (every row read; unpriced rows seen)',
		};
	if (choice === 'dailyActivity') {
		if (!groupingFits) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Data Source "Daily Activity" cannot group by ${groupBy.join(' and ')}: it serves one of ${ACTIVITY_GROUPINGS.join(', ')}`,
				{ itemIndex: i, description: 'Fix the "Data Source" or "Group By" field' },
			);
		}
		if (!daysFit) {
			throw new NodeOperationError(
				ctx.getNode(),
				'Data Source "Daily Activity" counts whole UTC days: the custom range must start at 00:00 and end at 23:59:59 UTC or now',
				{ itemIndex: i, description: 'Fix the "Data Source" or the dates' },
			);
		}
		return {
			source: 'dailyActivity',
			reason: 'chosen in the node (per-day totals; unpriced rows cannot be seen)',
		};
	}
	if (groupingFits && daysFit) {
		return {
			source: 'dailyActivity',
			reason: `auto: grouping by ${groupBy[0]} over whole days is answered by daily activity, far fewer requests than spend logs (unpriced rows cannot be seen there)`,
		};
	}
	return {
		source: 'spendLogs',
		reason: groupingFits
			? 'auto: the range is not whole UTC days, so spend logs (every row) were read'
			: `auto: grouping by ${groupBy.join(' and ')} needs the rows, so spend logs were read`,
	};
}

export interface AggregationRun {
	aggregator: SpendAggregator;
	stats: PagedReadStats;
	decision: SourceDecision;
	complete: boolean;
}

export async function aggregateSpend(
	ctx: IExecuteFunctions,
	i: number,
	connection: LiteLlmConnection,
	range: DateRange,
	groupBy: Grouping[],
	decision: SourceDecision,
	options: ReadOptions,
): Promise<AggregationRun> {
	const aggregator = new SpendAggregator(groupBy);
	const outcome = await settle(
		decision.source === 'dailyActivity'
			? foldDailyActivity(ctx, connection, range, groupBy[0], aggregator, {
					timeoutMs: options.timeoutMs,
				})
			: foldSpendLogPages(ctx, connection, range, (rows) => aggregator.addRows(rows), {
					pageSize: options.pageSize,
					timeoutMs: options.timeoutMs,
				}),
	);
	if (!outcome.ok) throw readError(ctx, i, outcome.error, connection.secrets, decision);
	const stats = outcome.value;
	return { aggregator, stats, decision, complete: stats.rowsRead >= stats.rowsExpected };
}

/** A failed page becomes a NodeApiError saying which page and that no report was made. */
function readError(
	ctx: IExecuteFunctions,
	i: number,
	error: unknown,
	secrets: string[],
	decision: SourceDecision,
): Error {
	const what = decision.source === 'dailyActivity' ? 'Daily activity' : 'Spend logs';
	if (error instanceof PageFailedError) {
		const prefix = `${what} ${error.message}, so no report was made (a partial one would understate spend). `;
		if (error.failure instanceof GatewayError)
			return withPrefix(toNodeApiError(ctx.getNode(), error.failure, i, secrets, prefix), prefix);
		const detail = redactText(
			error.failure instanceof Error ? error.failure.message : String(error.failure),
			secrets,
		);
		return new NodeApiError(
			ctx.getNode(),
			{ message: prefix + detail },
			{ message: prefix + detail, itemIndex: i },
		);
	}
	if (error instanceof GatewayError) return toNodeApiError(ctx.getNode(), error, i, secrets);
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	const message = redactText(error instanceof Error ? error.message : String(error), secrets);
	return new NodeOperationError(ctx.getNode(), message, { itemIndex: i });
}

/**
 * n8n replaces a message that mentions a common error code (ECONNRESET…) with its own prose; the page and the
 * "no report" part must survive that, so they are put back in front.
 */
export function withPrefix(error: NodeApiError, prefix: string): NodeApiError {
	if (!error.message.startsWith(prefix)) error.message = `${prefix}${error.message}`;
	return error;
}
