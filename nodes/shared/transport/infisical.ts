import {
	type IDataObject,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type INode,
	NodeOperationError,
	sleep,
} from 'n8n-workflow';

import type { GatewayError } from '../errors/classes';
import { errorFromResponse, protocolError } from '../errors/from-response';
import { retryAfterMs } from '../errors/envelope';
import { settle } from '../settle';
import { checkedBaseUrl, plainHttpRefusal } from './base-url';
import { type HttpContext, type RawResponse, toRawResponse, transportError } from './http';

export const INFISICAL_CREDENTIAL = 'liteLlmInfisicalApi';

/** Where the keys live, and the secrets that must never be printed. */
export interface InfisicalConnection {
	siteUrl: string;
	projectId: string;
	environment: string;
	secretPath: string;
	/** The folder of the audit trail (shared/audit); undefined when the trail is off. */
	auditPath?: string;
	secrets: string[];
}

/** A secret as the Key Manager uses it. `value` is plaintext: it must never reach an output item. */
export interface StoredSecret {
	name: string;
	value: string;
	comment: string;
	version: number;
}

/**
 * The key store, as the rotation state machine and the operations see it. `create` never overwrites: it
 * answers 'exists' when the name is taken (the lease relies on that). `get` and `remove` answer undefined /
 * false for a secret that is not there.
 */
export interface SecretStore {
	list(): Promise<StoredSecret[]>;
	get(name: string, version?: number): Promise<StoredSecret | undefined>;
	create(name: string, value: string, comment: string): Promise<'created' | 'exists'>;
	/**
	 * A new version. `value` undefined changes the comment only: the PATCH carries no secretValue and
	 * Infisical keeps the current value (so a metadata write can never put back a value read earlier).
	 */
	update(name: string, value: string | undefined, comment?: string): Promise<StoredSecret>;
	remove(name: string): Promise<boolean>;
}

const PATH = /^\/[A-Za-z0-9_\-/.]*$/;

function required(node: INode, value: unknown, field: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) {
		throw new NodeOperationError(
			node,
			`${field} of the LiteLLM Infisical API credential is empty`,
			{
				description: `Open the credential and fill in "${field}"`,
			},
		);
	}
	return text;
}

export async function infisicalConnection(ctx: HttpContext): Promise<InfisicalConnection> {
	const credentials = await ctx.getCredentials(INFISICAL_CREDENTIAL);
	const node = ctx.getNode();
	const secretPath =
		(typeof credentials.folderPath === 'string' && credentials.folderPath.trim()) || '/';
	if (!PATH.test(secretPath)) {
		throw new NodeOperationError(
			node,
			`Folder Path of the LiteLLM Infisical API credential must start with "/" (got "${secretPath.slice(0, 60)}")`,
		);
	}
	const siteUrl = checkedBaseUrl(node, credentials.siteUrl, 'LiteLLM Infisical API', {
		fallback: 'https://app.infisical.com',
	});
	// Checked on every use: the client secret and every key read or written travel to this URL.
	const refusal = credentials.allowPlainHttp === true ? undefined : plainHttpRefusal(siteUrl);
	if (refusal) {
		throw new NodeOperationError(
			node,
			`The Site URL of the LiteLLM Infisical API credential ${refusal}`,
			{
				description:
					'Use https://, or turn on "Allow Plain HTTP to Another Host" in the credential if the network is private',
			},
		);
	}
	const auditPath =
		typeof credentials.auditFolderPath === 'string'
			? credentials.auditFolderPath.trim().replace(/(.)\/+$/, '$1')
			: '';
	if (auditPath && !PATH.test(auditPath)) {
		throw new NodeOperationError(
			node,
			`Audit Folder Path of the LiteLLM Infisical API credential must start with "/" (got "${auditPath.slice(0, 60)}")`,
		);
	}
	return {
		siteUrl,
		...(auditPath ? { auditPath } : {}),
		projectId: required(node, credentials.projectId, 'Project ID'),
		environment: required(node, credentials.environment, 'Environment Slug'),
		secretPath: secretPath.length > 1 ? secretPath.replace(/\/+$/, '') : secretPath,
		secrets: [String(credentials.clientSecret ?? ''), String(credentials.accessToken ?? '')],
	};
}

interface InfisicalCall {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

const INFISICAL_TIMEOUT_MS = 15_000;

/** 429 waits at most this long (Infisical Cloud's limits are per minute); then the error surfaces. */
const MAX_RATE_LIMIT_WAIT_MS = 5_000;

/**
 * One call to Infisical's REST API. An expired access token is answered 403 TokenError: n8n-core then runs
 * the credential's preAuthentication once more (a fresh login) and retries, because we pass
 * `preAuthenticationRetryStatusCode: 403`. That path only fires for requests that throw on HTTP errors, so
 * unlike the other transports this one does not set ignoreHttpStatusErrors and reads the status off the
 * error instead. A 429 is retried twice after Retry-After (capped). Everything else becomes a GatewayError.
 */
export async function infisicalRequest<T>(
	ctx: HttpContext,
	connection: InfisicalConnection,
	call: InfisicalCall,
): Promise<T> {
	for (let attempt = 0; ; attempt++) {
		const response = await sendOnce(ctx, connection, call);
		if (response.status === 429 && attempt < 2) {
			await sleep(Math.min(retryAfterMs(response.headers) ?? 1000, MAX_RATE_LIMIT_WAIT_MS));
			continue;
		}
		if (response.status < 200 || response.status >= 300)
			throw errorFromResponse('infisical', response, connection.secrets);
		if (response.json === undefined) {
			throw protocolError('infisical', response, 'the body is not valid JSON', connection.secrets);
		}
		return response.json as T;
	}
}

async function sendOnce(
	ctx: HttpContext,
	connection: InfisicalConnection,
	call: InfisicalCall,
): Promise<RawResponse> {
	const options: IHttpRequestOptions = {
		method: call.method,
		url: `${connection.siteUrl}${call.path}`,
		qs: call.qs,
		body: call.body,
		headers: { Accept: 'application/json' },
		json: call.body !== undefined,
		encoding: 'text',
		returnFullResponse: true,
		timeout: INFISICAL_TIMEOUT_MS,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	const started = Date.now();
	let raw: { body: unknown; headers: Record<string, unknown>; statusCode: number };
	try {
		raw = await ctx.helpers.httpRequestWithAuthentication.call(ctx, INFISICAL_CREDENTIAL, options, {
			preAuthenticationRetryStatusCode: 403,
		});
	} catch (error) {
		const answered = httpAnswerOf(error);
		if (answered) return toRawResponse(answered.status, answered.headers, answered.data, started);
		throw transportError(error, 'infisical', INFISICAL_TIMEOUT_MS, connection.secrets);
	}
	return toRawResponse(raw.statusCode, raw.headers, raw.body, started);
}

/** The HTTP answer inside n8n's wrapped error (NodeApiError → axios error → response), if there was one. */
function httpAnswerOf(
	error: unknown,
): { status: number; headers: Record<string, unknown>; data: unknown } | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const record = current as {
			response?: { status?: unknown; headers?: unknown; data?: unknown };
			cause?: unknown;
		};
		if (record.response && typeof record.response.status === 'number') {
			return {
				status: record.response.status,
				headers: (record.response.headers as Record<string, unknown>) ?? {},
				data: record.response.data,
			};
		}
		current = record.cause;
	}
	return undefined;
}

interface ApiSecret {
	secretKey: string;
	secretValue?: string;
	secretComment?: string;
	version?: number;
}

const toStored = (s: ApiSecret): StoredSecret => ({
	name: s.secretKey,
	value: s.secretValue ?? '',
	comment: s.secretComment ?? '',
	version: Number(s.version ?? 1),
});

/** The SecretStore over Infisical's v4 secrets API, in the credential's project, environment and path. */
export function infisicalStore(ctx: HttpContext, connection: InfisicalConnection): SecretStore {
	const scope = {
		projectId: connection.projectId,
		environment: connection.environment,
		secretPath: connection.secretPath,
	};
	const name = (n: string) => `/api/v4/secrets/${encodeURIComponent(n)}`;
	const isStatus = (error: unknown, status: number) =>
		(error as GatewayError | undefined)?.status === status;
	return {
		async list() {
			const data = await infisicalRequest<{ secrets?: ApiSecret[] }>(ctx, connection, {
				method: 'GET',
				path: '/api/v4/secrets',
				qs: {
					...scope,
					viewSecretValue: 'true',
					expandSecretReferences: 'false',
					recursive: 'false',
				},
			});
			return (data.secrets ?? []).map(toStored);
		},
		async get(secretName, version) {
			const outcome = await settle(
				infisicalRequest<{ secret: ApiSecret }>(ctx, connection, {
					method: 'GET',
					path: name(secretName),
					qs: {
						...scope,
						type: 'shared',
						viewSecretValue: 'true',
						expandSecretReferences: 'false',
						...(version ? { version } : {}),
					},
				}),
			);
			if (outcome.ok) return toStored(outcome.value.secret);
			if (isStatus(outcome.error, 404)) return undefined;
			throw outcome.error;
		},
		async create(secretName, value, comment) {
			const outcome = await settle(
				infisicalRequest<{ secret?: ApiSecret }>(ctx, connection, {
					method: 'POST',
					path: name(secretName),
					body: { ...scope, secretValue: value, secretComment: comment, type: 'shared' },
				}),
			);
			if (outcome.ok) return 'created';
			const error = outcome.error as GatewayError;
			if (isStatus(error, 400) && /already exist/i.test(error.message)) return 'exists';
			throw error;
		},
		async update(secretName, value, comment) {
			const data = await infisicalRequest<{ secret: ApiSecret }>(ctx, connection, {
				method: 'PATCH',
				path: name(secretName),
				body: {
					...scope,
					type: 'shared',
					...(value !== undefined ? { secretValue: value } : {}),
					...(comment !== undefined ? { secretComment: comment } : {}),
				},
			});
			return toStored(data.secret);
		},
		async remove(secretName) {
			const outcome = await settle(
				infisicalRequest(ctx, connection, {
					method: 'DELETE',
					path: name(secretName),
					body: { ...scope, type: 'shared' },
				}),
			);
			if (outcome.ok) return true;
			if (isStatus(outcome.error, 404)) return false;
			throw outcome.error;
		},
	};
}
