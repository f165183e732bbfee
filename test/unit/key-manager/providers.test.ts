/**
 * Provider modules: each provider's key check classifies the answers its API really gives (see
 * test/simulators/providers), through an injected ProviderHttp that records the request (URL, auth header form).
 */
import { PROVIDERS, providerForSecretName } from '../../../nodes/shared/providers';
import { checkKey } from '../../../nodes/shared/providers/check';
import {
	type ProviderHttp,
	providerHttp,
	type ProviderRequest,
} from '../../../nodes/shared/providers/http';
import { runGrouped } from '../../../nodes/shared/providers/schedule';
import type { ProviderId } from '../../../nodes/shared/providers/types';

function answering(
	status: number,
	json: unknown,
	headers: Record<string, string> = {},
): { http: ProviderHttp; seen: ProviderRequest[] } {
	const seen: ProviderRequest[] = [];
	return {
		seen,
		http: async (req) => (
			seen.push(req),
			{ reached: true, latencyMs: 1, status, headers, json, text: JSON.stringify(json) }
		),
	};
}

const KEY = 'sk-unit-test-key-000000000000000001';

describe('classification per provider', () => {
	it.each<[ProviderId, number, unknown, string]>([
		['openai', 200, { object: 'list', data: [{ id: 'a' }, { id: 'b' }] }, 'valid'],
		[
			'openai',
			401,
			{ error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } },
			'invalid',
		],
		[
			'openai',
			429,
			{ error: { message: 'Rate limit reached for gpt-4o-mini', code: 'rate_limit_exceeded' } },
			'rate_limited',
		],
		[
			'openai',
			429,
			{
				error: {
					message: 'You exceeded your current quota',
					type: 'insufficient_quota',
					code: 'insufficient_quota',
				},
			},
			'quota_exhausted',
		],
		[
			'gemini',
			400,
			{
				error: {
					code: 400,
					message: 'API key not valid. Please pass a valid API key.',
					status: 'INVALID_ARGUMENT',
					details: [{ reason: 'API_KEY_INVALID' }],
				},
			},
			'invalid',
		],
		[
			'gemini',
			429,
			{
				error: {
					code: 429,
					status: 'RESOURCE_EXHAUSTED',
					message: 'You exceeded your current quota',
					details: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
				},
			},
			'rate_limited',
		],
		[
			'gemini',
			429,
			{
				error: {
					code: 429,
					status: 'RESOURCE_EXHAUSTED',
					message: 'You exceeded your current quota',
					details: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
				},
			},
			'quota_exhausted',
		],
		[
			'anthropic',
			400,
			{
				type: 'error',
				error: {
					type: 'invalid_request_error',
					message: 'Your credit balance is too low to access the Anthropic API.',
				},
			},
			'quota_exhausted',
		],
		[
			'anthropic',
			529,
			{ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
			'unknown',
		],
		['cohere', 200, { valid: false }, 'invalid'],
		[
			'perplexity',
			400,
			{ error: { message: 'messages required', type: 'bad_request', code: 400 } },
			'valid',
		],
		['perplexity', 401, undefined, 'invalid'],
		[
			'groq',
			429,
			{
				error: {
					message: 'Rate limit reached … on tokens per day (TPD)',
					code: 'rate_limit_exceeded',
				},
			},
			'quota_exhausted',
		],
		[
			'together',
			402,
			{ error: { message: 'Credit limit exceeded', code: 'credit_limit' } },
			'quota_exhausted',
		],
		['openrouter', 200, { data: { limit_remaining: 0 } }, 'quota_exhausted'],
		[
			'mistral',
			429,
			{ message: 'Monthly usage limit exceeded', type: 'insufficient_quota' },
			'quota_exhausted',
		],
	])('%s %i → %s', async (id, status, json, expected) => {
		const { http } = answering(status, json);
		const result = await checkKey(http, {
			spec: PROVIDERS[id],
			baseUrl: 'https://x.test/v1',
			key: KEY,
		});
		expect(result.status).toBe(expected);
		expect(JSON.stringify(result)).not.toContain(KEY);
	});

	it('unreachable when no HTTP answer came', async () => {
		const result = await checkKey(
			async () => ({ reached: false, latencyMs: 3, reason: 'ECONNREFUSED' }),
			{ spec: PROVIDERS.groq, baseUrl: 'http://127.0.0.1:9', key: KEY },
		);
		expect(result).toMatchObject({ status: 'unreachable', detail: 'ECONNREFUSED' });
	});

	it("sends each provider's auth form and zero-token path (Gemini in a header, never ?key=)", async () => {
		const cases: Array<[ProviderId, string, Record<string, string>]> = [
			['openai', 'https://b/models', { Authorization: `Bearer ${KEY}` }],
			['anthropic', 'https://b/models', { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' }],
			['gemini', 'https://b/models', { 'x-goog-api-key': KEY }],
			['cohere', 'https://b/v1/check-api-key', { Authorization: `Bearer ${KEY}` }],
			['ollama', 'https://b/api/tags', { Authorization: `Bearer ${KEY}` }],
			['openrouter', 'https://b/key', { Authorization: `Bearer ${KEY}` }],
		];
		for (const [id, url, headers] of cases) {
			const { http, seen } = answering(200, { data: [] });
			await checkKey(http, { spec: PROVIDERS[id], baseUrl: 'https://b', key: KEY });
			expect(seen[0].url).toBe(url);
			expect(seen[0].headers).toEqual(headers);
			expect(seen[0].url).not.toContain(KEY);
		}
	});

	it('billed depth reveals an exhausted quota that the free check cannot see', async () => {
		let call = 0;
		const http: ProviderHttp = async () => {
			call++;
			return call === 1
				? { reached: true, latencyMs: 1, status: 200, headers: {}, json: { data: [{}] }, text: '' }
				: {
						reached: true,
						latencyMs: 1,
						status: 429,
						headers: {},
						json: {
							error: { code: 'insufficient_quota', message: 'You exceeded your current quota' },
						},
						text: '',
					};
		};
		expect(
			(
				await checkKey(http, {
					spec: PROVIDERS.openai,
					baseUrl: 'https://b',
					key: KEY,
					depth: 'billed',
				})
			).status,
		).toBe('quota_exhausted');
	});

	it('names map to providers, longest env name first', () => {
		expect(providerForSecretName('OPENAI_API_KEY_2')?.id).toBe('openai');
		expect(providerForSecretName('TOGETHERAI_API_KEY')?.id).toBe('together');
		expect(providerForSecretName('SOMETHING_ELSE')).toBeUndefined();
	});
});

describe('runGrouped', () => {
	it('never exceeds the global or per-group limit and keeps order', async () => {
		let inFlight = 0;
		let peak = 0;
		const perGroup = new Map<string, number>();
		let groupPeak = 0;
		const inputs = Array.from({ length: 60 }, (_, i) => ({ i, g: `p${i % 3}` }));
		const out = await runGrouped(
			inputs,
			{ limit: 8, perGroupLimit: 2, groupOf: (x) => x.g },
			async (x) => {
				inFlight++;
				perGroup.set(x.g, (perGroup.get(x.g) ?? 0) + 1);
				peak = Math.max(peak, inFlight);
				groupPeak = Math.max(groupPeak, perGroup.get(x.g)!);
				await new Promise((r) => setTimeout(r, 2));
				inFlight--;
				perGroup.set(x.g, perGroup.get(x.g)! - 1);
				return x.i;
			},
		);
		expect(out).toEqual(inputs.map((x) => x.i));
		expect(groupPeak).toBe(2);
		expect(peak).toBe(6); // 3 groups × 2: the per-group cap binds before the global one
	});
});

describe('providerHttp', () => {
	it("hands the execution's cancel signal to httpRequest (and none where the context has no signal)", async () => {
		const controller = new AbortController();
		const seen: Array<{ abortSignal?: unknown }> = [];
		const helpers = {
			httpRequest: async (options: { abortSignal?: unknown }) => (
				seen.push(options),
				{ statusCode: 200, headers: {}, body: '{}' }
			),
		};
		const execute = { helpers, getExecutionCancelSignal: () => controller.signal };
		await providerHttp(execute as never)({
			method: 'GET',
			url: 'https://api.example.test/v1/models',
			headers: {},
			timeoutMs: 1000,
		});
		await providerHttp({ helpers } as never)({
			method: 'GET',
			url: 'https://api.example.test/v1/models',
			headers: {},
			timeoutMs: 1000,
		});
		expect(seen[0].abortSignal).toBe(controller.signal);
		expect(seen[1].abortSignal).toBeUndefined();
	});
});
