/**
 * Perplexity (`https://api.perplexity.ai`, `Authorization: Bearer`). No documented free read, so the key
 * check is the invalid-body probe: `POST /chat/completions` with a body that fails validation answers
 * 400 for a good key and 401 for a bad one, with no spend.
 * - wrong/missing key: 401 **HTML** from openresty ("401 Authorization Required"), as users report it
 *   (perplexityai/api-discussion#281, BerriAI/litellm#2584): trust the status, not the body;
 * - bad body with a good key: 400 `{error:{message, type:"invalid_model"|"bad_request", code:400}}`;
 * - rate limit: 429 `{error:{message:"Rate limit exceeded", type:"rate_limit_exceeded", code:429}}` (unverified);
 * - quota (choice, reported by users): an out-of-credit key gets the same 401 page on billed calls.
 * Admin: `POST /generate_auth_token {token_name?}` → `{auth_token, created_at_epoch_seconds, token_name}`;
 * `POST /revoke_auth_token {auth_token}` → 200 with an empty body (the OpenAPI spec documents no body).
 */
import { randomBytes } from 'node:crypto';

import type { SimResponse } from '../http/server';
import { chatBodyProblem, chatCompletion } from './openai-compatible';
import { bearer, type ProviderDefinition } from './types';

export const PERPLEXITY_401_HTML =
	'<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>openresty/1.27.4</center>\r\n</body>\r\n</html>\r\n';

const html401 = (): SimResponse => ({
	status: 401,
	headers: { 'content-type': 'text/html' },
	body: PERPLEXITY_401_HTML,
});
const pplxError = (status: number, message: string, type: string): SimResponse => ({
	status,
	body: { error: { message, type, code: status } },
});
const MODELS = ['sonar', 'sonar-pro', 'sonar-reasoning'];

export const perplexity: ProviderDefinition = {
	id: 'perplexity',
	basePath: '',
	authForm: 'Authorization: Bearer <key>',
	extractKey: bearer,
	missingKey: html401,
	invalidKey: html401,
	rateLimited: () => pplxError(429, 'Rate limit exceeded', 'rate_limit_exceeded'),
	quotaExhausted: html401,
	routes: [
		{
			method: 'POST',
			path: '/chat/completions',
			kind: 'billed',
			handler: (req) => {
				const problem = chatBodyProblem(req);
				if (problem) return pplxError(400, problem, 'bad_request');
				const model = (req.body as { model: string }).model;
				if (!MODELS.includes(model)) {
					return pplxError(
						400,
						`Invalid model '${model}'. Permitted models can be found in the documentation at https://docs.perplexity.ai/guides/model-cards.`,
						'invalid_model',
					);
				}
				return chatCompletion(req, '');
			},
		},
		{
			method: 'POST',
			path: '/generate_auth_token',
			kind: 'admin',
			handler: (req, _key, ctx) => {
				const tokenName = (req.body as { token_name?: unknown } | undefined)?.token_name;
				const authToken = `pplx-${randomBytes(24).toString('hex')}`;
				ctx.mintKey(authToken, typeof tokenName === 'string' ? tokenName : undefined);
				const body: Record<string, unknown> = {
					auth_token: authToken,
					created_at_epoch_seconds: Math.floor(Date.now() / 1000),
				};
				if (typeof tokenName === 'string') body.token_name = tokenName;
				return { status: 200, body };
			},
		},
		{
			method: 'POST',
			path: '/revoke_auth_token',
			kind: 'admin',
			handler: (req, _key, ctx) => {
				const token = (req.body as { auth_token?: unknown } | undefined)?.auth_token;
				if (typeof token !== 'string')
					return pplxError(400, 'auth_token is required', 'bad_request');
				ctx.revokeKey(token);
				return { status: 200 };
			},
		},
	],
};
