/**
 * The budget check both the Usage node's Budget Check and the LiteLLM Budget Trigger run: read the budget
 * parameters, read each key's and team's `max_budget` (and this month's proxy spend), decide which threshold
 * crossings are new against the memory in the workflow's static data (`budgetMemory`, per entity, cleared by a
 * budget reset), write the memory back, and shape one item per new crossing (text, Slack blocks, numbers).
 * With the memory in Infisical (alert-markers.ts) the static data is not used: a marker secret per crossing,
 * claimed before sending, lets exactly one run across all workers report it.
 */
import {
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type IPollFunctions,
	NodeOperationError,
} from 'n8n-workflow';

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
import type { BudgetAlertJson } from '../output-types';
import { budgetBlocks, budgetText } from '../slack-format/alerts';
import { foldDailyActivity } from '../source/daily-activity';
import { listKeys, listTeams } from '../source/keys-and-teams';
import { readFailure } from './errors';
import { roundPercent } from '../aggregation/percent';
import { checkedWebhookUrl, postToSlack } from './slack-delivery';
import { claimAlerts } from './alert-markers';

export const MEMORY_FIELD = 'budgetMemory';

export type BudgetContext = IExecuteFunctions | IPollFunctions;

export interface BudgetSettings {
	thresholds: number[];
	scope: string[];
	/** 0 for none. */
	proxyBudgetUsd: number;
	/** Set when the node delivers the alerts to Slack itself (remembered only once delivered). */
	slackWebhookUrl?: string;
	/**
	 * Where reported crossings are remembered: the workflow's static data (one n8n process), or marker secrets
	 * in Infisical claimed with create-if-absent (once across every worker; alert-markers.ts).
	 */
	memory: 'workflow' | 'infisical';
}

/** Reads a parameter by name with a fallback (the caller binds the item index, if it has one). */
export type ParameterReader = (name: string, fallback: unknown) => unknown;

/** The budget fields (`thresholds`, `budgetScope`, `proxyMonthlyBudget`), checked: NodeOperationError naming the field. */
export function readBudgetSettings(
	node: INode,
	read: ParameterReader,
	itemIndex = 0,
): BudgetSettings {
	const thresholds = parseThresholds(read('thresholds', '50, 80, 95, 100'));
	if (typeof thresholds === 'string') {
		throw new NodeOperationError(node, `Thresholds (%): ${thresholds}`, {
			itemIndex,
			description:
				'Fix the "Thresholds (%)" field: numbers above 0 and at most 1000, comma-separated',
		});
	}
	const scope = read('budgetScope', ['keys', 'teams']) as string[];
	const field = 'Proxy Monthly Budget (USD)';
	const raw = read('proxyMonthlyBudget', 0);
	const proxyBudgetUsd = raw === '' || raw === null || raw === undefined ? 0 : Number(raw);
	if (!Number.isFinite(proxyBudgetUsd))
		throw new NodeOperationError(node, `${field} must be a number`, {
			itemIndex,
			description: `Fix the "${field}" field`,
		});
	if (proxyBudgetUsd < 0) {
		throw new NodeOperationError(node, `${field} may not be negative (got ${proxyBudgetUsd})`, {
			itemIndex,
			description: `Fix the "${field}" field`,
		});
	}
	const slackWebhookUrl =
		read('deliverTo', 'output') === 'slack'
			? checkedWebhookUrl(node, read('slackWebhookUrl', ''), itemIndex)
			: undefined;
	const memory = read('alertMemory', 'workflow') === 'infisical' ? 'infisical' : 'workflow';
	return { thresholds, scope, proxyBudgetUsd, slackWebhookUrl, memory };
}

/** Every key and team with a positive `max_budget` in scope, and the proxy's month when it has a budget. */
async function readEntities(
	ctx: BudgetContext,
	settings: BudgetSettings,
	timeoutMs: number,
	i: number,
	nowMs: number,
): Promise<BudgetEntity[]> {
	const connection = await liteLlmConnection(ctx);
	const entities: BudgetEntity[] = [];
	if (settings.scope.includes('keys')) {
		const keys = await settle(listKeys(ctx, connection, timeoutMs));
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
	if (settings.scope.includes('teams')) {
		const teams = await settle(listTeams(ctx, connection, timeoutMs));
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
	if (settings.proxyBudgetUsd > 0) {
		const aggregator = new SpendAggregator(['day']);
		const month = presetRange('thisMonth', nowMs);
		const read = await settle(
			foldDailyActivity(ctx, connection, month, 'day', aggregator, { timeoutMs: timeoutMs }),
		);
		if (!read.ok)
			throw readFailure(ctx, i, read.error, connection.secrets, "this month's daily activity");
		entities.push({
			kind: 'proxy',
			id: 'proxy',
			label: 'all keys',
			spendUsd: aggregator.result().totals.costUsd,
			maxBudgetUsd: settings.proxyBudgetUsd,
			period: new Date(nowMs).toISOString().slice(0, 7),
		});
	}
	return entities;
}

export interface BudgetRunOptions {
	/**
	 * false: judge against an empty memory and leave the static data alone (the trigger's manual run shows what
	 * a first poll would report without spending the alerts).
	 */
	remember?: boolean;
}

/** One item json per new crossing, highest threshold first; the memory in the node's static data updated. */
export async function budgetAlerts(
	ctx: BudgetContext,
	settings: BudgetSettings,
	timeoutMs: number,
	i = 0,
	options: BudgetRunOptions = {},
): Promise<IDataObject[]> {
	const nowMs = Date.now();
	const entities = await readEntities(ctx, settings, timeoutMs, i, nowMs);
	const remember = options.remember ?? true;
	// Infisical markers replace the static data: every run judges against an empty memory, the markers decide.
	const inInfisical = remember && settings.memory === 'infisical';
	const staticData = remember && !inInfisical ? ctx.getWorkflowStaticData('node') : {};
	const memory = readMemory(staticData[MEMORY_FIELD]);
	const evaluated = entities.map((e) =>
		evaluateBudget(e, settings.thresholds, memory[e.id], nowMs),
	);
	const readAt = new Date(nowMs).toISOString();
	const alerts = evaluated
		.filter((e) => e.threshold !== undefined)
		.sort((a, b) => (b.threshold ?? 0) - (a.threshold ?? 0) || b.percentUsed - a.percentUsed);
	let items = alerts.map((e) => alertItem(alertJson(e, readAt)));
	const sendsItself = Boolean(settings.slackWebhookUrl && remember);
	const claims = inInfisical
		? await claimAlerts(
				ctx,
				alerts.map((evaluation, n) => ({ item: items[n], evaluation })),
				sendsItself,
				i,
			)
		: undefined;
	// Crossings another run claimed are theirs to report.
	if (claims) items = claims.kept.map((k) => k.item);
	const undelivered = new Set<string>();
	if (sendsItself) {
		for (const [n, item] of items.entries()) {
			const delivery = await postToSlack(ctx, settings.slackWebhookUrl!, item);
			item.delivered = delivery.delivered;
			if (!delivery.delivered) {
				item.deliveryError = delivery.reason;
				undelivered.add(String(item.entityId));
			}
			// Done once Slack took it; released (sent again by the next run) when it did not.
			if (claims) await claims.settle(claims.kept[n].claimed, delivery.delivered);
		}
	}
	// An entity whose alert Slack did not take keeps its old memory, so the crossing is new again next run.
	const settled = evaluated.map((e) =>
		undelivered.has(e.entity.id) ? { ...e, memory: memory[e.entity.id] } : e,
	);
	if (remember && !inInfisical)
		staticData[MEMORY_FIELD] = nextMemory(
			memory,
			settled,
			settings.scope,
			settings.proxyBudgetUsd > 0,
		) as unknown as IDataObject;
	// The Budget Check fails the run (after the memory is written: n8n saves static data of failed runs too), so
	// the error workflow hears of it; with continueOnFail, and in the trigger, the items say delivered: false.
	const failsRun = 'continueOnFail' in ctx && !ctx.continueOnFail();
	if (undelivered.size && failsRun) throw deliveryFailure(ctx, i, items);
	return items;
}

function deliveryFailure(ctx: BudgetContext, i: number, items: IDataObject[]): NodeOperationError {
	const failed = items.filter((a) => a.delivered === false);
	const message = `${failed.length} of ${items.length} budget alert(s) could not be posted to Slack (${String(failed[0].deliveryError)}); they are sent again on the next run`;
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex: i,
		description: failed.map((a) => String(a.text).slice(0, 120)).join(' | '),
	});
}

/** The item of one alert: the one-line text and Slack blocks beside the numbers. */
export function alertItem(json: BudgetAlertJson): IDataObject {
	return { text: budgetText(json), blocks: budgetBlocks(json), ...json };
}

/** The memory after this run: evaluated entities updated, entities of unchecked kinds kept, vanished ones dropped. */
function nextMemory(
	before: BudgetMemory,
	evaluated: Array<{ entity: BudgetEvaluation['entity']; memory?: BudgetEvaluation['memory'] }>,
	scope: string[],
	proxyChecked: boolean,
): BudgetMemory {
	const checked = (id: string) =>
		(id.startsWith('key:') && scope.includes('keys')) ||
		(id.startsWith('team:') && scope.includes('teams')) ||
		(id === 'proxy' && proxyChecked);
	const next: BudgetMemory = {};
	for (const [id, entry] of Object.entries(before)) if (!checked(id)) next[id] = entry;
	for (const e of evaluated) if (e.memory) next[e.entity.id] = e.memory;
	return next;
}

export function alertJson(e: BudgetEvaluation, readAt: string): BudgetAlertJson {
	const p = e.projection;
	return {
		operation: 'budgetCheck',
		readAt,
		entityType: e.entity.kind,
		entity: e.entity.label,
		entityId: e.entity.id,
		threshold: e.threshold ?? 0,
		newThresholds: e.newThresholds,
		percentUsed: roundPercent(e.percentUsed),
		spendUsd: e.entity.spendUsd,
		maxBudgetUsd: e.entity.maxBudgetUsd,
		remainingUsd: e.entity.maxBudgetUsd - e.entity.spendUsd,
		budgetDuration: e.entity.budgetDuration ?? null,
		budgetResetAt: e.entity.budgetResetAt ?? null,
		wasReset: e.wasReset,
		periodStart: p?.periodStart ?? null,
		periodEnd: p?.periodEnd ?? null,
		projectedSpendUsd: p?.projectedSpendUsd ?? null,
		projectedPercent: roundPercent(p?.projectedPercent ?? null),
		projectedExhaustedAt: p?.projectedExhaustedAt ?? null,
	};
}
