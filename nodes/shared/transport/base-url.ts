import { type INode, NodeOperationError } from 'n8n-workflow';

/**
 * A credential's base URL, checked before any request: it must carry http(s)://. Trailing slashes go, and
 * so does a trailing /v1 when `stripV1`, because LiteLLM serves its admin routes at the root.
 */
export function checkedBaseUrl(
	node: INode,
	value: unknown,
	credentialName: string,
	options: { stripV1?: boolean; fallback?: string } = {},
): string {
	const raw = (typeof value === 'string' && value.trim() ? value.trim() : options.fallback) ?? '';
	if (!/^https?:\/\/[^\s/]+/i.test(raw)) {
		throw new NodeOperationError(
			node,
			`The Base URL of the ${credentialName} credential must start with http:// or https:// (got "${raw.slice(0, 80)}")`,
			{ description: 'Open the credential and write the full URL, e.g. http://localhost:4000' },
		);
	}
	let url = raw.replace(/\/+$/, '');
	if (options.stripV1) url = url.replace(/\/v1$/, '');
	return url;
}

/** This machine: localhost, 127.0.0.0/8, ::1 (as URL.hostname spells them). */
export function isLoopbackHost(host: string): boolean {
	return /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|::1)$/i.test(host);
}

/**
 * Plain http only to this machine: a URL that carries a client secret or provider keys over a network
 * must use TLS. Undefined when `url` may be used; otherwise why not.
 */
export function plainHttpRefusal(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return undefined; // the shape check (checkedBaseUrl) reports it
	}
	if (parsed.username || parsed.password) return 'must not carry a user:password@ part';
	if (parsed.protocol !== 'http:' || isLoopbackHost(parsed.hostname)) return undefined;
	return `uses plain http:// to ${parsed.hostname}: only this machine (localhost, 127.0.0.1, [::1]) may be reached without TLS`;
}
