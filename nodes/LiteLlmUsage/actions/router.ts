/**
 * Dispatches the operation per input item (Airtable V2's router): each operation returns the items it emits
 * for that input; errors are presented per item, with continueOnFail honoured.
 */
import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { errorItem } from '../../shared/errors/error-item';
import { redactText } from '../../shared/redact';
import { settle } from '../../shared/settle';
import * as auditTrail from './auditTrail.operation';
import * as budgetCheck from './budgetCheck.operation';
import * as keySpend from './keySpend.operation';
import * as openRouterUsage from './openRouterUsage.operation';
import * as savings from './savings.operation';
import * as spendReport from './spendReport.operation';

export type UsageOperation =
	| 'spendReport'
	| 'keySpend'
	| 'budgetCheck'
	| 'savings'
	| 'openRouterUsage'
	| 'auditTrail';

export type OperationExecute = (
	ctx: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject[]>;

const OPERATIONS: Record<UsageOperation, { execute: OperationExecute }> = {
	spendReport,
	keySpend,
	budgetCheck,
	savings,
	openRouterUsage,
	auditTrail,
};

export async function router(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0) as UsageOperation;
	const handler = OPERATIONS[operation];
	if (!handler)
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${String(operation)}" is not supported`,
		);
	const out: INodeExecutionData[] = [];
	const continueOnFail = ctx.continueOnFail();
	const items = ctx.getInputData();
	for (let i = 0; i < items.length; i++) {
		const outcome = await settle(handler.execute(ctx, i));
		if (outcome.ok) {
			for (const json of outcome.value) out.push({ json, pairedItem: { item: i } });
			continue;
		}
		const error = presentable(ctx, outcome.error, i);
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
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const message = redactText(error instanceof Error ? error.message : String(error));
	return new NodeOperationError(ctx.getNode(), message, { itemIndex: i });
}
