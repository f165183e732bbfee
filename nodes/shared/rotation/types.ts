import type { SecretStore } from '../transport/infisical';

/** The stages of a rotation, in order; the lease records the last one completed. */
export const STAGES = [
	'leased',
	'created',
	'verified',
	'persisted',
	'switched',
	'revoked',
] as const;

export type Stage = (typeof STAGES)[number];

export interface Minted {
	/** Plaintext of the new key. Goes from here into Infisical (the lease, then the secret), nowhere else. */
	key: string;
	/** What identifies it for deletion without the plaintext (alias, hash), for reports. */
	ref?: string;
}

/**
 * What became of a key a rotation retired: revoked (deleted at the provider), not found (already gone),
 * blocked (kept but refused), or still valid until a moment (LiteLLM's expiry or a regenerate grace period).
 */
export type RevokeOutcome = 'revoked' | 'not_found' | 'blocked' | { validUntil: string };

/** Whether keys minted under a name can be found again without their plaintext. */
export type DiscardOutcome = 'removed' | 'none' | 'unlistable';

/**
 * The side effects of one kind of rotation (LiteLLM virtual key, provider key). The state machine calls
 * them in a fixed order and decides about failures; targets only do one thing each and throw when it fails.
 */
export interface RotationTarget {
	/**
	 * For upstreams that take a key chosen by the caller (LiteLLM's `/key/generate` `key`): the new key's
	 * value. The machine stores it in the lease *before* minting, so a stop at any moment cannot lose it.
	 */
	chooseKey?(): string;
	/** With `chooseKey`: true when the chosen key exists upstream (a mint whose answer was lost). */
	exists?(key: string): Promise<boolean>;
	/** Mints the new key under `name` (with the chosen value where `chooseKey` exists). */
	create(name: string, chosen?: string): Promise<Minted>;
	/** Removes keys minted under `name` by a run that stopped before it recorded them. */
	discardOrphan(name: string): Promise<DiscardOutcome>;
	/** Proves the new key works (throws if not). */
	verify(key: string): Promise<void>;
	/** Makes the gateway use the new key (LiteLLM credential or model); no-op where consumers read Infisical. */
	switchTo(key: string): Promise<void>;
	/** Puts the gateway back on the old key (compensation after a failed switch). */
	switchBack?(oldKey: string): Promise<void>;
	/**
	 * Retires a key by whatever the provider needs (hash, alias, or token); 404 counts as done. `which` says
	 * whether it is the old key being retired or the new one being rolled back (retiring may be gentler).
	 */
	revoke?(key: string, which: 'old' | 'new', newKey?: string): Promise<RevokeOutcome>;
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
	/** Random per rotation: minted keys are named with it, so no other rotation (or n8n) matches them. */
	nonce?: string;
	/** The name under which a provider key is being minted: set before the mint, so a re-run can look for it. */
	minting?: string;
	/** The new key, from before its mint (chosen keys) or right after it (the lease is encrypted at rest). */
	pendingKey?: string;
	/** True once the pending key is known to exist upstream. */
	minted?: boolean;
	/** New keys a rollback could not revoke: every later run of this lease tries again before anything else. */
	revokeLater?: string[];
	/** The Infisical version of the secret that held the old key when the rotation began. */
	oldVersion?: number;
	/** The generation of the lease chain this state lives in (absent in the single lease of older versions). */
	generation?: number;
	/** A finished lease left as the chain's head, so generation numbers only grow: free for the next claim. */
	released?: boolean;
}

export interface RotationInput {
	secretName: string;
	rotationId: string;
	/** Who runs it (execution id), for the "in progress" answer. */
	owner: string;
	/** How long the lease holds without renewal; renewed before every side effect, so it must outlast one step. */
	leaseMs: number;
	store: SecretStore;
	target: RotationTarget;
	/** Names a minted key: `<prefix>-rot-<nonce>`. */
	keyNamePrefix: string;
	now?: () => number;
	/** Extra metadata to merge into the secret's comment when the new key is persisted. */
	metadata?: Record<string, unknown>;
	/** Called after each stage is recorded (the audit trail); its failure never touches the rotation. */
	onStage?: (stage: Stage) => Promise<unknown>;
	/** Test seam: called after each stage is recorded; throwing here is a crash (no compensation runs). */
	afterStage?: (stage: Stage) => Promise<void> | void;
}

export type OldKeyFate =
	| 'revoked'
	| 'already_gone'
	| 'blocked'
	| 'valid_until'
	| 'pending_revoke'
	| 'revoke_by_hand'
	| 'unchanged';

export interface RotationReport {
	rotationId: string;
	secretName: string;
	status: 'rotated' | 'already_rotated';
	/** True when this run picked up a rotation a stopped run had begun. */
	resumed: boolean;
	newKey?: { masked: string; fingerprint: string; version?: number };
	oldKey?: {
		masked: string;
		fingerprint: string;
		fate: OldKeyFate;
		stillValidUntil?: string;
		detail?: string;
	};
	/** Keys minted by an earlier, stopped run and removed now. */
	orphansRemoved: number;
	/** Names of keys a stopped run may have minted that the provider cannot list: check its console. */
	orphansToCheck?: string[];
	/** New keys (masked, fingerprinted) that earlier rollbacks and this run could not revoke: delete them by hand. */
	orphansToRevoke?: string[];
	stages: Stage[];
}
