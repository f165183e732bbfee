/**
 * The "Record in Audit Trail" switch of the actions that change a key through LiteLLM alone, and which actions
 * must, may or need not leave a record. The credential list (LiteLlmKeyManager.node.ts) and the router's record
 * (audit.ts) both follow `auditDemand`, so the Infisical credential is asked for exactly when a record is wanted.
 */
import type { INodeProperties } from 'n8n-workflow';

import { SHOW_ONCE_DELIVERY } from './key-delivery';
import {
	AUDIT_SWITCH_OPERATIONS,
	INFISICAL_OPERATIONS,
	RECORD_AUDIT,
} from './infisical-operations';

export const recordAuditField: INodeProperties = {
	displayName: 'Record in Audit Trail',
	name: RECORD_AUDIT,
	type: 'boolean',
	default: true,
	description:
		'Whether to write a record of this action (when, workflow, execution, key alias or hash, outcome; never the key) to the Audit Folder Path of a LiteLLM Infisical API credential, which the node then asks for. The key change stands even when the record cannot be written: the output then says why in auditError.',
};

/**
 * - `ifConfigured`: the action reads Infisical anyway; it is recorded when the credential has an Audit Folder
 *   Path (an empty path turns the trail off, as the credential's field says).
 * - `required`: the switch is on; a record that cannot be written (no Audit Folder Path included) is reported.
 * - `none`: a read-only action, or the switch is off.
 */
export type AuditDemand = 'ifConfigured' | 'required' | 'none';

export function auditDemand(
	operation: string,
	parameters: { keyDelivery?: string; recordAudit?: boolean },
): AuditDemand {
	const switched =
		AUDIT_SWITCH_OPERATIONS.includes(operation) ||
		(operation === 'create' && parameters.keyDelivery === SHOW_ONCE_DELIVERY);
	if (switched) return parameters.recordAudit === false ? 'none' : 'required';
	return INFISICAL_OPERATIONS.includes(operation) ? 'ifConfigured' : 'none';
}
