/**
 * OpenRouter Usage: `GET /api/v1/key` (usage today/this week/this month, limit remaining, BYOK usage) and,
 * with a management key, `GET /api/v1/credits` (total credits bought and used), so the fallback's spend is
 * visible next to LiteLLM's.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { costOrNull } from '../../shared/cost';
import { settle } from '../../shared/settle';
import { openRouterConnection, openRouterRequest } from '../../shared/transport/openrouter';
import { readOptions } from '../params';
import { openRouterBlocks, openRouterText } from '../slack-format/openrouter';
import { readFailure } from './errors';

type Data = Record<string, unknown>;

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const options = readOptions(ctx, i);
	const credits = String(ctx.getNodeParameter('includeCredits', i, 'auto'));
	const connection = await openRouterConnection(ctx);
	const key = await settle(
		openRouterRequest<{ data?: Data }>(ctx, connection, {
			method: 'GET',
			path: '/key',
			timeoutMs: options.timeoutMs,
		}),
	);
	if (!key.ok) throw readFailure(ctx, i, key.error, connection.secrets, "OpenRouter's /key");
	const d = key.value.data.data ?? {};
	const isManagement = d.is_management_key === true || d.is_provisioning_key === true;

	let creditsJson: IDataObject | null = null;
	let creditsNote: string | null = null;
	if (credits === 'always' || (credits === 'auto' && isManagement)) {
		const answer = await settle(
			openRouterRequest<{ data?: Data }>(ctx, connection, {
				method: 'GET',
				path: '/credits',
				timeoutMs: options.timeoutMs,
			}),
		);
		if (!answer.ok)
			throw readFailure(
				ctx,
				i,
				answer.error,
				connection.secrets,
				"OpenRouter's /credits (needs a management key)",
			);
		const c = answer.value.data.data ?? {};
		const total = costOrNull(c.total_credits);
		const used = costOrNull(c.total_usage);
		creditsJson = {
			totalCreditsUsd: total,
			totalUsageUsd: used,
			remainingUsd: total !== null && used !== null ? total - used : null,
		};
	} else if (credits !== 'never') {
		creditsNote = 'Credits need a management key; this key is not one.';
	}

	const json = {
		operation: 'openRouterUsage',
		readAt: new Date(Date.now()).toISOString(),
		label: typeof d.label === 'string' ? d.label : null,
		isManagementKey: isManagement,
		isFreeTier: d.is_free_tier === true,
		usageUsd: costOrNull(d.usage),
		usageDailyUsd: costOrNull(d.usage_daily),
		usageWeeklyUsd: costOrNull(d.usage_weekly),
		usageMonthlyUsd: costOrNull(d.usage_monthly),
		byokUsageUsd: costOrNull(d.byok_usage),
		byokUsageDailyUsd: costOrNull(d.byok_usage_daily),
		byokUsageWeeklyUsd: costOrNull(d.byok_usage_weekly),
		byokUsageMonthlyUsd: costOrNull(d.byok_usage_monthly),
		limitUsd: costOrNull(d.limit),
		limitRemainingUsd: costOrNull(d.limit_remaining),
		limitReset: typeof d.limit_reset === 'string' ? d.limit_reset : null,
		includeByokInLimit: d.include_byok_in_limit === true,
		expiresAt: typeof d.expires_at === 'string' ? d.expires_at : null,
		credits: creditsJson,
		creditsNote,
	};
	return [{ text: openRouterText(json), blocks: openRouterBlocks(json), ...json }];
}
