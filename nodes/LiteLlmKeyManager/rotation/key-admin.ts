import { createHash } from 'crypto';

import { GatewayError } from '../../shared/errors/classes';
import type { ProviderHttp } from '../../shared/providers/http';
import type { ProviderSpec } from '../../shared/providers/types';
import type { DiscardOutcome, RevokeOutcome } from '../../shared/rotation/types';
import { settle } from '../../shared/settle';
import type { HttpContext } from '../../shared/transport/http';
import { type OpenRouterConnection, openRouterRequest } from '../../shared/transport/openrouter';

/** A provider's key administration: mint, find an orphan by name, revoke. */
export interface KeyAdmin {
	mint(name: string): Promise<{ key: string; ref?: string }>;
	/** Deletes keys minted under `name`; 'unlistable' where the provider cannot find keys by name. */
	discardByName(name: string): Promise<DiscardOutcome>;
	revoke(key: string): Promise<RevokeOutcome>;
}

interface OpenRouterKeyRecord {
	hash: string;
	name?: string;
	label?: string;
}

/**
 * OpenRouter management keys (the liteLlmOpenRouterApi credential must hold one): `POST /keys` answers 201
 * with the plaintext once; `DELETE /keys/{hash}`, where the hash is the key's sha256: computed here, so the
 * plaintext never leaves the node. Never matched by label (`sk-or-v1-abc...wxyz`): two keys can share one.
 */
export function openRouterKeyAdmin(ctx: HttpContext, connection: OpenRouterConnection): KeyAdmin {
	const list = async (): Promise<OpenRouterKeyRecord[]> => {
		const all: OpenRouterKeyRecord[] = [];
		for (let offset = 0; offset < 100_000; offset += 100) {
			const { data } = await openRouterRequest<{ data?: OpenRouterKeyRecord[] }>(ctx, connection, {
				method: 'GET',
				path: '/keys',
				qs: { offset, include_disabled: 'true' },
			});
			all.push(...(data.data ?? []));
			if ((data.data ?? []).length < 100) break;
		}
		return all;
	};
	const remove = async (hash: string): Promise<RevokeOutcome> => {
		const outcome = await settle(
			openRouterRequest(ctx, connection, {
				method: 'DELETE',
				path: `/keys/${encodeURIComponent(hash)}`,
			}),
		);
		if (outcome.ok) return 'revoked';
		if (outcome.error instanceof GatewayError && outcome.error.status === 404) return 'not_found';
		throw outcome.error;
	};
	return {
		async mint(name) {
			const { data } = await openRouterRequest<{ key: string; data?: { hash?: string } }>(
				ctx,
				connection,
				{
					method: 'POST',
					path: '/keys',
					body: { name },
				},
			);
			return { key: data.key, ref: data.data?.hash };
		},
		async discardByName(name) {
			const found = (await list()).filter((r) => r.name === name);
			for (const record of found) await remove(record.hash);
			return found.length > 0 ? 'removed' : 'none';
		},
		async revoke(key) {
			return remove(createHash('sha256').update(key).digest('hex'));
		},
	};
}

/**
 * Perplexity: `POST /generate_auth_token {token_name}` → `{auth_token}`; `POST /revoke_auth_token
 * {auth_token}` (its API takes the token itself). Both are called with an existing valid key. There is no
 * list, so a key minted by a run that stopped before recording it cannot be found: the rotation records the
 * name first and names it in its output for a look in Perplexity's console.
 */
export function perplexityKeyAdmin(
	http: ProviderHttp,
	baseUrl: string,
	authKey: () => string,
): KeyAdmin {
	const post = async (path: string, body: Record<string, string>) => {
		const answer = await http({
			method: 'POST',
			url: `${baseUrl}${path}`,
			headers: { Authorization: `Bearer ${authKey()}` },
			body,
			timeoutMs: 30_000,
		});
		if (!answer.reached) throw new Error(`Perplexity did not answer ${path} (${answer.reason})`);
		return answer;
	};
	return {
		async mint(name) {
			const answer = await post('/generate_auth_token', { token_name: name });
			const token = (answer.json as { auth_token?: string } | undefined)?.auth_token;
			if (answer.status >= 300 || !token)
				throw new Error(`Perplexity refused to mint a key (HTTP ${answer.status})`);
			return { key: token };
		},
		async discardByName() {
			return 'unlistable' as const;
		},
		async revoke(key) {
			const answer = await post('/revoke_auth_token', { auth_token: key });
			if (answer.status === 404) return 'not_found';
			if (answer.status >= 300)
				throw new Error(`Perplexity refused to revoke the key (HTTP ${answer.status})`);
			return 'revoked';
		},
	};
}

/**
 * The provider's key API (rotation and the pending-revoke sweep use the same), or undefined where it has
 * none. OpenRouter's needs the OpenRouter management credential, read only when asked for. Perplexity
 * authenticates with a valid key: the current one.
 */
export async function keyAdminFor(
	spec: ProviderSpec | undefined,
	baseUrl: string | undefined,
	http: ProviderHttp,
	currentKey: () => string,
	openRouter: () => Promise<KeyAdmin>,
): Promise<KeyAdmin | undefined> {
	if (spec?.admin === 'openrouter-management') return openRouter();
	if (spec?.admin === 'perplexity-auth-token' && baseUrl)
		return perplexityKeyAdmin(http, baseUrl, currentKey);
	return undefined;
}
