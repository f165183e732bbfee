import { isProviderId, PROVIDERS, providerForSecretName } from '../../shared/providers';
import { safeBaseUrl } from '../../shared/providers/base-url';
import type { ProviderSpec } from '../../shared/providers/types';
import { fingerprint, maskKey } from '../../shared/redact';
import { type KeyMetadata, parseMetadata } from '../../shared/rotation/metadata';
import { isLeaseName } from '../../shared/rotation/lease';
import type { StoredSecret } from '../../shared/transport/infisical';

export interface StoredKey {
	secret: StoredSecret;
	meta: KeyMetadata;
	spec?: ProviderSpec;
}

/** The provider of a stored key: the metadata says, else the name (OPENAI_API_KEY_2 → OpenAI). */
export function describeStored(secret: StoredSecret): StoredKey {
	const meta = parseMetadata(secret.comment);
	// Own properties only: a comment saying "constructor" or "__proto__" names no provider.
	const byMeta = isProviderId(meta.provider) ? PROVIDERS[meta.provider] : undefined;
	return { secret, meta, spec: byMeta ?? providerForSecretName(secret.name) };
}

/** Provider keys under the folder: ours by metadata, or named like a provider's env variable. */
export function providerKeys(secrets: StoredSecret[]): StoredKey[] {
	return (
		secrets
			// Rotation leases (every generation) sit next to the keys; they are never keys themselves.
			.filter((s) => !isLeaseName(s.name))
			.map(describeStored)
			.filter(
				(k) =>
					k.meta.kind !== 'virtual-key' && (k.meta.kind === 'provider-key' || k.spec !== undefined),
			)
	);
}

/**
 * Where the stored key may be sent, re-checked on every use: the comment it comes from is editable in
 * Infisical by anyone with write access to the folder. Throws UnsafeBaseUrlError before any request.
 */
export function baseUrlOf(key: StoredKey): string | undefined {
	if (!key.spec) return undefined;
	return safeBaseUrl(key.spec, key.meta.baseUrl, `the secret ${key.secret.name}`);
}

export function maskedOf(value: string) {
	return { maskedKey: maskKey(value), fingerprint: value ? fingerprint(value) : '' };
}
