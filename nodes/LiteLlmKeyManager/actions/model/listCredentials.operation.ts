import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maskKey } from '../../../shared/redact';
import { liteLlmAdmin } from '../../helpers/connections';
import { shownFor } from '../../helpers/fields';

export const description: INodeProperties[] = shownFor('model', ['listCredentials'], [
	{ displayName: 'LiteLLM masks credential values; the node masks them again', name: 'credNotice', type: 'notice', default: '' },
]);

export async function execute(ctx: IExecuteFunctions): Promise<IDataObject[]> {
	const credentials = await (await liteLlmAdmin(ctx)).listCredentials();
	return credentials.map((c) => {
		const values = (c.credential_values ?? {}) as IDataObject;
		const masked: IDataObject = {};
		for (const [k, v] of Object.entries(values)) masked[k] = /key|secret|token/i.test(k) ? maskKey(String(v ?? '')) : v;
		return { credentialName: c.credential_name, credentialValues: masked, credentialInfo: c.credential_info ?? {} };
	});
}
