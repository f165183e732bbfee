/**
 * The Key Manager's side of the audit trail (shared/audit): which actions are recorded (audit-switch.ts), and
 * how the keys of an action are named from its parameters and output items (names, aliases, hashes, masks,
 * fingerprints, never a value). The router calls `auditAction` once per input item, for success and failure.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { appendAudit, type AuditAppend } from '../../shared/audit/store';
import type { AuditKey } from '../../shared/audit/record';
import { settleSync } from '../../shared/settle';
import { auditDemand } from './audit-switch';
import { RECORD_AUDIT } from './infisical-operations';

/** Parameters that name the key an operation works on. */
const KEY_PARAMETERS = ['keyName', 'storeAs', 'storedKeyName', 'alias', 'keyRef'];

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/** What became of a LiteLLM key, from the output of Block, Unblock, Update and Delete. */
function statusOf(json: IDataObject): string | undefined {
	if (typeof json.deleted === 'boolean') return json.deleted ? 'deleted' : 'not found';
	if (typeof json.blocked === 'boolean') return json.blocked ? 'blocked' : 'active';
	return undefined;
}

function keyOfItem(json: IDataObject): AuditKey | undefined {
	const oldKey = (json.oldKey ?? {}) as IDataObject;
	const newKey = (json.newKey ?? {}) as IDataObject;
	const key: AuditKey = {
		name:
			text(json.secretName) ??
			text(json.storedAs) ??
			text(json.storedKeyName) ??
			text(json.keyName) ??
			// Register Model: the LiteLLM credential that holds the model's key.
			text(json.credentialName),
		provider: text(json.provider) ?? text(json.providerModel)?.split('/')[0],
		model: text(json.modelName),
		alias: text(json.keyAlias) ?? text(json.alias),
		keyHash: text(json.keyHash),
		maskedKey: text(json.maskedKey) ?? text(newKey.maskedKey),
		fingerprint: text(json.fingerprint) ?? text(newKey.fingerprint) ?? text(oldKey.fingerprint),
		status: text(json.status) ?? text(json.action) ?? statusOf(json),
	};
	const named = Object.fromEntries(
		Object.entries(key).filter(([, v]) => v !== undefined),
	) as AuditKey;
	return Object.keys(named).length ? named : undefined;
}

function keysOfParameters(ctx: IExecuteFunctions, i: number): AuditKey[] {
	for (const name of KEY_PARAMETERS) {
		// An expression that fails here already failed the action; the record must not replace that error.
		const read = settleSync(() => ctx.getNodeParameter(name, i, '') as unknown);
		const value = read.ok ? text(read.value) : undefined;
		// A parameter that could hold a plaintext key never reaches the record (keyRef refuses sk-… anyway).
		if (value && !value.startsWith('sk-')) return [{ name: value }];
	}
	return [];
}

/** Appends the record of one item's action; undefined when the operation or the credential keeps no trail. */
export async function auditAction(
	ctx: IExecuteFunctions,
	i: number,
	resource: string,
	operation: string,
	outcome: { ok: true; items: IDataObject[] } | { ok: false; message: string },
): Promise<AuditAppend | undefined> {
	const demand = auditDemand(operation, {
		keyDelivery: parameter(ctx, 'keyDelivery', i),
		recordAudit: parameter(ctx, RECORD_AUDIT, i),
	});
	if (demand === 'none') return undefined;
	const fromItems = outcome.ok
		? outcome.items.map(keyOfItem).filter((k): k is AuditKey => k !== undefined)
		: [];
	return await appendAudit(
		ctx,
		{
			resource,
			operation,
			outcome: outcome.ok ? 'ok' : 'failed',
			...(outcome.ok ? {} : { detail: outcome.message }),
			keys: fromItems.length ? fromItems : keysOfParameters(ctx, i),
		},
		{ required: demand === 'required' },
	);
}

/** A parameter the operation may not have; an expression that fails counts as not set (the action said so). */
function parameter<T extends string | boolean>(
	ctx: IExecuteFunctions,
	name: string,
	i: number,
): T | undefined {
	const read = settleSync(() => ctx.getNodeParameter(name, i, undefined) as unknown);
	return read.ok && (typeof read.value === 'string' || typeof read.value === 'boolean')
		? (read.value as T)
		: undefined;
}
