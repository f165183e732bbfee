import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
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

	// A function rather than a generic `={{$credentials.apiKey}}` template: n8n evaluates templates as
	// expressions on every request, which costs a chat node running thousands of items measurable time.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		requestOptions.headers = {
			...(requestOptions.headers ?? {}),
			Authorization: `Bearer ${credentials.apiKey as string}`,
		};
		return requestOptions;
	}

	// An authenticated route: the public liveliness probe would accept any key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/v1$/, "")}}',
			url: '/v1/models',
			method: 'GET',
		},
	};
}
