/**
 * Budget Check: thresholds of each key's and team's `max_budget` (and an optional monthly budget for the whole
 * proxy), with a projection to the period end. Emits one item per NEW crossing only; what was reported is kept
 * in the workflow's static data (`budgetMemory`, per entity) until the budget resets. The check itself lives in
 * budget-alerts.ts, shared with the LiteLLM Budget Trigger.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readOptions } from '../params';
import { budgetAlerts, readBudgetSettings } from './budget-alerts';

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const read = (name: string, fallback: unknown) =>
		ctx.getNodeParameter(name, i, fallback as string) as unknown;
	const settings = readBudgetSettings(ctx.getNode(), read, i);
	const options = readOptions(ctx, i);
	return await budgetAlerts(ctx, settings, options.timeoutMs, i);
}
