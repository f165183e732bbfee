/**
 * Health routes. `/health/liveliness` and `/health/liveness` answer the JSON string
 * "I'm alive!"; `/health/readiness` the status object; `GET /health[?model=|model_id=]` checks every deployment
 * the key may use. The simulator's "real small LLM call" is the deployment's injected failure state, read
 * without consuming it (a failing upstream fails its health check too).
 *
 * Choice: readiness says `db: "connected"` (virtual keys need the DB, so a proxy with keys has one).
 */
import type { SimServer } from '../http/server';
import { authenticate, keyAllows } from './auth';
import type { LiteLlmContext } from './context';
import { defaultProviderText, ProxyError, UpstreamError } from './errors';

export function registerHealth(server: SimServer, ctx: LiteLlmContext): void {
	const alive = () => ({
		status: 200,
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify("I'm alive!"),
	});
	server.route('GET', '/health/liveliness', alive);
	server.route('GET', '/health/liveness', alive);
	server.route('GET', '/health/readiness', () => ({
		status: 200,
		body: {
			// litellm 1.83.7 without a database: {status: "healthy", db: "Not connected"}.
			status: ctx.state.database ? 'connected' : 'healthy',
			db: ctx.state.database ? 'connected' : 'Not connected',
			cache: null,
			litellm_version: ctx.options.version,
			success_callbacks: [],
			use_aiohttp_transport: true,
			log_level: 'WARNING',
			last_updated: new Date(ctx.options.clock()).toISOString(),
		},
	}));

	server.route('GET', '/health', (req) => {
		const auth = authenticate(req.headers, ctx.config, ctx.state, ctx.options.clock());
		if (auth instanceof ProxyError) return auth.toResponse();
		const model = req.query.get('model');
		const modelId = req.query.get('model_id');
		const admin = auth.role === 'proxy_admin';
		const healthy: Array<Record<string, unknown>> = [];
		const unhealthy: Array<Record<string, unknown>> = [];
		for (const d of ctx.state.deployments) {
			if (!keyAllows(auth, d.model_name)) continue;
			if (model && d.model_name !== model && d.litellm_params.model !== model) continue;
			if (modelId && d.model_info.id !== modelId) continue;
			const entry: Record<string, unknown> = { model: d.litellm_params.model };
			if (admin) {
				if (d.litellm_params.api_base) entry.api_base = d.litellm_params.api_base;
				if (d.litellm_params.api_version) entry.api_version = d.litellm_params.api_version;
				entry.custom_llm_provider = d.provider;
				entry.mode = 'chat';
				if (d.litellm_params.tpm !== undefined) entry.tpm = d.litellm_params.tpm;
				if (d.litellm_params.rpm !== undefined) entry.rpm = d.litellm_params.rpm;
			}
			const failure = ctx.upstream.peek(d);
			if (failure) {
				if (admin) {
					const error = new UpstreamError(
						failure.status,
						d.provider,
						failure.message ?? defaultProviderText(failure.status),
					);
					entry.error = `${error.litellmMessage()}\nHave you set 'mode' - https://docs.litellm.ai/docs/proxy/health#embedding-models`;
				}
				unhealthy.push(entry);
			} else {
				healthy.push(entry);
			}
		}
		return {
			status: 200,
			body: {
				healthy_endpoints: healthy,
				unhealthy_endpoints: unhealthy,
				healthy_count: healthy.length,
				unhealthy_count: unhealthy.length,
			},
		};
	});
}
