/**
 * The credentials the shipped workflows name (`workflows/*.json` refer to them by these ids): importing a
 * credential under its id is what wires a shipped workflow to the servers of a test.
 */
import type { CredentialImport } from './credentials-file';

/** "LiteLLM proxy": the key the Chat node and the gateway call LiteLLM with. */
export const liteLlmProxyCredential = (baseUrl: string, apiKey: string): CredentialImport => ({
	id: 'liteLlmProxy0001',
	name: 'LiteLLM proxy',
	type: 'liteLlmApi',
	data: { baseUrl, apiKey },
});

/** "OpenRouter": the failover key. */
export const openRouterCredential = (baseUrl: string, apiKey: string): CredentialImport => ({
	id: 'openRouter000001',
	name: 'OpenRouter',
	type: 'liteLlmOpenRouterApi',
	data: { apiKey, baseUrl, appTitle: 'n8n e2e', referer: '' },
});

/** "LLM gateway token": the bearer token callers of the gateway workflow send. */
export const gatewayTokenCredential = (token: string): CredentialImport => ({
	id: 'gatewayToken0001',
	name: 'LLM gateway token',
	type: 'httpHeaderAuth',
	data: { name: 'Authorization', value: `Bearer ${token}` },
});
