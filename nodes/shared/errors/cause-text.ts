/**
 * Words for low-level network codes. n8n's NodeError replaces any message containing a raw code such as
 * ECONNREFUSED with its own generic sentence, so messages carry these words; the code goes in the
 * description and in output fields.
 */
const WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	UND_ERR_SOCKET: 'connection reset',
	EPIPE: 'connection reset',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ECONNABORTED: 'timed out',
	ETIMEDOUT: 'timed out',
	EPROTO: 'TLS handshake failed',
};

export function causeText(code: string | undefined): string {
	if (!code) return 'connection failed';
	if (WORDS[code]) return WORDS[code];
	if (/CERT|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'TLS certificate rejected';
	return 'connection failed';
}
