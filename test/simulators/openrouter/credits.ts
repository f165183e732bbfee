/**
 * `GET /api/v1/credits` → `{data:{total_credits,total_usage}}`, management keys only (OpenRouter's docs: "It now requires a
 * management key").
 *
 * Choices where the docs are silent: another key gets 403 "Only management keys can fetch credits" in OpenRouter's
 * error body; the account's totals are the management key's own `credits` and the usage of every key in the
 * store (the simulator has one account).
 */
import type { SimServer } from '../http/server';
import { authenticate, isResponse } from './auth';
import type { OpenRouterContext } from './context';
import { errorResponse } from './errors';

export function registerCredits(server: SimServer, ctx: OpenRouterContext): void {
	server.route('GET', '/api/v1/credits', (req) => {
		const key = authenticate(req.headers, ctx.keys, ctx.options.clock(), 'any');
		if (isResponse(key)) return key;
		if (!key.isManagementKey) return errorResponse(403, 'Only management keys can fetch credits');
		const usage = [...ctx.keys.byHash.values()].reduce((sum, k) => sum + k.usage, 0);
		return { status: 200, body: { data: { total_credits: key.credits, total_usage: usage } } };
	});
}
