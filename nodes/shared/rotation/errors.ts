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
 * A rotation that failed and was rolled back: the old key is still the stored and working one. `orphans`
 * lists (masked) keys the compensation could not remove, to delete by hand.
 */
export class RotationFailedError extends Error {
	constructor(
		message: string,
		readonly step: string,
		readonly orphans: string[],
		readonly causeMessage: string,
	) {
		super(message);
		this.name = 'RotationFailedError';
	}
}
