/** Savings vs OpenRouter as one line and Slack blocks. */
import type { IDataObject } from 'n8n-workflow';

import type { SavingsLine, UnmatchedLine } from '../aggregation/savings';
import {
	context,
	divider,
	fields,
	formatPercent,
	formatUsd,
	header,
	section,
	tableSection,
} from './format';

export interface SavingsJson {
	readAt: string;
	period: string;
	source: string;
	liteLlmCostUsd: number;
	openRouterCostUsd: number;
	savedUsd: number;
	savedPercent: number | null;
	models: SavingsLine[];
	unmatchedModels: UnmatchedLine[];
	unmatchedCostUsd: number;
	unpricedRequests: number | null;
	complete: boolean;
}

export function savingsText(s: SavingsJson): string {
	const verb = s.savedUsd >= 0 ? 'saved' : 'cost more by';
	const pct = s.savedPercent !== null ? ` (${formatPercent(Math.abs(s.savedPercent))})` : '';
	const unmatched = s.unmatchedModels.length
		? `; ${s.unmatchedModels.length} model(s) without an OpenRouter match left out (${formatUsd(s.unmatchedCostUsd)})`
		: '';
	const unpriced = s.unpricedRequests ? `; ${s.unpricedRequests} unpriced request(s) left out` : '';
	return `LiteLLM vs OpenRouter ${s.period}: ${formatUsd(s.liteLlmCostUsd)} through LiteLLM, ${formatUsd(s.openRouterCostUsd)} on OpenRouter, ${verb} ${formatUsd(Math.abs(s.savedUsd))}${pct}${unmatched}${unpriced}.${s.complete ? '' : ' INCOMPLETE read.'}`;
}

export function savingsBlocks(s: SavingsJson): IDataObject[] {
	const blocks: IDataObject[] = [
		header(`LiteLLM vs OpenRouter · ${s.period}`),
		fields([
			['Through LiteLLM', formatUsd(s.liteLlmCostUsd)],
			['On OpenRouter', formatUsd(s.openRouterCostUsd)],
			[
				'Saved',
				`${formatUsd(s.savedUsd)}${s.savedPercent !== null ? ` (${formatPercent(s.savedPercent)})` : ''}`,
			],
			[
				'Unpriced requests',
				s.unpricedRequests === null ? 'not visible' : String(s.unpricedRequests),
			],
		]),
	];
	if (s.models.length) {
		const rows = [['model', 'LiteLLM', 'OpenRouter', 'saved']];
		for (const m of s.models)
			rows.push([
				m.model.slice(0, 40),
				formatUsd(m.liteLlmCostUsd),
				formatUsd(m.openRouterCostUsd),
				formatUsd(m.savedUsd),
			]);
		blocks.push(divider(), tableSection(rows, 20));
	}
	if (s.unmatchedModels.length) {
		blocks.push(
			section(
				`*No OpenRouter match* (left out): ${s.unmatchedModels
					.slice(0, 15)
					.map((u) => `\`${u.model}\` ${formatUsd(u.liteLlmCostUsd)}`)
					.join(', ')}`,
			),
		);
	}
	blocks.push(
		context(
			`Read ${s.readAt.slice(0, 19).replace('T', ' ')} UTC · ${s.source === 'dailyActivity' ? 'daily activity' : 'spend logs'} · OpenRouter list prices per token`,
		),
	);
	return blocks;
}
