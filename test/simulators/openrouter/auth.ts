/**
 * `Authorization: Bearer <key>` (OpenRouter reads only that header).
 *
 * Choices where the docs are silent: a missing key gives 401 "No auth credentials found"; an unknown, disabled
 * or expired key 401 "User not found." (the message OpenRouter gives for a bad key); a management key on a
 * completion route 401 "Management keys cannot be used for completions..." (401, not 403: the credential is the
 * wrong kind, so a client must not retry it).
 */
import type { IncomingHttpHeaders } from 'node:http';

import type { SimResponse } from '../http/server';
import { errorResponse } from './errors';
import type { KeyStore, OpenRouterKey } from './keys';

export function authenticate(
	headers: IncomingHttpHeaders,
	keys: KeyStore,
	now: number,
	purpose: 'inference' | 'any',
): OpenRouterKey | SimResponse {
	const authorization = headers.authorization;
	const match =
		typeof authorization === 'string' ? /^Bearer\s+(.+)$/i.exec(authorization.trim()) : null;
	if (!match) return errorResponse(401, 'No auth credentials found');
	const row = keys.find(match[1]);
	if (!row || row.disabled || (row.expires_at !== null && Date.parse(row.expires_at) < now)) {
		return errorResponse(401, 'User not found.');
	}
	if (purpose === 'inference' && row.isManagementKey) {
		return errorResponse(
			401,
			'Management keys cannot be used for completions. Use a regular API key.',
			undefined,
			row.userId,
		);
	}
	return row;
}

export function isResponse(value: OpenRouterKey | SimResponse): value is SimResponse {
	return 'status' in value && 'body' in value && !('hash' in value);
}
