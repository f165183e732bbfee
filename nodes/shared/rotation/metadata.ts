/**
 * What the Key Manager keeps beside each key, in the Infisical secret's comment as one JSON object (tags
 * need ids per project; a comment travels with every version and shows in Infisical's UI). Never a key:
 * fingerprints and masks only. Comments written by people (not JSON) are kept under `note`.
 */
export interface PendingRevoke {
	/** The Infisical version that holds the old key: a later sweep reads it back from the version history. */
	version: number;
	masked: string;
	fingerprint: string;
	since: string;
	rotationId: string;
	reason: string;
}

export interface KeyMetadata {
	/** Marks comments this package wrote. */
	managedBy?: 'n8n-nodes-litellm';
	kind?: 'provider-key' | 'virtual-key';
	provider?: string;
	/** Only for providers whose endpoint the user gives (OpenAI-compatible, Ollama, self-hosted gateways). */
	baseUrl?: string;
	created?: string;
	lastValidated?: string;
	lastStatus?: string;
	lastRotated?: string;
	lastRotationId?: string;
	fingerprint?: string;
	/** Virtual keys: alias and LiteLLM token hash prefix. */
	alias?: string;
	pendingRevoke?: PendingRevoke[];
	note?: string;
}

export function parseMetadata(comment: string | undefined): KeyMetadata {
	const text = (comment ?? '').trim();
	if (!text) return {};
	if (text.startsWith('{')) {
		try {
			const parsed = JSON.parse(text) as unknown;
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
				return parsed as KeyMetadata;
		} catch {
			// not ours: keep it as a note below
		}
	}
	return { note: text };
}

export function formatMetadata(meta: KeyMetadata): string {
	const clean: Record<string, unknown> = { managedBy: 'n8n-nodes-litellm' };
	for (const [key, value] of Object.entries(meta)) {
		if (value !== undefined && !(Array.isArray(value) && value.length === 0)) clean[key] = value;
	}
	return JSON.stringify(clean);
}
