/**
 * "Include Key Usage From LiteLLM" of Audit Trail: per virtual key, its calls, tokens and spend in the period
 * (daily activity) and its last use and total spend (the key row), one Slack-ready item per key, beside the
 * records. Which keys: those the key filter names (by alias, hash, hash prefix or LiteLLM's mask) or a listed
 * record names; without a filter, also every key that made calls in the period.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AuditRecord } from '../../shared/audit/record';
import { redactText } from '../../shared/redact';
import { settle } from '../../shared/settle';
import { liteLlmConnection } from '../../shared/transport/litellm';
import type { DateRange } from '../aggregation/date-range';
import { roundUsd } from '../aggregation/money';
import { formatCount, formatUsd } from '../slack-format/format';
import { type KeyActivity, readKeyActivity } from '../source/key-activity';
import { type KeyInfo, listKeys } from '../source/keys-and-teams';
import { readFailure } from './errors';

function matchesFilter(filter: string, hash: string, row?: KeyInfo, activity?: KeyActivity) {
	const wanted = filter.toLowerCase();
	const alias = (row?.keyAlias ?? activity?.keyAlias ?? '').toLowerCase();
	return (
		alias === wanted ||
		hash.toLowerCase() === wanted ||
		(wanted.length >= 8 && /^[0-9a-f]+$/.test(wanted) && hash.startsWith(wanted)) ||
		(!!row?.keyName && row.keyName.toLowerCase() === wanted)
	);
}

function namedByRecords(records: AuditRecord[], hash: string, alias: string | null) {
	return records.some((r) =>
		r.keys.some((k) => k.keyHash === hash || (!!alias && k.alias === alias)),
	);
}

export async function keyUsageItems(
	ctx: IExecuteFunctions,
	i: number,
	range: DateRange,
	filter: string,
	records: AuditRecord[],
): Promise<IDataObject[]> {
	const connection = await liteLlmConnection(ctx);
	const [rows, activity] = await Promise.all([
		settle(listKeys(ctx, connection)),
		settle(readKeyActivity(ctx, connection, range)),
	]);
	if (!rows.ok) throw readFailure(ctx, i, rows.error, connection.secrets, 'the key list');
	if (!activity.ok)
		throw readFailure(ctx, i, activity.error, connection.secrets, 'the key activity');
	const byHash = new Map(rows.value.map((r) => [r.token, r]));
	const hashes = new Set([...byHash.keys(), ...activity.value.keys()]);
	const period = {
		start: new Date(range.startMs).toISOString(),
		end: new Date(range.endMs).toISOString(),
	};
	const items: IDataObject[] = [];
	for (const hash of hashes) {
		const row = byHash.get(hash);
		const used = activity.value.get(hash);
		const alias = row?.keyAlias ?? used?.keyAlias ?? null;
		const wanted = filter
			? matchesFilter(filter, hash, row, used) || namedByRecords(records, hash, alias)
			: (used?.calls ?? 0) > 0 || namedByRecords(records, hash, alias);
		if (!wanted) continue;
		items.push(usageItem(hash, alias, row, used, period));
	}
	return items.sort((a, b) => Number(b.spendUsd) - Number(a.spendUsd));
}

function usageItem(
	hash: string,
	alias: string | null,
	row: KeyInfo | undefined,
	used: KeyActivity | undefined,
	period: { start: string; end: string },
): IDataObject {
	const json = {
		kind: 'keyUsage',
		keyAlias: alias,
		keyHash: hash,
		// LiteLLM's own mask; through the redactor in case a build ever stored more.
		maskedKey: row ? redactText(row.keyName) : null,
		periodStart: period.start,
		periodEnd: period.end,
		calls: used?.calls ?? 0,
		tokens: used?.tokens ?? 0,
		spendUsd: roundUsd(used?.spendUsd ?? 0),
		totalSpendUsd: row ? roundUsd(row.spendUsd) : null,
		lastUsed: row?.lastActive ?? null,
		blocked: row?.blocked ?? null,
		deleted: !row,
	};
	const name = `${alias ?? 'key'} (${json.maskedKey || hash.slice(0, 12)})`;
	const text = `${name} · ${formatCount(json.calls)} calls · ${formatCount(json.tokens)} tokens · ${formatUsd(json.spendUsd)} from ${period.start.slice(0, 10)} to ${period.end.slice(0, 10)} · last used ${json.lastUsed ? `${json.lastUsed.slice(0, 19).replace('T', ' ')} UTC` : 'never'}${json.totalSpendUsd !== null ? ` · ${formatUsd(json.totalSpendUsd)} in total` : ' · deleted'}`;
	return {
		...json,
		text,
		blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:key: ${text}` } }],
	};
}
