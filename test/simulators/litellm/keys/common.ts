import type { SimRequest, SimResponse } from '../../http/server';
import { authenticate, type AuthContext } from '../auth';
import type { LiteLlmContext } from '../context';
import { ProxyError } from '../errors';

/**
 * Admin routes answer only the master key (proxy_admin). Choice: a virtual key gets 401 auth_error with
 * LiteLLM's "Only proxy admin…" text (the real proxy lets internal users manage their own keys; the Key
 * Manager always uses the master key, so that path is not modelled).
 */
export function asAdmin(
	ctx: LiteLlmContext,
	req: SimRequest,
	route: string,
	handler: (auth: AuthContext) => SimResponse,
): SimResponse {
	const auth = authenticate(req.headers, ctx.config, ctx.state, ctx.options.clock());
	if (auth instanceof ProxyError) return auth.toResponse();
	if (auth.role !== 'proxy_admin') {
		return new ProxyError(
			401,
			`Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${route}. Your role=internal_user.`,
			'auth_error',
			'None',
		).toResponse();
	}
	const result = handler(auth);
	return result;
}

/** An HTTPException's `detail` dict as LiteLLM stringifies it (a Python repr), type and param "None". */
export function detailError(status: number, error: string): SimResponse {
	return new ProxyError(
		status,
		`{'error': '${error.replace(/'/g, "\\'")}'}`,
		'None',
		'None',
	).toResponse();
}

export function bodyOf(req: SimRequest): Record<string, unknown> {
	return req.body && typeof req.body === 'object' && !Array.isArray(req.body)
		? (req.body as Record<string, unknown>)
		: {};
}

/** LiteLLM durations: 30s, 30m, 30h, 30d, 1mo → ms. */
export function durationMs(value: string): number | undefined {
	const match = /^(\d+)(s|m|h|d|mo)$/.exec(value);
	if (!match) return undefined;
	const n = Number(match[1]);
	const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, mo: 30 * 86_400_000 }[
		match[2] as 's'
	];
	return n * unit;
}
