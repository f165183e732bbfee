/**
 * Google Gemini (`https://generativelanguage.googleapis.com/v1beta`, `x-goog-api-key` header or `?key=`).
 * Check: `GET /v1beta/models`.
 * - wrong key: **400** (not 401) INVALID_ARGUMENT with `details[].reason = "API_KEY_INVALID"`;
 * - no key: 403 PERMISSION_DENIED "Method doesn't allow unregistered callers…";
 * - rate limit and quota are both 429 RESOURCE_EXHAUSTED; they differ in `details`: a per-minute
 *   QuotaFailure + RetryInfo `retryDelay` for the rate limit, a per-day quota for exhaustion (choice,
 *   modelled on the free-tier messages; the Gemini API has no credit balance of its own).
 * Billed: `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse` (gemini-generate.ts).
 */
import type { SimResponse } from '../http/server';
import { generateContent, type GenerateRequest } from './gemini-generate';
import type { ProviderDefinition } from './types';

function googleError(
	code: number,
	status: string,
	message: string,
	details?: unknown[],
): SimResponse {
	return {
		status: code,
		body: { error: { code, message, status, ...(details ? { details } : {}) } },
	};
}

function quotaFailure(quotaId: string, retryDelay?: string): SimResponse {
	const details: unknown[] = [
		{
			'@type': 'type.googleapis.com/google.rpc.QuotaFailure',
			violations: [
				{
					quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
					quotaId,
					quotaDimensions: { location: 'global', model: 'gemini-2.0-flash' },
					quotaValue: '15',
				},
			],
		},
		{
			'@type': 'type.googleapis.com/google.rpc.Help',
			links: [
				{
					description: 'Learn more about Gemini API quotas',
					url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
				},
			],
		},
	];
	if (retryDelay) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay });
	return googleError(
		429,
		'RESOURCE_EXHAUSTED',
		'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
		details,
	);
}

const MODELS = ['gemini-2.0-flash', 'gemini-2.5-pro'].map((id) => ({
	name: `models/${id}`,
	version: '001',
	displayName: id,
	inputTokenLimit: 1_048_576,
	outputTokenLimit: 8192,
	supportedGenerationMethods: ['generateContent', 'countTokens'],
}));

export const gemini: ProviderDefinition = {
	id: 'gemini',
	basePath: '/v1beta',
	authForm: 'x-goog-api-key: <key> or ?key=<key>',
	extractKey: (req) => String(req.headers['x-goog-api-key'] ?? req.query.get('key') ?? '').trim(),
	missingKey: () =>
		googleError(
			403,
			'PERMISSION_DENIED',
			"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
		),
	invalidKey: () =>
		googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
			{
				'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
				reason: 'API_KEY_INVALID',
				domain: 'googleapis.com',
				metadata: { service: 'generativelanguage.googleapis.com' },
			},
			{
				'@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
				locale: 'en-US',
				message: 'API key not valid. Please pass a valid API key.',
			},
		]),
	rateLimited: () => quotaFailure('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '19s'),
	quotaExhausted: () => quotaFailure('GenerateRequestsPerDayPerProjectPerModel-FreeTier'),
	routes: [
		{
			method: 'GET',
			path: '/v1beta/models',
			kind: 'check',
			handler: () => ({ status: 200, body: { models: MODELS } }),
		},
		{
			method: 'POST',
			path: '/v1beta/models/:modelAction',
			kind: 'billed',
			handler: (req) => {
				const [model, action] = req.params.modelAction.split(':');
				if (action !== 'generateContent' && action !== 'streamGenerateContent')
					return googleError(404, 'NOT_FOUND', `Method not found: ${action}`);
				const contents = (req.body as { contents?: unknown } | undefined)?.contents;
				if (!Array.isArray(contents) || contents.length === 0) {
					return googleError(
						400,
						'INVALID_ARGUMENT',
						'* GenerateContentRequest.contents: contents is not specified\n',
					);
				}
				return generateContent(
					model,
					req.body as GenerateRequest,
					action === 'streamGenerateContent',
				);
			},
		},
	],
};
