/**
 * One poll of the Budget Trigger: the Usage node's budget check (actions/budget-alerts.ts) with its memory in
 * this node's static data, so each crossing starts the workflow once until the budget resets. A manual run
 * (the editor's "Fetch Test Event") judges against an empty memory and writes nothing, and when nothing is
 * crossed it shows a sample item of the same shape, marked `sample: true`.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { alertItem, budgetAlerts, readBudgetSettings } from '../LiteLlmUsage/actions/budget-alerts';
import type { BudgetAlertJson } from '../LiteLlmUsage/output-types';

/** Per request; the key list is paged, so a poll may send a few. */
const TIMEOUT_MS = 60_000;

export async function pollBudgets(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readBudgetSettings(
		ctx.getNode(),
		(name, fallback) => ctx.getNodeParameter(name, fallback) as unknown,
	);
	const manual = ctx.getMode() === 'manual';
	const alerts = await budgetAlerts(ctx, settings, TIMEOUT_MS, 0, { remember: !manual });
	if (alerts.length) return [ctx.helpers.returnJsonArray(alerts)];
	if (manual)
		return [
			ctx.helpers.returnJsonArray([
				{ ...sampleAlert(settings.thresholds, Date.now()), sample: true },
			]),
		];
	return null;
}

/** A made-up key at its highest threshold, shaped exactly like a real alert. */
export function sampleAlert(thresholds: number[], nowMs: number): IDataObject {
	const threshold = thresholds[thresholds.length - 1];
	const maxBudgetUsd = 100;
	const spendUsd = threshold;
	const json: BudgetAlertJson = {
		operation: 'budgetCheck',
		readAt: new Date(nowMs).toISOString(),
		entityType: 'key',
		entity: 'sample-key (sk-...abcd)',
		entityId: 'key:sample',
		threshold,
		newThresholds: thresholds,
		percentUsed: threshold,
		spendUsd,
		maxBudgetUsd,
		remainingUsd: maxBudgetUsd - spendUsd,
		budgetDuration: null,
		budgetResetAt: null,
		wasReset: false,
		periodStart: null,
		periodEnd: null,
		projectedSpendUsd: null,
		projectedPercent: null,
		projectedExhaustedAt: null,
	};
	return alertItem(json);
}
