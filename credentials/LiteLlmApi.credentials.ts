import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** A LiteLLM proxy: its base URL and a master or virtual key, sent as a Bearer token. */
export class LiteLlmApi implements ICredentialType {
	name = 'liteLlmApi';

	displayName = 'LiteLLM API';

	icon: Icon = { light: 'file:litellm.svg', dark: 'file:litellm.dark.svg' };

	documentationUrl = 'https://docs.litellm.ai/docs/proxy/virtual_keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:4000',
			placeholder: 'http://localhost:4000',
			description: 'Where the LiteLLM proxy listens, with scheme and without a trailing /v1',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The proxy master key (needed by the Key Manager and Usage nodes) or a virtual key (enough for chat)',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	// An authenticated route: the public liveliness probe would accept any key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/models',
			method: 'GET',
		},
	};
}
