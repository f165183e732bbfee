/**
 * Budget Check: thresholds of each key's and team's `max_budget` (and an optional monthly budget for the whole
 * proxy), with a projection to the period end. Emits one item per NEW crossing only; what was reported is kept
 * in the workflow's static data (`budgetMemory`, per entity) until the budget resets.
 */
import { type IDataObject, type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { settle } from '../../shared/settle';
import { liteLlmConnection } from '../../shared/transport/litellm';
import {
	type BudgetEntity,
	type BudgetEvaluation,
	type BudgetMemory,
	evaluateBudget,
	parseThresholds,
	readMemory,
} from '../aggregation/budget';
import { presetRange } from '../aggregation/date-range';
import { SpendAggregator } from '../aggregation/spend-fold';
import { nonNegative, readOptions } from '../params';
import { budgetBlocks, budgetText } from '../slack-format/alerts';
import { foldDailyActivity } from '../source/daily-activity';
import { listKeys, listTeams } from '../source/keys-and-teams';
import { readFailure } from './errors';

export const MEMORY_FIELD = 'budgetMemory';

export interface BudgetAlertJson extends IDataObject {
	operation: 'budgetCheck';
	readAt: string;
	entityType: 'key' | 'team' | 'proxy';
	entity: string;
	entityId: string;
	threshold: number;
	newThresholds: number[];
	percentUsed: number;
	spendUsd: number;
	maxBudgetUsd: number;
	remainingUsd: number;
	budgetDuration: string | null;
	budgetResetAt: string | null;
	wasReset: boolean;
	periodStart: string | null;
	periodEnd: string | null;
	projectedSpendUsd: number | null;
	projectedPercent: number | null;
	projectedExhaustedAt: string | null;
}

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const thresholds = parseThresholds(ctx.getNodeParameter('thresholds', i, '50, 80, 95, 100'));
	if (typeof thresholds === 'string') {
		throw new NodeOperationError(ctx.getNode(), `Thresholds (%): ${thresholds}`, { itemIndex: i, description: 'Fix the "Thresholds (%)" field: numbers above 0 and at most 1000, comma-separated' });
	}
	const scope = ctx.getNodeParameter('budgetScope', i, ['keys', 'teams']) as string[];
	const proxyBudget = nonNegative(ctx, i, 'proxyMonthlyBudget', 'Proxy Monthly Budget (USD)');
	const options = readOptions(ctx, i);
	const connection = await liteLlmConnection(ctx);
	const nowMs = Date.now();
	const entities: BudgetEntity[] = [];

	if (scope.includes('keys')) {
		const keys = await settle(listKeys(ctx, connection, options.timeoutMs));
		if (!keys.ok) throw readFailure(ctx, i, keys.error, connection.secrets, 'the key list');
		for (const k of keys.value) {
			if (k.maxBudgetUsd === null || k.maxBudgetUsd <= 0) continue;
			entities.push({
				kind: 'key',
				id: `key:${k.token.slice(0, 12)}`,
				label: k.keyAlias ? `${k.keyAlias} (${k.keyName})` : k.keyName,
				spendUsd: k.spendUsd,
				maxBudgetUsd: k.maxBudgetUsd,
				budgetDuration: k.budgetDuration,
				budgetResetAt: k.budgetResetAt,
			});
		}
	}
	if (scope.includes('teams')) {
		const teams = await settle(listTeams(ctx, connection, options.timeoutMs));
		if (!teams.ok) throw readFailure(ctx, i, teams.error, connection.secrets, 'the team list');
		for (const t of teams.value) {
			if (t.maxBudgetUsd === null || t.maxBudgetUsd <= 0) continue;
			entities.push({
				kind: 'team',
				id: `team:${t.teamId}`,
				label: t.teamAlias ? `${t.teamAlias} (${t.teamId})` : t.teamId,
				spendUsd: t.spendUsd,
				maxBudgetUsd: t.maxBudgetUsd,
				budgetDuration: t.budgetDuration,
				budgetResetAt: t.budgetResetAt,
			});
		}
	}
	if (proxyBudget > 0) {
		const aggregator = new SpendAggregator(['day']);
		const month = presetRange('thisMonth', nowMs);
		const read = await settle(foldDailyActivity(ctx, connection, month, 'day', aggregator, { timeoutMs: options.timeoutMs }));
		if (!read.ok) throw readFailure(ctx, i, read.error, connection.secrets, 'this month\'s daily activity');
		entities.push({
			kind: 'proxy',
			id: 'proxy',
			label: 'all keys',
			spendUsd: aggregator.result().totals.costUsd,
			maxBudgetUsd: proxyBudget,
			period: new Date(nowMs).toISOString().slice(0, 7),
		});
	}

	const staticData = ctx.getWorkflowStaticData('node');
	const memory = readMemory(staticData[MEMORY_FIELD]);
	const evaluated = entities.map((e) => evaluateBudget(e, thresholds, memory[e.id], nowMs));
	staticData[MEMORY_FIELD] = nextMemory(memory, evaluated, scope, proxyBudget > 0) as unknown as IDataObject;

	const readAt = new Date(nowMs).toISOString();
	return evaluated
		.filter((e) => e.threshold !== undefined)
		.sort((a, b) => (b.threshold ?? 0) - (a.threshold ?? 0) || b.percentUsed - a.percentUsed)
		.map((e) => {
			const json = alertJson(e, readAt);
			return { text: budgetText(json), blocks: budgetBlocks(json), ...json };
		});
}

/** The memory after this run: evaluated entities updated, entities of unchecked kinds kept, vanished ones dropped. */
function nextMemory(before: BudgetMemory, evaluated: BudgetEvaluation[], scope: string[], proxyChecked: boolean): BudgetMemory {
	const checked = (id: string) =>
		(id.startsWith('key:') && scope.includes('keys')) || (id.startsWith('team:') && scope.includes('teams')) || (id === 'proxy' && proxyChecked);
	const next: BudgetMemory = {};
	for (const [id, entry] of Object.entries(before)) if (!checked(id)) next[id] = entry;
	for (const e of evaluated) next[e.entity.id] = e.memory;
	return next;
}

function alertJson(e: BudgetEvaluation, readAt: string): BudgetAlertJson {
	const p = e.projection;
	return {
		operation: 'budgetCheck',
		readAt,
		entityType: e.entity.kind,
		entity: e.entity.label,
		entityId: e.entity.id,
		threshold: e.threshold ?? 0,
		newThresholds: e.newThresholds,
		percentUsed: e.percentUsed,
		spendUsd: e.entity.spendUsd,
		maxBudgetUsd: e.entity.maxBudgetUsd,
		remainingUsd: e.entity.maxBudgetUsd - e.entity.spendUsd,
		budgetDuration: e.entity.budgetDuration ?? null,
		budgetResetAt: e.entity.budgetResetAt ?? null,
		wasReset: e.wasReset,
		periodStart: p?.periodStart ?? null,
		periodEnd: p?.periodEnd ?? null,
		projectedSpendUsd: p?.projectedSpendUsd ?? null,
		projectedPercent: p?.projectedPercent ?? null,
		projectedExhaustedAt: p?.projectedExhaustedAt ?? null,
	};
}
