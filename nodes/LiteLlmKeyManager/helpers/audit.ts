/**
 * The Key Manager's side of the audit trail (shared/audit): which operations are recorded, and how the keys of
 * an action are named from its parameters and output items (names, aliases, hashes, masks, fingerprints, never
 * a value). The router calls `auditAction` once per input item, for success and failure alike.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { appendAudit, type AuditAppend } from '../../shared/audit/store';
import type { AuditKey } from '../../shared/audit/record';
import { settleSync } from '../../shared/settle';
import { INFISICAL_OPERATIONS } from './infisical-operations';

/**
 * Operations that read a key's value or change a key, and whose credentials include the Infisical one (where
 * the trail lives). Update, Block, Unblock and Delete of a virtual key and Register Model need only LiteLLM;
 * LiteLLM records those itself (its audit log, enterprise) and they are not in this trail.
 */
export const AUDITED = new Set(INFISICAL_OPERATIONS);

/** Parameters that name the key an operation works on. */
const KEY_PARAMETERS = ['keyName', 'storeAs', 'storedKeyName', 'alias', 'keyRef'];

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

function keyOfItem(json: IDataObject): AuditKey | undefined {
	const oldKey = (json.oldKey ?? {}) as IDataObject;
	const newKey = (json.newKey ?? {}) as IDataObject;
	const key: AuditKey = {
		name:
			text(json.secretName) ??
			text(json.storedAs) ??
			text(json.storedKeyName) ??
			text(json.keyName),
		provider: text(json.provider),
		alias: text(json.keyAlias) ?? text(json.alias),
		keyHash: text(json.keyHash),
		maskedKey: text(json.maskedKey) ?? text(newKey.maskedKey),
		fingerprint: text(json.fingerprint) ?? text(newKey.fingerprint) ?? text(oldKey.fingerprint),
		status: text(json.status) ?? text(json.action),
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
	if (!AUDITED.has(operation)) return undefined;
	const fromItems = outcome.ok
		? outcome.items.map(keyOfItem).filter((k): k is AuditKey => k !== undefined)
		: [];
	return await appendAudit(ctx, {
		resource,
		operation,
		outcome: outcome.ok ? 'ok' : 'failed',
		...(outcome.ok ? {} : { detail: outcome.message }),
		keys: fromItems.length ? fromItems : keysOfParameters(ctx, i),
	});
}
