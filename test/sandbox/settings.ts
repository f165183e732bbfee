/**
 * What `npm start` should connect to, read from the environment (after `.env`). Without LITELLM_BASE_URL it
 * runs the SANDBOX: every service simulated on loopback. With it, credentials are made from the variables
 * given, and the workflows' Slack webhook placeholder is replaced by SLACK_WEBHOOK_URL when set.
 */

export interface CredentialData {
	liteLlmApi?: { baseUrl: string; apiKey: string };
	liteLlmOpenRouterApi?: { apiKey: string; baseUrl: string; appTitle: string; referer: string };
	/** n8n's Header Auth: the gateway webhook's bearer token. */
	httpHeaderAuth?: { name: string; value: string };
	liteLlmInfisicalApi?: {
		siteUrl: string;
		clientId: string;
		clientSecret: string;
		projectId: string;
		environment: string;
		folderPath: string;
		accessToken: string;
	};
}

export interface StartSettings {
	/** N8N_PORT, default 5678. */
	port: number;
	/** True when LITELLM_BASE_URL is not set: the simulators stand in for every service. */
	sandbox: boolean;
	/** Credentials from the environment (empty in sandbox mode: the sandbox makes its own). */
	credentials: CredentialData;
	/** Credential data by credential id, where one type has several (the OpenRouter management key). */
	credentialsById: Record<string, Record<string, unknown>>;
	slackWebhookUrl?: string;
	/** Variables given but not used (sandbox mode ignores the service variables). */
	ignored: string[];
}

/** The variables `npm start` reads (documented in README.md and .env.example). */
export const START_VARIABLES = [
	'N8N_PORT',
	'LITELLM_BASE_URL',
	'LITELLM_API_KEY',
	'OPENROUTER_API_KEY',
	'OPENROUTER_BASE_URL',
	'OPENROUTER_MANAGEMENT_KEY',
	'INFISICAL_SITE_URL',
	'INFISICAL_CLIENT_ID',
	'INFISICAL_CLIENT_SECRET',
	'INFISICAL_PROJECT_ID',
	'INFISICAL_ENVIRONMENT',
	'INFISICAL_SECRET_PATH',
	'SLACK_WEBHOOK_URL',
	'LLM_GATEWAY_TOKEN',
] as const;

export class SettingsError extends Error {}

export function readSettings(env: NodeJS.ProcessEnv = process.env): StartSettings {
	const get = (name: string): string | undefined => {
		const value = env[name]?.trim();
		return value ? value : undefined;
	};
	const portText = get('N8N_PORT') ?? '5678';
	const port = Number(portText);
	if (!Number.isInteger(port) || port < 1 || port > 65535)
		throw new SettingsError(`N8N_PORT must be a port number, got "${portText}"`);
	if (port === 5679)
		throw new SettingsError("N8N_PORT=5679 is the port of n8n's task broker; pick another");

	const baseUrl = get('LITELLM_BASE_URL');
	if (!baseUrl) {
		const ignored = START_VARIABLES.filter((n) => n !== 'N8N_PORT' && get(n));
		return { port, sandbox: true, credentials: {}, credentialsById: {}, ignored };
	}
	if (!/^https?:\/\//.test(baseUrl))
		throw new SettingsError(
			`LITELLM_BASE_URL needs a scheme, e.g. http://localhost:4000 (got "${baseUrl}")`,
		);
	const apiKey = get('LITELLM_API_KEY');
	if (!apiKey)
		throw new SettingsError(
			'LITELLM_BASE_URL is set but LITELLM_API_KEY is not (the master key: the Key Manager and Usage nodes need it)',
		);

	const credentials: CredentialData = { liteLlmApi: { baseUrl, apiKey } };
	const openRouterKey = get('OPENROUTER_API_KEY');
	if (openRouterKey) {
		credentials.liteLlmOpenRouterApi = {
			apiKey: openRouterKey,
			baseUrl: get('OPENROUTER_BASE_URL') ?? 'https://openrouter.ai/api/v1',
			appTitle: 'n8n',
			referer: '',
		};
	}
	const clientId = get('INFISICAL_CLIENT_ID');
	const clientSecret = get('INFISICAL_CLIENT_SECRET');
	const projectId = get('INFISICAL_PROJECT_ID');
	if (clientId || clientSecret || projectId) {
		const missing = [
			['INFISICAL_CLIENT_ID', clientId],
			['INFISICAL_CLIENT_SECRET', clientSecret],
			['INFISICAL_PROJECT_ID', projectId],
		]
			.filter(([, v]) => !v)
			.map(([n]) => n);
		if (missing.length) throw new SettingsError(`Infisical needs ${missing.join(', ')} as well`);
		credentials.liteLlmInfisicalApi = {
			siteUrl: get('INFISICAL_SITE_URL') ?? 'https://app.infisical.com',
			clientId: clientId!,
			clientSecret: clientSecret!,
			projectId: projectId!,
			environment: get('INFISICAL_ENVIRONMENT') ?? 'prod',
			folderPath: get('INFISICAL_SECRET_PATH') ?? '/',
			accessToken: '',
		};
	}
	const credentialsById: Record<string, Record<string, unknown>> = {};
	const managementKey = get('OPENROUTER_MANAGEMENT_KEY');
	if (managementKey) {
		credentialsById.openRouterMgmt01 = {
			apiKey: managementKey,
			baseUrl: get('OPENROUTER_BASE_URL') ?? 'https://openrouter.ai/api/v1',
			appTitle: 'n8n',
			referer: '',
		};
	}
	const gatewayToken = get('LLM_GATEWAY_TOKEN');
	if (gatewayToken)
		credentials.httpHeaderAuth = { name: 'Authorization', value: `Bearer ${gatewayToken}` };
	return {
		port,
		sandbox: false,
		credentials,
		credentialsById,
		slackWebhookUrl: get('SLACK_WEBHOOK_URL'),
		ignored: [],
	};
}
