import type { SecretStore } from '../transport/infisical';

/** The stages of a rotation, in order; the lease records the last one completed. */
export const STAGES = ['leased', 'created', 'verified', 'persisted', 'switched', 'revoked'] as const;

export type Stage = (typeof STAGES)[number];

export interface Minted {
	/** Plaintext of the new key. Goes from here into Infisical (the lease, then the secret), nowhere else. */
	key: string;
	/** What identifies it for deletion without the plaintext (alias, hash), for reports. */
	ref?: string;
}

export type RevokeOutcome = 'revoked' | 'not_found';

/**
 * The side effects of one kind of rotation (LiteLLM virtual key, provider key). The state machine calls
 * them in a fixed order and decides about failures; targets only do one thing each and throw when it fails.
 */
export interface RotationTarget {
	/** Mints the new key. `tag` is derived from the rotation id, so a re-run names things the same way. */
	create(tag: string): Promise<Minted>;
	/** Removes a key minted under `tag` whose plaintext was lost (a stop between create and stash). */
	discardOrphan(tag: string): Promise<boolean>;
	/** Proves the new key works (throws if not). */
	verify(key: string): Promise<void>;
	/** Makes the gateway use the new key (LiteLLM credential or model); no-op where consumers read Infisical. */
	switchTo(key: string): Promise<void>;
	/** Puts the gateway back on the old key (compensation after a failed switch). */
	switchBack?(oldKey: string): Promise<void>;
	/**
	 * Revokes a key by whatever the provider needs (hash, alias, or token); 404 counts as done. `which` says
	 * whether it is the old key being retired or the new one being rolled back (retiring may be gentler).
	 */
	revoke?(key: string, which: 'old' | 'new'): Promise<RevokeOutcome>;
	/** True when `revoke` can remove the new key if the rotation must be rolled back. */
	readonly canRevokeNew: boolean;
	/**
	 * Asked before a rollback revokes the new key: a note when the new key must be kept instead, because it
	 * replaced the old key in place (LiteLLM's `/key/regenerate`) and deleting it would leave no key once the
	 * old one's grace period ends. The lease, which holds the new key, is then kept for a re-run to resume.
	 */
	keepOnRollback?(key: string): Promise<string | undefined>;
	/** What to call the old key's fate when there is no revoke API. */
	readonly manualRevokeHint?: string;
}

export interface LeaseState {
	rotationId: string;
	owner: string;
	expiresAt: number;
	stage: Stage;
	/** The new key between create and persist (the lease is an Infisical secret: encrypted at rest). */
	pendingKey?: string;
	/** The Infisical version of the secret that held the old key when the rotation began. */
	oldVersion?: number;
}

export interface RotationInput {
	secretName: string;
	rotationId: string;
	/** Who runs it (execution id), for the "in progress" answer. */
	owner: string;
	/** How long the lease holds without renewal; each step renews it. */
	leaseMs: number;
	store: SecretStore;
	target: RotationTarget;
	now?: () => number;
	/** Extra metadata to merge into the secret's comment when the new key is persisted. */
	metadata?: Record<string, unknown>;
	/** Test seam: called after each stage is recorded; throwing here is a crash (no compensation runs). */
	afterStage?: (stage: Stage) => Promise<void> | void;
}

export type OldKeyFate = 'revoked' | 'already_gone' | 'pending_revoke' | 'revoke_by_hand' | 'unchanged';

export interface RotationReport {
	rotationId: string;
	secretName: string;
	status: 'rotated' | 'already_rotated';
	/** True when this run picked up a rotation a stopped run had begun. */
	resumed: boolean;
	newKey?: { masked: string; fingerprint: string; version?: number };
	oldKey?: { masked: string; fingerprint: string; fate: OldKeyFate; detail?: string };
	/** Keys minted by an earlier, stopped run and removed now. */
	orphansRemoved: number;
	stages: Stage[];
}
