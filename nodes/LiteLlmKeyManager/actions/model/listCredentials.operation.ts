import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { liteLlmAdmin } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';
import { maskSecretFields } from '../../helpers/mask-fields';

export const description: INodeProperties[] = shownFor(
	'model',
	['listCredentials'],
	[
		{
			displayName: 'LiteLLM masks credential values; the node masks them again',
			name: 'credNotice',
			type: 'notice',
			default: '',
		},
	],
);

export async function execute(ctx: IExecuteFunctions): Promise<IDataObject[]> {
	const credentials = await (await liteLlmAdmin(ctx)).listCredentials();
	return credentials.map((c) => {
		const values = (c.credential_values ?? {}) as IDataObject;
		return {
			credentialName: c.credential_name,
			credentialValues: maskSecretFields(values),
			credentialInfo: c.credential_info ?? {},
		};
	});
}
