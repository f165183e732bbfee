import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { runGrouped } from '../../../shared/providers/schedule';
import { settle } from '../../../shared/settle';
import { http, keyStore } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';
import { optionalNumber } from '../../helpers/params';
import { providerKeys } from '../../helpers/stored-keys';
import { checkOptions, readCheckOptions, validateStored } from './validate.operation';

export const description: INodeProperties[] = shownFor(
	'providerKey',
	['validateAll'],
	[
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			default: 16,
			typeOptions: { minValue: 1 },
			description: 'Checks in flight at once',
		},
		{
			displayName: 'Per-Provider Concurrency',
			name: 'perProvider',
			type: 'number',
			default: 8,
			typeOptions: { minValue: 1 },
			description: "Checks in flight per provider, so one provider's rate limit is not hammered",
		},
		checkOptions,
	],
);

/** Every key under the folder, one output item each; a failed check is a status, never a failed node. */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const concurrency =
		optionalNumber(ctx, i, ctx.getNodeParameter('concurrency', i, 16), 'Concurrency', 1) ?? 16;
	const perProvider =
		optionalNumber(
			ctx,
			i,
			ctx.getNodeParameter('perProvider', i, 8),
			'Per-Provider Concurrency',
			1,
		) ?? 8;
	const options = readCheckOptions(ctx, i);
	const { store } = await keyStore(ctx);
	const keys = providerKeys(await store.list());
	const providerHttp = http(ctx);
	return runGrouped(
		keys,
		{ limit: concurrency, perGroupLimit: perProvider, groupOf: (k) => k.spec?.id ?? 'unknown' },
		async (key) => {
			const outcome = await settle(validateStored(providerHttp, store, key, options));
			if (outcome.ok) return outcome.value;
			// Only the metadata write can throw here; the check itself never does. Report, don't stop.
			const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
			return {
				secretName: key.secret.name,
				provider: key.spec?.id ?? null,
				status: 'unknown',
				detail: `could not record the result: ${reason}`.slice(0, 200),
			};
		},
	);
}
