/** Key Spend and Budget Check items as one line and Slack blocks. */
import type { IDataObject } from 'n8n-workflow';

import type { BudgetAlertJson, KeySpendJson } from '../output-types';
import { context, fields, formatPercent, formatUsd, header, percentBar, section } from './format';

function keyLabel(alias: string | null, keyName: string): string {
	return alias ? `${alias} (${keyName})` : keyName;
}

export function keyText(k: KeySpendJson): string {
	const budget =
		k.maxBudgetUsd !== null
			? ` of ${formatUsd(k.maxBudgetUsd)} (${formatPercent(k.percentUsed ?? 0)})`
			: ', no budget';
	const flags = [k.blocked ? 'blocked' : '', k.expired ? 'expired' : ''].filter(Boolean);
	const reset = k.budgetResetAt ? `, resets ${k.budgetResetAt.slice(0, 10)}` : '';
	return `Key ${keyLabel(k.keyAlias, k.keyName)}: ${formatUsd(k.spendUsd)} spent${budget}${reset}${flags.length ? ` [${flags.join(', ')}]` : ''}`;
}

export function keyBlocks(k: KeySpendJson): IDataObject[] {
	const pairs: Array<[string, string]> = [
		['Spend', formatUsd(k.spendUsd)],
		['Budget', k.maxBudgetUsd !== null ? formatUsd(k.maxBudgetUsd) : 'none'],
	];
	if (k.percentUsed !== null) pairs.push(['Used', percentBar(k.percentUsed)]);
	if (k.budgetResetAt) pairs.push(['Resets', k.budgetResetAt.slice(0, 16).replace('T', ' ')]);
	pairs.push([
		'Expires',
		k.expires ? `${k.expires.slice(0, 10)}${k.expired ? ' (expired)' : ''}` : 'never',
	]);
	if (k.blocked) pairs.push(['State', ':no_entry: blocked']);
	if (k.service) pairs.push(['Service', k.service]);
	return [
		section(`*Key ${keyLabel(k.keyAlias, k.keyName)}*`),
		fields(pairs),
		context(
			`fingerprint ${k.keyFingerprint} · read ${k.readAt.slice(0, 19).replace('T', ' ')} UTC`,
		),
	];
}

const KIND_NAME = { key: 'Key', team: 'Team', proxy: 'Proxy (monthly)' } as const;

export function budgetText(a: BudgetAlertJson): string {
	const projection =
		a.projectedSpendUsd !== null
			? `; projected ${formatUsd(a.projectedSpendUsd)} (${formatPercent(a.projectedPercent ?? 0)}) by ${String(a.periodEnd).slice(0, 10)}`
			: '';
	return `${KIND_NAME[a.entityType]} ${a.entity} crossed ${a.threshold}% of its budget: ${formatUsd(a.spendUsd)} of ${formatUsd(a.maxBudgetUsd)} (${formatPercent(a.percentUsed)})${projection}.`;
}

export function budgetBlocks(a: BudgetAlertJson): IDataObject[] {
	const icon =
		a.threshold >= 100
			? ':rotating_light:'
			: a.threshold >= 80
				? ':warning:'
				: ':information_source:';
	const pairs: Array<[string, string]> = [
		['Spend', `${formatUsd(a.spendUsd)} of ${formatUsd(a.maxBudgetUsd)}`],
		['Used', percentBar(a.percentUsed)],
	];
	if (a.projectedSpendUsd !== null)
		pairs.push([
			'Projected at period end',
			`${formatUsd(a.projectedSpendUsd)} (${formatPercent(a.projectedPercent ?? 0)})`,
		]);
	if (a.projectedExhaustedAt)
		pairs.push(['Budget used up', String(a.projectedExhaustedAt).slice(0, 16).replace('T', ' ')]);
	if (a.budgetResetAt)
		pairs.push(['Resets', String(a.budgetResetAt).slice(0, 16).replace('T', ' ')]);
	return [
		header(`${a.threshold}% budget: ${KIND_NAME[a.entityType]} ${a.entity}`),
		section(
			`${icon} *${KIND_NAME[a.entityType]} ${a.entity}* crossed *${a.threshold}%* of its budget`,
		),
		fields(pairs),
		context(
			`new thresholds: ${a.newThresholds.join(', ')}% · read ${a.readAt.slice(0, 19).replace('T', ' ')} UTC · reported once until the budget resets`,
		),
	];
}
