import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Generic auth: expressions in headers and query string, resolved by the credentials helper. */
export class FixtureHeaderApi implements ICredentialType {
	name = 'fixtureHeaderApi';

	displayName = 'Fixture Header API';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		// Left out of test credentials on purpose: the helper must fill the default, as n8n does.
		{ displayName: 'Tenant', name: 'tenant', type: 'string', default: 'default-tenant' },
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
			qs: { tenant: '={{$credentials.tenant}}' },
		},
	};
}
