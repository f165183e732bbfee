import { bearerHeaders, classifyCommon } from './classify';
import type { ProviderSpec } from './types';

/**
 * Perplexity: Bearer. No documented free read, so the check is the invalid-body probe: `POST
 * /chat/completions` with no messages is refused for its body (400/422, no spend) when the key is good, and
 * 401 (an HTML page from openresty, so only the status counts) when it is not. Key admin API:
 * `POST /generate_auth_token {token_name}` → `{auth_token}` and `POST /revoke_auth_token {auth_token}`.
 * An account out of credit gets the same 401 on billed calls, so "invalid" may also mean "no credit".
 */
export const perplexity: ProviderSpec = {
	id: 'perplexity',
	displayName: 'Perplexity',
	envName: 'PERPLEXITYAI_API_KEY',
	liteLlmProvider: 'perplexity',
	defaultBaseUrl: 'https://api.perplexity.ai',
	needsKey: true,
	keyFormat: /^pplx-[A-Za-z0-9]{20,}$/,
	keyFormatHint: 'Perplexity keys start with "pplx-"',
	authHeaders: bearerHeaders,
	zeroTokenCheck: {
		method: 'POST',
		path: '/chat/completions',
		body: { model: 'sonar', messages: [] },
	},
	billedProbe: {
		method: 'POST',
		path: '/chat/completions',
		body: { model: 'sonar', max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] },
	},
	countModels: () => undefined,
	classify: (answer, probe) => {
		// The probe's body is invalid on purpose: a validation refusal proves the key was accepted.
		if (probe === 'check' && (answer.status === 400 || answer.status === 422)) return 'valid';
		return classifyCommon(answer);
	},
	admin: 'perplexity-auth-token',
};
