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
