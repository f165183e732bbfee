import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/** OpenRouter, the fallback route. Named with the package prefix: n8n already owns `openRouterApi`. */
export class LiteLlmOpenRouterApi implements ICredentialType {
	name = 'liteLlmOpenRouterApi';

	displayName = 'LiteLLM OpenRouter API';

	icon: Icon = { light: 'file:openrouter.svg', dark: 'file:openrouter.dark.svg' };

	documentationUrl = 'https://openrouter.ai/docs/api-reference/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'An OpenRouter API key (sk-or-v1-...), or a management key for key and credit administration',
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://openrouter.ai/api/v1',
			description: 'OpenRouter API base URL, including /api/v1',
		},
		{
			displayName: 'App Title',
			name: 'appTitle',
			type: 'string',
			default: '',
			description:
				'Optional name sent as X-OpenRouter-Title, shown in OpenRouter rankings and activity',
		},
		{
			displayName: 'App URL (Referer)',
			name: 'referer',
			type: 'string',
			default: '',
			description: 'Optional URL sent as HTTP-Referer, identifying your app to OpenRouter',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers: Record<string, string> = {
			Authorization: `Bearer ${credentials.apiKey as string}`,
		};
		if (credentials.appTitle) headers['X-OpenRouter-Title'] = credentials.appTitle as string;
		if (credentials.referer) headers['HTTP-Referer'] = credentials.referer as string;
		requestOptions.headers = { ...(requestOptions.headers ?? {}), ...headers };
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://openrouter.ai/api/v1").replace(/\\/+$/, "")}}',
			url: '/key',
			method: 'GET',
		},
	};
}
