/**
 * Savings vs OpenRouter: the period's priced tokens per model, priced again with OpenRouter's list, beside
 * what LiteLLM billed. Matching rules and what is left out: aggregation/savings.ts.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { settle } from '../../shared/settle';
import { liteLlmConnection } from '../../shared/transport/litellm';
import { openRouterConnection, openRouterRequest } from '../../shared/transport/openrouter';
import { compareWithOpenRouter, readOpenRouterModels } from '../aggregation/savings';
import { readOptions, readRange, readSource } from '../params';
import { periodName } from '../slack-format/report';
import { savingsBlocks, savingsText } from '../slack-format/savings';
import { readFailure } from './errors';
import { aggregateSpend, decideSource, type SourceDecision } from './report-source';
import { SPEND_WRITE_NOTE } from './spendReport.operation';

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const nowMs = Date.now();
	const range = readRange(ctx, i, nowMs);
	const options = readOptions(ctx, i);
	const choice = readSource(ctx, i);
	const mapping = readMapping(ctx, i);
	// Per-row data by default: unpriced rows must stay out of the comparison, and the provider helps matching.
	const decision: SourceDecision =
		choice === 'dailyActivity'
			? decideSource(ctx, i, choice, ['model'], range, nowMs)
			: {
					source: 'spendLogs',
					reason:
						'savings need per-request rows: unpriced requests are left out and the provider helps matching',
				};
	const litellm = await liteLlmConnection(ctx);
	const openRouter = await openRouterConnection(ctx);

	const prices = await settle(
		openRouterRequest<unknown>(ctx, openRouter, {
			method: 'GET',
			path: '/models',
			timeoutMs: options.timeoutMs,
		}),
	);
	if (!prices.ok)
		throw readFailure(ctx, i, prices.error, openRouter.secrets, "OpenRouter's model list");
	const catalogue = readOpenRouterModels(prices.value.data);

	const run = await aggregateSpend(ctx, i, litellm, range, ['model'], decision, options);
	const result = compareWithOpenRouter(
		run.aggregator.result('cost', 0).groups,
		catalogue.models,
		mapping,
	);
	const readAt = new Date(Date.now()).toISOString();
	const json = {
		operation: 'savings',
		readAt,
		range: {
			preset: range.preset,
			start: new Date(range.startMs).toISOString(),
			end: new Date(range.endMs).toISOString(),
		},
		period: '',
		source: decision.source,
		sourceReason: decision.reason,
		complete: run.complete,
		rowsRead: run.stats.rowsRead,
		rowsExpected: run.stats.rowsExpected,
		openRouterModelsPriced: catalogue.models.size,
		...result.totals,
		models: result.lines,
		unmatchedModels: result.unmatched,
		unmatchedCostUsd: result.unmatchedCostUsd,
		unpricedRequests: decision.source === 'spendLogs' ? result.unpricedRequests : null,
		unpricedTokens: decision.source === 'spendLogs' ? result.unpricedTokens : null,
		matching:
			'mapping, then exact OpenRouter id, then provider slug + model name, then a unique name match; never fuzzy',
		notes: [
			SPEND_WRITE_NOTE,
			'OpenRouter cost = priced prompt tokens × pricing.prompt + priced completion tokens × pricing.completion (per-request and image fees, cache discounts and BYOK fees not included).',
		],
	};
	json.period = periodName(json.range);
	return [{ text: savingsText(json), blocks: savingsBlocks(json), ...json }];
}

function readMapping(ctx: IExecuteFunctions, i: number): Record<string, string> {
	const raw = ctx.getNodeParameter('modelMapping', i, {}) as IDataObject;
	const entries = (raw.entries ?? []) as Array<{ liteLlmModel?: string; openRouterModel?: string }>;
	const mapping: Record<string, string> = {};
	for (const e of entries) {
		const from = String(e.liteLlmModel ?? '').trim();
		const to = String(e.openRouterModel ?? '').trim();
		if (from && to) mapping[from] = to;
	}
	return mapping;
}
