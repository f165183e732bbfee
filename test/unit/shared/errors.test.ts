import type { RawResponse } from '../../../nodes/shared/transport/http';
import { errorFromResponse } from '../../../nodes/shared/errors/from-response';
import {
	failoverReason,
	isProxyDown,
	triggersFailover,
} from '../../../nodes/shared/failover/policy';

function response(
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): RawResponse {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status, headers, text, json, latencyMs: 1 };
}

const envelope = (
	message: string,
	type: string | null,
	code: string,
	param: string | null = null,
) => ({
	error: { message, type, param, code },
});

describe('errorFromResponse (LiteLLM envelope)', () => {
	it.each([
		[
			401,
			envelope(
				'Authentication Error, Invalid proxy server token passed.',
				'token_not_found_in_db',
				'401',
				'key',
			),
			'authentication',
			false,
		],
		[
			403,
			envelope('key not allowed to access model.', 'key_model_access_denied', '403', 'model'),
			'model_access_denied',
			false,
		],
		[
			429,
			envelope(
				'Budget has been exceeded! Current cost: 0.02, Max budget: 0.01',
				'budget_exceeded',
				'429',
			),
			'budget_exceeded',
			false,
		],
		[429, envelope('Rate limit reached for key', 'throttling_error', '429'), 'rate_limited', false],
		[
			429,
			envelope(
				'No deployments available for selected model, Try again in 5 seconds. Passed model=gpt-4o.',
				null,
				'429',
			),
			'no_deployments',
			true,
		],
		[
			400,
			envelope(
				'/chat/completions: Invalid model name passed in model=nope. Call `/v1/models` to view available models for your key.',
				'None',
				'400',
				'None',
			),
			'invalid_model',
			false,
		],
		[
			400,
			envelope(
				'litellm.ContextWindowExceededError: ContextWindowExceededError: OpenAIException - too long',
				null,
				'400',
			),
			'context_window',
			false,
		],
		[400, envelope('bad param', 'invalid_request_error', '400'), 'bad_request', false],
		[404, envelope('not found', 'not_found_error', '404'), 'not_found', false],
		[408, envelope('litellm.Timeout: Request timed out', null, '408'), 'upstream_provider', false],
		[422, { detail: [{ loc: ['body'], msg: 'field required' }] }, 'unprocessable', false],
		[
			500,
			envelope('litellm.APIError: APIError: OpenAIException - boom', null, '500'),
			'upstream_provider',
			false,
		],
		[502, '<html><head><title>502 Bad Gateway</title></head></html>', 'service_unavailable', true],
		[503, envelope('litellm.ServiceUnavailableError', null, '503'), 'upstream_provider', false],
		[503, '', 'service_unavailable', true],
		[504, 'Gateway Timeout', 'service_unavailable', true],
		// A proxy without DATABASE_URL (litellm 1.83.7's wordings, docs/upstreams.md): not a provider failure.
		[
			500,
			envelope(
				'Database not connected. Connect a database to your proxy - https://docs.litellm.ai/docs/simple_proxy#managing-auth---virtual-keys',
				'internal_server_error',
				'500',
				'None',
			),
			'no_database',
			false,
		],
		[
			500,
			envelope(
				"{'error': 'DB not connected. See https://docs.litellm.ai/docs/proxy/virtual_keys'}",
				'internal_server_error',
				'500',
				'None',
			),
			'no_database',
			false,
		],
		[
			500,
			envelope('Not connected to DB!', 'internal_server_error', '500', 'None'),
			'no_database',
			false,
		],
		[
			500,
			envelope(
				'/spend/logs ErrorDatabase not connected. Connect a database to your proxy',
				'internal_error',
				'500',
				'None',
			),
			'no_database',
			false,
		],
		[
			500,
			envelope(
				"{'error': \"No DB Connected. Here's how to do it - https://docs.litellm.ai/docs/proxy/virtual_keys\"}",
				'auth_error',
				'500',
				'None',
			),
			'no_database',
			false,
		],
		[
			500,
			{
				detail: { error: 'DB not connected. See https://docs.litellm.ai/docs/proxy/virtual_keys' },
			},
			'no_database',
			false,
		],
		[
			400,
			{
				error: { message: 'No connected db.', type: 'no_db_connection', param: null, code: '400' },
			},
			'no_database',
			false,
		],
	])('%i %j → %s (failover: %s)', (status, body, kind, failover) => {
		const error = errorFromResponse('litellm', response(status, body), []);
		expect(error.kind).toBe(kind);
		expect(error.status).toBe(status);
		expect(triggersFailover(error)).toBe(failover);
	});

	it('keeps the envelope fields and a short redacted excerpt', () => {
		const key = 'sk-leaky0123456789abcdef';
		const error = errorFromResponse(
			'litellm',
			response(
				401,
				envelope(
					`Authentication Error, Received API Key = ${key}`,
					'token_not_found_in_db',
					'401',
					'key',
				),
			),
			[key],
		);
		expect(error.errorType).toBe('token_not_found_in_db');
		expect(error.code).toBe('401');
		expect(error.param).toBe('key');
		expect(error.message).not.toContain(key);
		expect(error.excerpt).not.toContain(key);
	});

	it('reads Retry-After', () => {
		const error = errorFromResponse(
			'litellm',
			response(429, envelope('slow down', null, '429'), { 'retry-after': '2' }),
			[],
		);
		expect(error.retryAfterMs).toBe(2000);
	});
});

describe('errorFromResponse (OpenRouter)', () => {
	it('maps 402 to insufficient credits and 200-with-error via the status override', () => {
		const noCredits = errorFromResponse(
			'openrouter',
			response(402, {
				error: {
					code: 402,
					message: 'Insufficient credits',
					metadata: { limit_source: 'openrouter_credits' },
				},
			}),
			[],
		);
		expect(noCredits.kind).toBe('insufficient_credits');
		const midStream = errorFromResponse(
			'openrouter',
			response(200, { error: { code: 502, message: 'Provider returned error' } }),
			[],
			502,
		);
		expect(midStream.kind).toBe('service_unavailable');
		expect(midStream.status).toBe(502);
	});
});

describe('failover policy', () => {
	it('counts only signs that the proxy is down against the breaker', () => {
		const down = errorFromResponse('litellm', response(503, 'down'), []);
		const cooling = errorFromResponse(
			'litellm',
			response(429, envelope('No deployments available for selected model', null, '429')),
			[],
		);
		expect(isProxyDown(down)).toBe(true);
		expect(isProxyDown(cooling)).toBe(false);
		expect(
			isProxyDown(
				errorFromResponse(
					'litellm',
					response(503, envelope('litellm.ServiceUnavailableError', null, '503')),
					[],
				),
			),
		).toBe(false);
		// OpenRouter's own JSON 503 means OpenRouter is unavailable.
		expect(
			errorFromResponse(
				'openrouter',
				response(503, { error: { code: 503, message: 'No instances available' } }),
				[],
			).kind,
		).toBe('service_unavailable');
		expect(failoverReason(down)).toBe('litellm answered 503');
		expect(failoverReason(cooling)).toContain('no deployment');
	});
});
