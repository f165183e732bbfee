/**
 * Dispatches resource and operation per input item (Airtable V2's router). Each operation returns the items
 * it emits for its input item; failures become NodeApiError/NodeOperationError with every secret redacted,
 * per item, honouring continueOnFail. Every action that reads or changes a key is recorded in the audit trail
 * (helpers/audit.ts), whether it succeeded or failed.
 */
import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { GatewayError } from '../../shared/errors/classes';
import { toNodeApiError } from '../../shared/errors/to-node-error';
import { errorItem } from '../../shared/errors/error-item';
import { UnsafeBaseUrlError } from '../../shared/providers/base-url';
import { redactText } from '../../shared/redact';
import { RotationFailedError, RotationInProgressError } from '../../shared/rotation/errors';
import { settle } from '../../shared/settle';
import { auditAction } from '../helpers/audit';
import { safeNode } from '../helpers/safe-node';
import { operations as model } from './model/Model.resource';
import { operations as providerKey } from './providerKey/ProviderKey.resource';
import { operations as virtualKey } from './virtualKey/VirtualKey.resource';

type Execute = (ctx: IExecuteFunctions, itemIndex: number) => Promise<IDataObject[]>;

const RESOURCES: Record<string, Record<string, { execute: Execute }>> = {
	providerKey,
	virtualKey,
	model,
};

export async function router(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	const continueOnFail = ctx.continueOnFail();
	for (let i = 0; i < items.length; i++) {
		const resource = ctx.getNodeParameter('resource', i) as string;
		const operation = ctx.getNodeParameter('operation', i) as string;
		const handler = RESOURCES[resource]?.[operation];
		if (!handler)
			throw new NodeOperationError(
				ctx.getNode(),
				`The operation "${operation}" of "${resource}" is not supported`,
				{ itemIndex: i },
			);
		const outcome = await settle(handler.execute(ctx, i));
		if (outcome.ok) {
			const audit = await auditAction(ctx, i, resource, operation, {
				ok: true,
				items: outcome.value,
			});
			// A record that could not be written is said on every item of the action; the action itself stands.
			const note =
				audit && !audit.recorded
					? { auditError: `The audit record was not written: ${audit.reason}` }
					: {};
			for (const json of outcome.value)
				out.push({ json: { ...json, ...note }, pairedItem: { item: i } });
			continue;
		}
		const error = presentable(ctx, outcome.error, i);
		await auditAction(ctx, i, resource, operation, { ok: false, message: error.message });
		if (!continueOnFail) throw error;
		out.push(errorItem(error, i));
	}
	return [out];
}

function presentable(
	ctx: IExecuteFunctions,
	error: unknown,
	i: number,
): NodeApiError | NodeOperationError {
	const presented = present(ctx, error, i);
	// `node` is readonly in the type only; the error must not carry a key typed into the node.
	Object.assign(presented, { node: safeNode(ctx.getNode()) });
	return presented;
}

function present(
	ctx: IExecuteFunctions,
	error: unknown,
	i: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	if (error instanceof GatewayError) return toNodeApiError(ctx.getNode(), error, i);
	if (error instanceof RotationInProgressError) {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex: i,
			description:
				'Another rotation of this key holds the lease. Wait for it, or run again later with the same Rotation ID to resume a stopped one.',
		});
	}
	if (error instanceof UnsafeBaseUrlError) {
		return new NodeOperationError(ctx.getNode(), redactText(error.message), {
			itemIndex: i,
			description:
				"Nothing was sent. Correct the base URL in the secret's comment in Infisical, or store the key again with Provider Key → Store.",
		});
	}
	if (error instanceof RotationFailedError) {
		const failed = new NodeOperationError(ctx.getNode(), redactText(error.message), {
			itemIndex: i,
			description: `Failed step: ${error.step}. Outcome: ${error.outcome}${error.outcome === 'incomplete' ? ' (run again with the same Rotation ID to finish)' : ''}`,
		});
		// n8n swaps a message that mentions a connection error code (ECONNRESET...) for its generic text;
		// what the rotation did and left must survive whatever its cause was.
		failed.message = redactText(error.message);
		return failed;
	}
	return new NodeOperationError(
		ctx.getNode(),
		redactText(error instanceof Error ? error.message : String(error)),
		{ itemIndex: i },
	);
}
