import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { plainHttpRefusal } from '../nodes/shared/transport/base-url';

/**
 * Infisical, the key store: a machine identity with Universal Auth. The access token is not typed in: n8n
 * calls `preAuthentication` (login with client id and secret) whenever the hidden, expirable `accessToken`
 * is empty, and again once when a request fails with the status the caller names (Infisical answers an
 * expired token with 403 TokenError, not 401; the Key Manager's transport passes 403). n8n stores the token.
 */
export class LiteLlmInfisicalApi implements ICredentialType {
	name = 'liteLlmInfisicalApi';

	displayName = 'LiteLLM Infisical API';

	icon: Icon = { light: 'file:infisical.svg', dark: 'file:infisical.dark.svg' };

	documentationUrl = 'https://infisical.com/docs/documentation/platform/identities/universal-auth';

	properties: INodeProperties[] = [
		{
			displayName: 'Site URL',
			name: 'siteUrl',
			type: 'string',
			default: 'https://app.infisical.com',
			description:
				'Infisical Cloud (https://app.infisical.com, https://eu.infisical.com) or your self-hosted URL. Use https://; plain http:// is accepted only for this machine (localhost, 127.0.0.1) unless allowed below.',
			required: true,
		},
		{
			displayName: 'Allow Plain HTTP to Another Host',
			name: 'allowPlainHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether to send the client secret and every provider key unencrypted to a self-hosted Infisical on another host (e.g. http://infisical:8080 on a private Docker network). Only where nobody else can read that network.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			description: 'Universal Auth client ID of the machine identity',
			required: true,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			description:
				'The project (workspace) that holds the keys; the identity needs read and write on it',
			required: true,
		},
		{
			displayName: 'Environment Slug',
			name: 'environment',
			type: 'string',
			default: 'prod',
			placeholder: 'prod',
			required: true,
		},
		{
			displayName: 'Folder Path',
			name: 'folderPath',
			type: 'string',
			default: '/',
			placeholder: '/litellm',
			description:
				'The Infisical secret path (folder) of the keys; LiteLLM must load the same folder into its environment',
		},
		{
			displayName: 'Audit Folder Path',
			name: 'auditFolderPath',
			type: 'string',
			default: '',
			placeholder: '/litellm-audit',
			description:
				'An existing Infisical folder, outside the Folder Path, where the Key Manager writes one secret per key action (who, when, which key by fingerprint, outcome; never a key). Empty: no audit trail. The identity needs write access to it.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const siteUrl = String(credentials.siteUrl ?? '').replace(/\/+$/, '');
		// The client secret goes out in this request: the plain-http rule holds here too (credential tests included).
		const refusal = credentials.allowPlainHttp === true ? undefined : plainHttpRefusal(siteUrl);
		if (refusal) throw new Error(`Site URL ${refusal} (see "Allow Plain HTTP to Another Host")`);
		const answer = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${siteUrl}/api/v1/auth/universal-auth/login`,
			body: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
			json: true,
		})) as { accessToken?: string };
		return { accessToken: answer.accessToken ?? '' };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		requestOptions.headers = {
			...(requestOptions.headers ?? {}),
			Authorization: `Bearer ${credentials.accessToken as string}`,
		};
		return requestOptions;
	}

	// Reads the folder: proves the login works and that the identity may read the project and environment.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.siteUrl.replace(/\\/+$/, "")}}',
			url: '/api/v4/secrets',
			method: 'GET',
			qs: {
				projectId: '={{$credentials.projectId}}',
				environment: '={{$credentials.environment}}',
				secretPath: '={{$credentials.folderPath || "/"}}',
				viewSecretValue: 'false',
			},
		},
	};
}
