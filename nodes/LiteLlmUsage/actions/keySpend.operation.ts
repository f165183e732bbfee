/** Key Spend: every virtual key with spend, budget, percentage used, reset, expiry, blocked state and metadata. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { redactText } from '../../shared/redact';
import { settle } from '../../shared/settle';
import { liteLlmConnection } from '../../shared/transport/litellm';
import type { KeySpendJson } from '../output-types';
import { readOptions } from '../params';
import { keyBlocks, keyText } from '../slack-format/alerts';
import { type KeyInfo, listKeys } from '../source/keys-and-teams';
import { readFailure } from './errors';
import { roundPercent } from '../aggregation/percent';

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const options = readOptions(ctx, i);
	const onlyWithBudget = ctx.getNodeParameter('onlyWithBudget', i, false) as boolean;
	const connection = await liteLlmConnection(ctx);
	const outcome = await settle(listKeys(ctx, connection, options.timeoutMs));
	if (!outcome.ok) throw readFailure(ctx, i, outcome.error, connection.secrets, 'the key list');
	const nowMs = Date.now();
	const readAt = new Date(nowMs).toISOString();
	return outcome.value
		.filter((k) => !onlyWithBudget || (k.maxBudgetUsd !== null && k.maxBudgetUsd > 0))
		.sort((a, b) => b.spendUsd - a.spendUsd)
		.map((k) => {
			const json = keyJson(k, nowMs, readAt);
			return { text: keyText(json), blocks: keyBlocks(json), ...json };
		});
}

function keyJson(k: KeyInfo, nowMs: number, readAt: string): KeySpendJson {
	const expiresMs = k.expires ? Date.parse(k.expires) : NaN;
	const service = k.metadata.service ?? k.metadata.service_name ?? k.metadata.app;
	return {
		operation: 'keySpend',
		readAt,
		keyAlias: k.keyAlias,
		// LiteLLM's own mask; passed through the redactor in case a build ever stored more.
		keyName: redactText(k.keyName),
		keyFingerprint: k.token.slice(0, 12),
		spendUsd: k.spendUsd,
		maxBudgetUsd: k.maxBudgetUsd,
		percentUsed:
			k.maxBudgetUsd && k.maxBudgetUsd > 0
				? roundPercent((k.spendUsd / k.maxBudgetUsd) * 100)
				: null,
		remainingUsd: k.maxBudgetUsd !== null ? k.maxBudgetUsd - k.spendUsd : null,
		softBudgetUsd: k.softBudgetUsd,
		budgetDuration: k.budgetDuration,
		budgetResetAt: k.budgetResetAt,
		expires: k.expires,
		expired: Number.isFinite(expiresMs) && expiresMs <= nowMs,
		blocked: k.blocked,
		teamId: k.teamId,
		userId: k.userId,
		service: typeof service === 'string' ? service : null,
		metadata: JSON.parse(redactText(JSON.stringify(k.metadata))) as IDataObject,
	};
}
