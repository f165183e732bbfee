import type { IDataObject } from 'n8n-workflow';

import { maskKey } from '../../shared/redact';

/** Field names that may hold a secret (api_key, aws_secret_access_key, vertex_credentials, password, …). */
const SECRET_FIELD = /key|secret|token|credential|password/i;
/**
 * Names that match but only point at something (`litellm_credential_name`, `key_id`) or count something
 * (`max_tokens`): they stay readable. Numbers and booleans are never secrets either.
 */
const REFERENCE_FIELD = /(_name|_id|tokens)$/i;

/**
 * One level of LiteLLM settings (credential_values, litellm_params) for output: every secret-looking field
 * masked (strings as `sk-...abcd`, objects such as a service account JSON as `[masked]`), the rest as is.
 */
export function maskSecretFields(values: IDataObject): IDataObject {
	const masked: IDataObject = {};
	for (const [name, value] of Object.entries(values)) {
		const secretLooking = SECRET_FIELD.test(name) && !REFERENCE_FIELD.test(name);
		if (
			!secretLooking ||
			value === null ||
			value === undefined ||
			typeof value === 'number' ||
			typeof value === 'boolean'
		) {
			masked[name] = value;
		} else {
			masked[name] = typeof value === 'string' ? maskKey(value) : '[masked]';
		}
	}
	return masked;
}
