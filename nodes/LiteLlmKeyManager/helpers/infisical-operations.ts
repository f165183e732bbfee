/**
 * The Key Manager operations that read the Infisical credential. The node asks for the credential on exactly
 * these, and the audit trail (which lives in Infisical) records exactly these.
 */
export const INFISICAL_OPERATIONS = [
	'store',
	'validate',
	'validateAll',
	'listProviderKeys',
	'deleteProviderKey',
	'rotateProviderKey',
	'sweepPendingRevokes',
	'create',
	'rotateVirtualKey',
	'createCredential',
];
