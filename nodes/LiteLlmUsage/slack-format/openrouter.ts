/** OpenRouter Usage as one line and Slack blocks. */
import type { IDataObject } from 'n8n-workflow';

import { context, fields, formatUsd, header, percentBar } from './format';

export interface OpenRouterUsageJson {
	readAt: string;
	label: string | null;
	usageDailyUsd: number | null;
	usageWeeklyUsd: number | null;
	usageMonthlyUsd: number | null;
	byokUsageMonthlyUsd: number | null;
	limitUsd: number | null;
	limitRemainingUsd: number | null;
	limitReset: string | null;
	credits: IDataObject | null;
}

const usd = (v: number | null | undefined) =>
	v === null || v === undefined ? 'n/a' : formatUsd(v);

export function openRouterText(u: OpenRouterUsageJson): string {
	const limit =
		u.limitUsd !== null
			? `; limit ${usd(u.limitUsd)}, ${usd(u.limitRemainingUsd)} left${u.limitReset ? ` (${u.limitReset})` : ''}`
			: '; no limit';
	const credits = u.credits
		? `; credits ${usd(u.credits.remainingUsd as number | null)} left of ${usd(u.credits.totalCreditsUsd as number | null)}`
		: '';
	return `OpenRouter key ${u.label ?? ''}: ${usd(u.usageDailyUsd)} today, ${usd(u.usageWeeklyUsd)} this week, ${usd(u.usageMonthlyUsd)} this month (BYOK ${usd(u.byokUsageMonthlyUsd)})${limit}${credits}.`;
}

export function openRouterBlocks(u: OpenRouterUsageJson): IDataObject[] {
	const pairs: Array<[string, string]> = [
		['Today', usd(u.usageDailyUsd)],
		['This week', usd(u.usageWeeklyUsd)],
		['This month', usd(u.usageMonthlyUsd)],
		['BYOK this month', usd(u.byokUsageMonthlyUsd)],
	];
	if (u.limitUsd !== null && u.limitUsd > 0) {
		pairs.push(['Limit', `${usd(u.limitUsd)} (${usd(u.limitRemainingUsd)} left)`]);
		pairs.push([
			'Limit used',
			percentBar(((u.limitUsd - (u.limitRemainingUsd ?? 0)) / u.limitUsd) * 100),
		]);
	}
	if (u.credits)
		pairs.push([
			'Credits left',
			`${usd(u.credits.remainingUsd as number | null)} of ${usd(u.credits.totalCreditsUsd as number | null)}`,
		]);
	return [
		header(`OpenRouter usage${u.label ? ` · ${u.label}` : ''}`),
		fields(pairs),
		context(`Read ${u.readAt.slice(0, 19).replace('T', ' ')} UTC`),
	];
}
