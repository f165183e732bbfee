import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { liteLlmAdmin } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';
import { optionalNumber } from '../../helpers/params';
import { keyRowOut } from '../../helpers/output';

export const description: INodeProperties[] = shownFor(
	'virtualKey',
	['expiring'],
	[
		{
			displayName: 'Within Days',
			name: 'withinDays',
			type: 'number',
			default: 7,
			typeOptions: { minValue: 0 },
			description: 'Keys that expire within this many days (7, 3, 1 for staged warnings)',
		},
		{ displayName: 'Include Expired', name: 'includeExpired', type: 'boolean', default: false },
	],
);

const DAY = 86_400_000;

/** Keys with an expiry inside the window, soonest first, with days left and a 7/3/1-day warning tier. */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const days =
		optionalNumber(ctx, i, ctx.getNodeParameter('withinDays', i, 7), 'Within Days', 0) ?? 7;
	const includeExpired = ctx.getNodeParameter('includeExpired', i, false) as boolean;
	const now = Date.now();
	const rows = await (await liteLlmAdmin(ctx)).listKeys();
	return rows
		.filter((r) => typeof r.expires === 'string' && !Number.isNaN(Date.parse(r.expires)))
		.map((r) => ({ row: r, left: Date.parse(r.expires as string) - now }))
		.filter(({ left }) => left <= days * DAY && (includeExpired || left > 0))
		.sort((a, b) => a.left - b.left)
		.map(({ row, left }) => {
			const daysLeft = Math.round((left / DAY) * 100) / 100;
			const tier =
				left <= 0
					? 'expired'
					: left <= DAY
						? '1d'
						: left <= 3 * DAY
							? '3d'
							: left <= 7 * DAY
								? '7d'
								: 'later';
			return { ...keyRowOut(row), daysLeft, warning: tier };
		});
}
