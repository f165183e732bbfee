import { createHash } from 'crypto';

/** Known key prefixes kept in masks so a person can still tell which provider a key belongs to. */
const KEY_PREFIX = /^(sk-or-v1-|sk-ant-api\d+-|sk-ant-|sk-proj-|sk-|gsk_|pplx-|AIza|esecret_)/;

/** `sk-...abcd`: the key's known prefix and its last four characters, never more. */
export function maskKey(key: string | undefined | null): string {
	if (!key) return '';
	const prefix = KEY_PREFIX.exec(key)?.[1] ?? '';
	if (key.length < 12) return `${prefix}...`;
	return `${prefix}...${key.slice(-4)}`;
}

/** A stable identifier of a key that reveals nothing: the first 12 hex characters of its sha256. */
export function fingerprint(key: string): string {
	return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/** LiteLLM's own key id: the full sha256 hex of the key (the `token` column). */
export function liteLlmKeyHash(key: string): string {
	return createHash('sha256').update(key).digest('hex');
}

const BEARER = /(bearer\s+)[^\s"',]+/gi;
const KEY_SHAPED =
	/\b(sk-[A-Za-z0-9_-]{8,}|gsk_[A-Za-z0-9]{8,}|pplx-[A-Za-z0-9]{8,}|AIza[0-9A-Za-z_-]{20,})/g;

/**
 * Removes secrets from text meant for people (error messages, descriptions, excerpts): every listed
 * secret, any Bearer token, and anything shaped like a provider key, each replaced by its mask.
 */
export function redactText(text: string, secrets: Array<string | undefined> = []): string {
	let out = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 6) out = out.split(secret).join(maskKey(secret));
	}
	return out.replace(BEARER, '$1***').replace(KEY_SHAPED, (match) => maskKey(match));
}

/** The first `max` characters of a body, on one line, redacted: enough to recognise it, never a dump. */
export function excerpt(text: string, max = 200, secrets: Array<string | undefined> = []): string {
	const oneLine = text.replace(/\s+/g, ' ').trim();
	const cut = oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
	return redactText(cut, secrets);
}
