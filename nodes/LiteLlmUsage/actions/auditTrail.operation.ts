/**
 * Audit Trail: the Key Manager's records of key actions read back from the Infisical audit folder (see
 * nodes/shared/audit), newest first, filtered by key and period, one Slack-ready item per record. Records
 * hold names, fingerprints and outcomes, never a key. With "Include Key Usage From LiteLLM" (the default) one
 * item per virtual key follows them: calls, tokens and spend in the period, last use (audit-key-usage.ts).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { auditLine, concernsKey } from '../../shared/audit/record';
import { readAudit } from '../../shared/audit/store';
import { infisicalConnection } from '../../shared/transport/infisical';
import { readRange } from '../params';
import { keyUsageItems } from './audit-key-usage';

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const range = readRange(ctx, i, Date.now());
	const key = String(ctx.getNodeParameter('auditKey', i, '') ?? '').trim();
	const limit = Number(ctx.getNodeParameter('auditLimit', i, 100));
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(ctx.getNode(), 'Limit must be a whole number of at least 1', {
			itemIndex: i,
			description: 'Fix the "Limit" field',
		});
	}
	const connection = await infisicalConnection(ctx);
	if (!connection.auditPath) {
		throw new NodeOperationError(
			ctx.getNode(),
			'The LiteLLM Infisical API credential has no Audit Folder Path',
			{
				itemIndex: i,
				description:
					'Set "Audit Folder Path" in the credential (the same one the Key Manager uses) to keep and read the trail',
			},
		);
	}
	const records = (await readAudit(ctx))
		.filter((r) => {
			const at = Date.parse(r.at);
			return at >= range.startMs && at <= range.endMs && (!key || concernsKey(r, key));
		})
		.reverse()
		.slice(0, limit);
	const items = records.map((record) => {
		const text = auditLine(record);
		const icon = record.outcome === 'ok' ? ':white_check_mark:' : ':x:';
		return {
			kind: 'auditRecord',
			...record,
			text,
			blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${icon} ${text}` } }],
		} as unknown as IDataObject;
	});
	if (!ctx.getNodeParameter('includeKeyUsage', i, true)) return items;
	return [...items, ...(await keyUsageItems(ctx, i, range, key, records))];
}
