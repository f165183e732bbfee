import { isLoopbackHost } from '../transport/base-url';
import type { ProviderSpec } from './types';

/**
 * Where a provider key may be sent. Checked every time a key is about to travel, including for base URLs
 * read back from an Infisical secret's comment (anyone who can edit that comment could otherwise point a
 * named provider's key at their own host):
 * - only http(s), and no user:password@ part (it hides the real host from a reader);
 * - a named provider (OpenAI, Anthropic, …): its own host over https, or loopback (this machine: a local
 *   relay, or the simulators the tests run against);
 * - the generic kinds whose endpoint the user chooses (OpenAI-compatible, Ollama): any host, plain http
 *   included (vLLM and Ollama on a private network rarely have TLS).
 */
export class UnsafeBaseUrlError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnsafeBaseUrlError';
	}
}

function parse(url: string): URL | undefined {
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Why `url` may not receive a key of `spec`, worded to follow the field's name ("Base URL must …");
 * undefined when it may.
 */
export function baseUrlRefusal(spec: ProviderSpec, url: string): string | undefined {
	const parsed = parse(url);
	if (!parsed || !parsed.hostname)
		return `must be an http:// or https:// URL (got "${url.slice(0, 80)}")`;
	if (parsed.username || parsed.password) return 'must not carry a user:password@ part';
	if (spec.customEndpoint) return undefined;
	const host = parsed.hostname.toLowerCase();
	if (isLoopbackHost(host)) return undefined;
	const own = spec.defaultBaseUrl ? parse(spec.defaultBaseUrl)?.hostname.toLowerCase() : undefined;
	if (host !== own)
		return `must point at ${own ?? 'its own host'} for ${spec.displayName}: the key is not sent to ${host}`;
	if (parsed.protocol !== 'https:')
		return `must use https:// for ${spec.displayName} (plain http only for loopback)`;
	return undefined;
}

/** The base URL a key of `spec` is sent to: the given one if it passes, else the provider's default. */
export function safeBaseUrl(spec: ProviderSpec, given: string | undefined, where: string): string {
	const url = given || spec.defaultBaseUrl;
	if (!url)
		throw new UnsafeBaseUrlError(
			`No base URL is known for the ${spec.displayName} key in ${where}`,
		);
	const refusal = baseUrlRefusal(spec, url);
	if (refusal) throw new UnsafeBaseUrlError(`The base URL stored with ${where} ${refusal}`);
	return url.replace(/\/+$/, '');
}
