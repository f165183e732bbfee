/**
 * `user_api_key_auth`: where the key is read, master key vs virtual key, and the 401/403/429
 * envelopes.
 *
 * Choices where LiteLLM's documentation and code leave the answer open:
 * - Errors raised as plain exceptions inside auth reach the client through `auth_exception_handler`, which
 *   prefixes "Authentication Error, " and sets type `auth_error`, param "None" (malformed Bearer, not `sk-`,
 *   blocked). LiteLLM's "Malformed API Key" message also echoes the passed value; the simulator leaves that
 *   tail out so a test never sees a key in a message.
 * - The master key has no DB row: it is `proxy_admin`, has no model list and no budget.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import type { ProxyConfig } from './config';
import { ProxyError } from './errors';
import { pyFloat, pyStr } from './pyfloat';
import { abbreviateKey, hashToken, type KeyRow, type ProxyState } from './state';

/** Routes LiteLLM serves without a key. */
export const PUBLIC_ROUTES = new Set([
	'/',
	'/health/liveliness',
	'/health/liveness',
	'/health/readiness',
	'/routes',
	'/metrics',
]);

export interface AuthContext {
	role: 'proxy_admin' | 'internal_user';
	isMaster: boolean;
	/** sha256 of the key sent ('' when none was sent and no master key is configured). */
	token: string;
	/** Plaintext key as sent (never echoed by the simulator). */
	apiKey: string;
	/** The virtual key's row, for virtual keys. */
	key?: KeyRow;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

function bearer(value: string): string {
	for (const prefix of ['Bearer ', 'bearer ', 'Basic ']) {
		if (value.startsWith(prefix)) return value.slice(prefix.length);
	}
	return '';
}

/**
 * The key as LiteLLM reads it: the first header present wins. Returns undefined when none is present;
 * '' when Authorization lacks a `Bearer ` prefix (→ "Malformed API Key").
 */
export function readKey(headers: IncomingHttpHeaders, customHeader?: string): string | undefined {
	const litellm = header(headers, 'x-litellm-api-key');
	if (litellm !== undefined)
		return litellm.startsWith('Bearer ') || litellm.startsWith('bearer ')
			? bearer(litellm)
			: litellm;
	if (customHeader) {
		const custom = header(headers, customHeader);
		if (custom !== undefined) return bearer(custom);
	}
	const authorization = header(headers, 'authorization');
	if (authorization !== undefined) return bearer(authorization);
	for (const name of ['api-key', 'x-api-key', 'x-goog-api-key', 'ocp-apim-subscription-key']) {
		const value = header(headers, name);
		if (value !== undefined) return value;
	}
	return undefined;
}

function sameSecret(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

/** Python's `str(datetime)` for an aware UTC time: `2026-01-02 03:04:05.123000+00:00`. */
function pyDatetime(date: Date): string {
	return date.toISOString().replace('T', ' ').replace('Z', '000+00:00');
}

function authError(message: string): ProxyError {
	return new ProxyError(401, `Authentication Error, ${message}`, 'auth_error', 'None');
}

export function authenticate(
	headers: IncomingHttpHeaders,
	config: ProxyConfig,
	state: ProxyState,
	now = Date.now(),
): AuthContext | ProxyError {
	const apiKey = readKey(headers, config.customKeyHeader);
	if (!config.masterKey) {
		return {
			role: 'proxy_admin',
			isMaster: false,
			token: apiKey ? hashToken(apiKey) : '',
			apiKey: apiKey ?? '',
		};
	}
	if (apiKey === undefined) return authError('No api key passed in.');
	if (apiKey === '')
		return authError('Malformed API Key passed in. Ensure Key has `Bearer ` prefix.');
	if (sameSecret(apiKey, config.masterKey)) {
		return { role: 'proxy_admin', isMaster: true, token: hashToken(apiKey), apiKey };
	}
	if (!apiKey.startsWith('sk-')) {
		const shown = `${apiKey.slice(0, 4)}****${apiKey.slice(-4)}`;
		return authError(
			`LiteLLM Virtual Key expected. Received=${shown}, expected to start with 'sk-'.`,
		);
	}
	const token = hashToken(apiKey);
	const key = state.authRow(token, now);
	// Without a database LiteLLM cannot look the key up at all (litellm 1.83.7: user_api_key_auth).
	if (!key && !state.database)
		return new ProxyError(400, 'No connected db.', 'no_db_connection', null);
	if (!key) {
		return new ProxyError(
			401,
			`Authentication Error, Invalid proxy server token passed. Received API Key = ${abbreviateKey(apiKey)}, Key Hash (Token) =${token}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
			'token_not_found_in_db',
			'key',
		);
	}
	if (key.blocked)
		return authError("Key is blocked. Update via `/key/unblock` if you're an admin.");
	if (key.expires && Date.parse(key.expires) < now) {
		return new ProxyError(
			401,
			`Authentication Error - Expired Key. Key Expiry time ${pyDatetime(new Date(key.expires))} and current time ${pyDatetime(new Date(now))}`,
			'expired_key',
			abbreviateKey(apiKey),
		);
	}
	return { role: 'internal_user', isMaster: false, token, apiKey, key };
}

/** True when the key may call model group `model` (empty list or `all-proxy-models` = everything). */
export function keyAllows(ctx: AuthContext, model: string): boolean {
	const models = ctx.key?.models ?? [];
	return models.length === 0 || models.includes('all-proxy-models') || models.includes(model);
}

export function checkModelAccess(ctx: AuthContext, model: string): ProxyError | undefined {
	if (keyAllows(ctx, model)) return undefined;
	return new ProxyError(
		403,
		`key not allowed to access model. This key can only access models=${pyStr(ctx.key?.models ?? [])}. Tried to access ${model}`,
		'key_model_access_denied',
		'model',
	);
}

/** Budget check before the call: 429 once spend >= max_budget. */
export function checkBudget(ctx: AuthContext): ProxyError | undefined {
	const key = ctx.key;
	if (!key || key.max_budget === null || key.spend < key.max_budget) return undefined;
	return new ProxyError(
		429,
		`Budget has been exceeded! Key=${pyStr(key.key_alias)} (${abbreviateKey(ctx.apiKey)}) Current cost: ${pyFloat(key.spend)}, Max budget: ${pyFloat(key.max_budget)}`,
		'budget_exceeded',
		null,
	);
}
