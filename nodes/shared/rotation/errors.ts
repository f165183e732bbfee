/** Another rotation of the same key holds the lease (a second trigger, another queue-mode worker). */
export class RotationInProgressError extends Error {
	constructor(
		readonly secretName: string,
		readonly holder: string,
		readonly expiresAt: number,
	) {
		super(
			`A rotation of ${secretName} is already in progress (rotation ${holder}, lease until ${new Date(expiresAt).toISOString()}): nothing was changed`,
		);
		this.name = 'RotationInProgressError';
	}
}

/**
 * How a failed rotation left things:
 * - `rolled_back`: the restore of the old key was confirmed (secret re-read, LiteLLM switched back), the new
 *   key revoked or listed in `orphans`; the old key is the stored and working one.
 * - `incomplete`: the restore could not be confirmed, so nothing was revoked: the new key is kept in the
 *   lease (a re-run with the same rotation id finishes), and the message says where each key stands.
 * - `stopped`: this run lost its lease to another run (it outlived it) and changed nothing after that.
 * - `nothing_changed`: it stopped before any key was made or stored.
 */
export type RotationOutcome = 'rolled_back' | 'incomplete' | 'stopped' | 'nothing_changed';

/** A rotation that did not finish. `orphans` lists (masked) keys nobody holds, to delete by hand. */
export class RotationFailedError extends Error {
	constructor(
		message: string,
		readonly step: string,
		readonly orphans: string[],
		readonly causeMessage: string,
		readonly outcome: RotationOutcome = 'rolled_back',
	) {
		super(message);
		this.name = 'RotationFailedError';
	}
}
