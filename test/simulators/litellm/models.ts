/**
 * Model listing routes: `GET /v1/models` and `/models` (model groups the key may use),
 * `GET /model/info` and `/v1/model/info` (one entry per deployment, secrets stripped), `GET /model_group/info`.
 *
 * Choices where LiteLLM's documentation and code leave the answer open:
 * - Non-admin keys see only their models on /model/info and /model_group/info too (newer LiteLLM builds).
 * - Secrets stripped from litellm_params: api_key and the cloud secrets LiteLLM's
 *   `remove_sensitive_info_from_deployment` pops (vertex_credentials, aws_* keys, client_secret).
 * - /model_group/info: max tokens and costs from the group's first deployment; tpm/rpm are sums or null.
 */
import type { SimServer } from '../http/server';
import { authenticate, type AuthContext, keyAllows } from './auth';
import type { Deployment } from './config';
import type { LiteLlmContext } from './context';
import { ProxyError } from './errors';
import { lookupPrice, priceKey } from './pricing';

const SECRET_PARAMS = [
	'api_key',
	'vertex_credentials',
	'aws_access_key_id',
	'aws_secret_access_key',
	'aws_session_token',
	'client_secret',
];

export function publicParams(d: Deployment): Record<string, unknown> {
	const params: Record<string, unknown> = { ...d.litellm_params };
	for (const name of SECRET_PARAMS) delete params[name];
	return params;
}

export function modelInfoOf(d: Deployment): Record<string, unknown> {
	const price = lookupPrice(d.litellm_params.model, d.model_info.base_model);
	return {
		...d.model_info,
		id: d.model_info.id,
		db_model: d.dbModel,
		key: priceKey(d.litellm_params.model, d.model_info.base_model),
		max_tokens: d.model_info.max_tokens ?? price?.max_tokens ?? null,
		max_input_tokens: d.model_info.max_input_tokens ?? price?.max_input_tokens ?? null,
		max_output_tokens: d.model_info.max_output_tokens ?? price?.max_output_tokens ?? null,
		input_cost_per_token: d.litellm_params.input_cost_per_token ?? price?.input_cost_per_token ?? 0,
		output_cost_per_token:
			d.litellm_params.output_cost_per_token ?? price?.output_cost_per_token ?? 0,
		litellm_provider: d.provider,
		mode: (d.model_info.mode as string | undefined) ?? 'chat',
		supports_function_calling: price?.supports_function_calling ?? false,
		supports_parallel_function_calling: price?.supports_parallel_function_calling ?? false,
		supports_vision: price?.supports_vision ?? false,
	};
}

const SUPPORTED_OPENAI_PARAMS = [
	'frequency_penalty',
	'logit_bias',
	'logprobs',
	'top_logprobs',
	'max_tokens',
	'max_completion_tokens',
	'n',
	'presence_penalty',
	'seed',
	'stop',
	'stream',
	'stream_options',
	'temperature',
	'top_p',
	'tools',
	'tool_choice',
	'function_call',
	'functions',
	'parallel_tool_calls',
	'response_format',
	'user',
];

function visible(ctx: LiteLlmContext, auth: AuthContext): Deployment[] {
	return ctx.state.deployments.filter((d) => keyAllows(auth, d.model_name));
}

export function registerModels(server: SimServer, ctx: LiteLlmContext): void {
	const withAuth =
		(handler: (auth: AuthContext, query: URLSearchParams) => unknown) =>
		(req: { headers: import('node:http').IncomingHttpHeaders; query: URLSearchParams }) => {
			const auth = authenticate(req.headers, ctx.config, ctx.state, ctx.options.clock());
			if (auth instanceof ProxyError) return auth.toResponse();
			return { status: 200, body: handler(auth, req.query) };
		};

	const listModels = withAuth((auth) => ({
		data: [...new Set(visible(ctx, auth).map((d) => d.model_name))].map((id) => ({
			id,
			object: 'model',
			created: 1677610602,
			owned_by: 'openai',
		})),
		object: 'list',
	}));
	server.route('GET', '/v1/models', listModels);
	server.route('GET', '/models', listModels);

	const modelInfo = withAuth((auth, query) => {
		const id = query.get('litellm_model_id');
		return {
			data: visible(ctx, auth)
				.filter((d) => !id || d.model_info.id === id)
				.map((d) => ({
					model_name: d.model_name,
					litellm_params: publicParams(d),
					model_info: modelInfoOf(d),
				})),
		};
	});
	server.route('GET', '/model/info', modelInfo);
	server.route('GET', '/v1/model/info', modelInfo);
	server.route('GET', '/v2/model/info', modelInfo);

	server.route(
		'GET',
		'/model_group/info',
		withAuth((auth, query) => {
			const only = query.get('model_group');
			const groups = [...new Set(visible(ctx, auth).map((d) => d.model_name))].filter(
				(g) => !only || g === only,
			);
			return {
				data: groups.map((group) => {
					const deployments = ctx.state.deploymentsOf(group);
					const first = modelInfoOf(deployments[0]);
					const sum = (field: 'tpm' | 'rpm') => {
						const values = deployments
							.map((d) => d.litellm_params[field])
							.filter((v): v is number => typeof v === 'number');
						return values.length ? values.reduce((a, b) => a + b, 0) : null;
					};
					return {
						model_group: group,
						providers: [...new Set(deployments.map((d) => d.provider))],
						max_input_tokens: first.max_input_tokens,
						max_output_tokens: first.max_output_tokens,
						input_cost_per_token: first.input_cost_per_token,
						output_cost_per_token: first.output_cost_per_token,
						mode: first.mode,
						tpm: sum('tpm'),
						rpm: sum('rpm'),
						supports_parallel_function_calling: first.supports_parallel_function_calling,
						supports_vision: first.supports_vision,
						supports_function_calling: first.supports_function_calling,
						supported_openai_params: SUPPORTED_OPENAI_PARAMS,
						configurable_clientside_auth_params:
							deployments[0].litellm_params.configurable_clientside_auth_params ?? null,
					};
				}),
			};
		}),
	);
}
