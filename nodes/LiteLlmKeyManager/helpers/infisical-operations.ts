/**
 * The Key Manager operations that read the Infisical credential, in one place: the node's credential list and
 * the audit trail (which lives in Infisical) are both built from these lists.
 */

/** Operations whose own work reads or writes Infisical; each is recorded when the credential has an Audit Folder Path. */
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

/**
 * Operations that change a key through LiteLLM alone. They ask for the Infisical credential only to write their
 * audit record, and only while their "Record in Audit Trail" switch is on (the default). Create with the key
 * shown once in the output reads no Infisical either and follows the same switch.
 */
export const AUDIT_SWITCH_OPERATIONS = [
	'update',
	'block',
	'unblock',
	'deleteVirtualKey',
	'registerModel',
];

/** The switch's parameter name; the credential list hides the Infisical credential when it is off. */
export const RECORD_AUDIT = 'recordAudit';

/** Every operation the Infisical credential is declared for (the switch may still hide it). */
export const INFISICAL_CREDENTIAL_OPERATIONS = [
	...INFISICAL_OPERATIONS,
	...AUDIT_SWITCH_OPERATIONS,
];
