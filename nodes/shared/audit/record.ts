/**
 * One audit record: who did what to which key, and how it ended. Never a key value: names, providers,
 * aliases, masks and fingerprints (sha256 prefixes) only. Stored as one Infisical secret per action (see
 * store.ts), so it outlives n8n's execution pruning and sits under the access control the keys already have.
 */
export type AuditOutcome = 'ok' | 'failed';

/** The key an action touched, as far as it can be named without its value. */
export interface AuditKey {
	name?: string;
	provider?: string;
	alias?: string;
	keyHash?: string;
	maskedKey?: string;
	fingerprint?: string;
	/** Register Model: the model name clients ask for (the key is the credential it names). */
	model?: string;
	status?: string;
}

export interface AuditRecord {
	at: string;
	workflowId: string;
	workflowName: string;
	executionId: string;
	node: string;
	resource: string;
	operation: string;
	/** A step inside an operation (rotation: create, verify, persist, switch, revoke). */
	step?: string;
	outcome: AuditOutcome;
	/** What happened, short and redacted (an error message, a rotation's result). */
	detail?: string;
	keys: AuditKey[];
}

/** Secret names are environment-variable names: AUDIT_<UTC time>_<random>, sortable by time. */
export function auditSecretName(at: string, random: string): string {
	const stamp = at
		.replace(/[-:]/g, '')
		.replace(/\.\d+Z$/, 'Z')
		.replace('T', '_');
	return `AUDIT_${stamp}_${random
		.replace(/[^A-Za-z0-9]/g, '')
		.slice(0, 8)
		.toUpperCase()}`;
}

/** Reads a stored record back; undefined for anything that is not one of ours. */
export function parseAuditRecord(value: string): AuditRecord | undefined {
	try {
		const parsed = JSON.parse(value) as Partial<AuditRecord>;
		if (
			!parsed ||
			typeof parsed !== 'object' ||
			typeof parsed.at !== 'string' ||
			typeof parsed.operation !== 'string'
		)
			return undefined;
		return { ...parsed, keys: Array.isArray(parsed.keys) ? parsed.keys : [] } as AuditRecord;
	} catch {
		return undefined;
	}
}

/** Whether a record concerns a key, by secret name, alias, hash, mask, fingerprint or model (case-insensitive). */
export function concernsKey(record: AuditRecord, key: string): boolean {
	const wanted = key.trim().toLowerCase();
	return record.keys.some((k) =>
		[k.name, k.alias, k.keyHash, k.maskedKey, k.fingerprint, k.model].some(
			(v) => typeof v === 'string' && v.toLowerCase() === wanted,
		),
	);
}

/** One line for people (and Slack): when, what, which keys, outcome. */
export function auditLine(record: AuditRecord): string {
	const keys = record.keys
		.slice(0, 5)
		.map((k) =>
			[k.name ?? k.alias ?? k.maskedKey ?? '?', k.fingerprint ? `fp ${k.fingerprint}` : undefined]
				.filter(Boolean)
				.join(' '),
		)
		.join(', ');
	const more = record.keys.length > 5 ? ` and ${record.keys.length - 5} more` : '';
	const what = record.step ? `${record.operation} (${record.step})` : record.operation;
	return `${record.at.slice(0, 19).replace('T', ' ')} UTC · ${what} · ${keys || 'no key'}${more} · ${record.outcome}${record.detail ? `: ${record.detail}` : ''} · workflow "${record.workflowName}" execution ${record.executionId}`;
}
