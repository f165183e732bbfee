/**
 * `GET /api/v1/key` (any key, management keys included): the calling key's limits and usage.
 * Later issues add `/api/v1/keys` (management) and `/api/v1/credits` as sibling route files over ctx.keys.
 */
import type { SimServer } from '../http/server';
import { authenticate, isResponse } from './auth';
import type { OpenRouterContext } from './context';

export function registerKey(server: SimServer, ctx: OpenRouterContext): void {
	server.route('GET', '/api/v1/key', (req) => {
		const key = authenticate(req.headers, ctx.keys, ctx.options.clock(), 'any');
		if (isResponse(key)) return key;
		return {
			status: 200,
			body: {
				data: {
					label: key.label,
					limit: key.limit,
					limit_remaining: key.limit === null ? null : key.limit - key.usage,
					limit_reset: key.limit_reset,
					include_byok_in_limit: key.include_byok_in_limit,
					expires_at: key.expires_at,
					usage: key.usage,
					usage_daily: key.usage_daily,
					usage_weekly: key.usage_weekly,
					usage_monthly: key.usage_monthly,
					byok_usage: key.byok_usage,
					byok_usage_daily: key.byok_usage_daily,
					byok_usage_weekly: key.byok_usage_weekly,
					byok_usage_monthly: key.byok_usage_monthly,
					is_free_tier: key.credits === 0,
					is_management_key: key.isManagementKey,
					is_provisioning_key: key.isManagementKey,
					rate_limit: {
						requests: -1,
						interval: '10s',
						note: 'This field is deprecated and safe to ignore.',
					},
				},
			},
		};
	});
}
