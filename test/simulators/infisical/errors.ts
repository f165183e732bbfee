/**
 * Infisical's error envelope, copied from backend/src/server/plugins/error-handler.ts:
 * `{reqId, statusCode, message, error}`. Expired/malformed JWTs are 403 `TokenError` (not 401); zod
 * failures are 422 `ValidationFailure` with `message` an ARRAY of zod issues.
 */
import { randomBytes } from 'node:crypto';

import type { SimResponse } from '../http/server';

export type InfisicalErrorName =
	| 'BadRequestError'
	| 'UnauthorizedError'
	| 'PermissionDenied'
	| 'TokenError'
	| 'NotFoundError'
	| 'ValidationFailure'
	| 'RateLimitError'
	| 'InternalServerError';

export interface ZodIssue {
	code: string;
	path: Array<string | number>;
	message: string;
	expected?: string;
	received?: string;
	options?: string[];
}

/** fastify's genReqId in Infisical: `req-` + 14 alphanumerics. */
export function reqId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return `req-${Array.from(randomBytes(14), (b) => alphabet[b % alphabet.length]).join('')}`;
}

const NAME_BY_STATUS: Record<number, InfisicalErrorName> = {
	400: 'BadRequestError',
	401: 'UnauthorizedError',
	403: 'PermissionDenied',
	404: 'NotFoundError',
	422: 'ValidationFailure',
	429: 'RateLimitError',
	500: 'InternalServerError',
};

export function infisicalError(
	status: number,
	message: string | ZodIssue[],
	error: InfisicalErrorName = NAME_BY_STATUS[status] ?? 'InternalServerError',
	headers?: Record<string, string>,
): SimResponse {
	return { status, headers, body: { reqId: reqId(), statusCode: status, message, error } };
}

/** The body a status fault should carry so `failNext` answers in Infisical's envelope. */
export function infisicalErrorBody(status: number, message?: string): Record<string, unknown> {
	const error = NAME_BY_STATUS[status] ?? 'InternalServerError';
	return {
		reqId: reqId(),
		statusCode: status,
		message: message ?? (status >= 500 ? 'Something went wrong' : `Simulated ${error}`),
		error,
	};
}

export const requiredIssue = (field: string): ZodIssue => ({
	code: 'invalid_type',
	expected: 'string',
	received: 'undefined',
	path: [field],
	message: 'Required',
});

export const enumIssue = (field: string, options: string[], received: string): ZodIssue => ({
	code: 'invalid_enum_value',
	options,
	received,
	path: [field],
	message: `Invalid enum value. Expected ${options.map((o) => `'${o}'`).join(' | ')}, received '${received}'`,
});

/** Messages of the JWT branch of the error handler. */
export const TOKEN_MESSAGES = {
	expired: 'Your token has expired. Please re-authenticate.',
	malformed:
		'The provided access token is malformed. Please use a valid token or generate a new one and try again.',
	invalidSignature: 'invalid signature',
} as const;
