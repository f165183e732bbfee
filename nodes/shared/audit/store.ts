/**
 * The audit trail in Infisical: one secret per action under the credential's Audit Folder Path. Infisical is
 * where the keys already live, so the trail needs no new system, shares the keys' access control, is kept
 * when n8n prunes executions, and every record has Infisical's own version history and audit log behind it.
 * The folder must exist; an empty Audit Folder Path turns the trail off.
 */
import { randomBytes } from 'crypto';

import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { redactText } from '../redact';
import { settle } from '../settle';
import type { HttpContext } from '../transport/http';
import {
	infisicalConnection,
	infisicalStore,
	type InfisicalConnection,
} from '../transport/infisical';
import {
	type AuditKey,
	type AuditOutcome,
	type AuditRecord,
	auditSecretName,
	auditLine,
	parseAuditRecord,
} from './record';

export type AuditAppend =
	| { recorded: true; secretName: string }
	| { recorded: false; reason: string };

/** The connection pointed at the audit folder; undefined when the trail is off. */
export function auditConnection(connection: InfisicalConnection): InfisicalConnection | undefined {
	return connection.auditPath ? { ...connection, secretPath: connection.auditPath } : undefined;
}

/** What an action is, from the running node (workflow, execution, node name). */
export function auditContext(ctx: IExecuteFunctions, resource: string, operation: string) {
	const workflow = ctx.getWorkflow();
	const node: INode = ctx.getNode();
	return {
		workflowId: String(workflow.id ?? ''),
		workflowName: String(workflow.name ?? ''),
		executionId: String(ctx.getExecutionId() ?? ''),
		node: node.name,
		resource,
		operation,
	};
}

/**
 * Appends one record. Never throws: an action that already changed a key must not be reported as failed
 * because its record could not be written; the caller shows `recorded: false` instead. Rotation code calls
 * this per step (`step`), the Key Manager's router once per item and operation.
 *
 * Without a usable Infisical credential or Audit Folder Path there is no trail: that is `undefined` (nothing
 * to say) unless the record is `required` (a "Record in Audit Trail" switch is on), when it is a failure.
 */
export async function appendAudit(
	ctx: IExecuteFunctions,
	entry: {
		resource: string;
		operation: string;
		step?: string;
		outcome: AuditOutcome;
		detail?: string;
		keys: AuditKey[];
	},
	options: { required?: boolean } = {},
): Promise<AuditAppend | undefined> {
	const connection = await settle(infisicalConnection(ctx));
	if (!connection.ok)
		return options.required
			? {
					recorded: false,
					reason: `the LiteLLM Infisical API credential could not be read (${reasonOf(connection.error)})`,
				}
			: undefined;
	const audit = auditConnection(connection.value);
	if (!audit)
		return options.required
			? { recorded: false, reason: 'the LiteLLM Infisical API credential has no Audit Folder Path' }
			: undefined;
	const record: AuditRecord = {
		at: new Date().toISOString(),
		...auditContext(ctx, entry.resource, entry.operation),
		...(entry.step ? { step: entry.step } : {}),
		outcome: entry.outcome,
		...(entry.detail ? { detail: redactText(entry.detail).slice(0, 300) } : {}),
		keys: entry.keys,
	};
	const name = auditSecretName(record.at, randomBytes(4).toString('hex'));
	const written = await settle(
		infisicalStore(ctx, audit).create(
			name,
			JSON.stringify(record),
			auditLine(record).slice(0, 240),
		),
	);
	if (!written.ok) return { recorded: false, reason: reasonOf(written.error) };
	return written.value === 'created'
		? { recorded: true, secretName: name }
		: { recorded: false, reason: `${name} exists already` };
}

/** Every record of the audit folder, oldest first. */
export async function readAudit(ctx: HttpContext): Promise<AuditRecord[]> {
	const connection = await infisicalConnection(ctx);
	const audit = auditConnection(connection);
	if (!audit) return [];
	const secrets = await infisicalStore(ctx, audit).list();
	return secrets
		.filter((s) => s.name.startsWith('AUDIT_'))
		.map((s) => parseAuditRecord(s.value))
		.filter((r): r is AuditRecord => r !== undefined)
		.sort((a, b) => a.at.localeCompare(b.at));
}

/** The error's message, with the HTTP status in front when the message does not say it (Infisical's often don't). */
function reasonOf(error: unknown): string {
	const status = (error as { status?: unknown } | undefined)?.status;
	const message = error instanceof Error ? error.message : String(error);
	const said =
		typeof status === 'number' && !message.includes(String(status))
			? `Infisical answered ${status}: ${message}`
			: message;
	return redactText(said).slice(0, 200);
}
