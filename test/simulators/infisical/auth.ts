/**
 * Universal-auth identities and their access tokens, on a clock the test controls.
 *
 * Real behaviour copied (backend/src/services/identity-ua/identity-ua-service.ts and
 * identity-access-token-service.ts):
 * - login with an unknown clientId or a wrong secret: 401 UnauthorizedError "Invalid credentials";
 * - the token is a JWT; an expired one fails `jwt.verify` and answers 403 TokenError (error-handler.ts);
 *   garbage answers 403 TokenError "...malformed..."; a JWT-shaped token we never signed answers
 *   403 TokenError "invalid signature"; a revoked token 401 UnauthorizedError;
 * - renew: verify first (so an expired token is 403 TokenError), then 401 "Failed to renew MI access
 *   token due to Max TTL expiration" / "...past its Max TTL expiration" when max TTL forbids it, else the
 *   SAME token comes back and its life restarts from now.
 * Simplification (said here because the real JWT carries `exp` from login): renewing extends the
 * simulator's expiry, which is what the Infisical docs promise for renew.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { TOKEN_MESSAGES } from './errors';

export interface IdentityOptions {
	clientId: string;
	clientSecret: string;
	/** Seconds; Infisical's default is 2592000 (30 days). */
	accessTokenTTL?: number;
	/** Seconds; 0 means no max. Default 2592000. */
	accessTokenMaxTTL?: number;
	identityId?: string;
	name?: string;
}

interface Identity extends Required<IdentityOptions> {}

interface TokenRecord {
	identityId: string;
	createdAt: number;
	renewedAt?: number;
	ttl: number;
	maxTtl: number;
	revoked: boolean;
	forcedExpired: boolean;
}

export type TokenCheck =
	| { ok: true; identityId: string }
	| { ok: false; status: 401 | 403; message: string; error: 'TokenError' | 'UnauthorizedError' };

export class IdentityAuth {
	private readonly identities = new Map<string, Identity>();

	private readonly tokens = new Map<string, TokenRecord>();

	constructor(private readonly now: () => number) {}

	addIdentity(options: IdentityOptions): string {
		const identity: Identity = {
			accessTokenTTL: 2_592_000,
			accessTokenMaxTTL: 2_592_000,
			identityId: randomUUID(),
			name: `identity-${options.clientId}`,
			...options,
		};
		this.identities.set(identity.clientId, identity);
		return identity.identityId;
	}

	/** Returns the token and its TTLs, or undefined when the credentials are wrong. */
	login(
		clientId: string,
		clientSecret: string,
	): { accessToken: string; ttl: number; maxTtl: number } | undefined {
		const identity = this.identities.get(clientId);
		if (!identity || identity.clientSecret !== clientSecret) return undefined;
		const tokenId = randomUUID();
		const iat = Math.floor(this.now() / 1000);
		const payload = {
			identityId: identity.identityId,
			identityAccessTokenId: tokenId,
			authTokenType: 'identityAccessToken',
			iat,
		};
		const accessToken = [
			b64url({ alg: 'HS256', typ: 'JWT' }),
			b64url(payload),
			randomBytes(32).toString('base64url'),
		].join('.');
		this.tokens.set(accessToken, {
			identityId: identity.identityId,
			createdAt: this.now(),
			ttl: identity.accessTokenTTL,
			maxTtl: identity.accessTokenMaxTTL,
			revoked: false,
			forcedExpired: false,
		});
		return { accessToken, ttl: identity.accessTokenTTL, maxTtl: identity.accessTokenMaxTTL };
	}

	/** What `verifyAuth` decides for `Authorization: Bearer <token>`. */
	check(token: string): TokenCheck {
		if (!looksLikeJwt(token)) return tokenError(TOKEN_MESSAGES.malformed);
		const record = this.tokens.get(token);
		if (!record) return tokenError(TOKEN_MESSAGES.invalidSignature);
		if (this.isExpired(record)) return tokenError(TOKEN_MESSAGES.expired);
		if (record.revoked)
			return {
				ok: false,
				status: 401,
				message: 'Failed to authorize revoked access token',
				error: 'UnauthorizedError',
			};
		return { ok: true, identityId: record.identityId };
	}

	renew(
		token: string,
	): { ok: true; ttl: number; maxTtl: number } | Extract<TokenCheck, { ok: false }> {
		const checked = this.check(token);
		if (!checked.ok) return checked;
		const record = this.tokens.get(token)!;
		if (record.maxTtl > 0) {
			const maxAt = record.createdAt + record.maxTtl * 1000;
			const unauthorized = (message: string) =>
				({ ok: false, status: 401, message, error: 'UnauthorizedError' }) as const;
			if (this.now() > maxAt)
				return unauthorized('Failed to renew MI access token due to Max TTL expiration');
			if (this.now() + record.ttl * 1000 > maxAt) {
				return unauthorized('Failed to renew MI access token past its Max TTL expiration');
			}
		}
		record.renewedAt = this.now();
		return { ok: true, ttl: record.ttl, maxTtl: record.maxTtl };
	}

	/** Every token issued so far answers 403 TokenError "expired" from now on. */
	expireAll(): void {
		for (const record of this.tokens.values()) record.forcedExpired = true;
	}

	revokeAll(): void {
		for (const record of this.tokens.values()) record.revoked = true;
	}

	get issued(): number {
		return this.tokens.size;
	}

	private isExpired(record: TokenRecord): boolean {
		if (record.forcedExpired) return true;
		if (record.ttl === 0) return false;
		return this.now() > (record.renewedAt ?? record.createdAt) + record.ttl * 1000;
	}
}

function b64url(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function looksLikeJwt(token: string): boolean {
	const parts = token.split('.');
	if (parts.length !== 3) return false;
	try {
		JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		return true;
	} catch {
		return false;
	}
}

function tokenError(message: string): TokenCheck {
	return { ok: false, status: 403, message, error: 'TokenError' };
}
