/**
 * OpenRouter's error body: `{"error":{"code":<int>,"message","metadata"?},"user_id"?}`.
 * The HTTP status equals `code` for request-level errors (400, 401, 402, ...); failures after generation
 * started are HTTP 200 with this body (see chat.ts).
 */
import type { SimResponse } from '../http/server';

export interface OpenRouterErrorBody {
	error: { code: number; message: string; metadata?: Record<string, unknown> };
	user_id?: string;
}

export function errorBody(
	code: number,
	message: string,
	metadata?: Record<string, unknown>,
	userId?: string,
): OpenRouterErrorBody {
	return {
		error: { code, message, ...(metadata ? { metadata } : {}) },
		...(userId ? { user_id: userId } : {}),
	};
}

export function errorResponse(
	code: number,
	message: string,
	metadata?: Record<string, unknown>,
	userId?: string,
): SimResponse {
	return { status: code, body: errorBody(code, message, metadata, userId) };
}
