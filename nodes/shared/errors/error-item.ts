import type {
	IDataObject,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

/**
 * The one shape of a failed item, for every node of the package, under both "Continue" settings.
 *
 * n8n 2.x (WorkflowExecute.handleNodeErrorOutput) sends an item to the error output of a node set to
 * "Continue (using error output)" only when its `json` has `error` and no keys besides `error`, `message`
 * and `details`; any other top-level key sends it to the success output. So everything a person or a
 * later node needs (kind, status, description, cause) lives under `details`.
 */
export type PresentedError = NodeApiError | NodeOperationError;

/** Facts a presenter can attach to an error for its item (kept in the error's `context`). */
export interface ErrorFacts {
	/** Machine-readable: the GatewayError kind, or a node-side kind such as `invalid_input`. */
	kind?: string;
	upstream?: string;
	causeCode?: string;
	errorType?: string;
	retryAfterSeconds?: number;
	/** With failover on: the route whose failure this is, and what LiteLLM's failure was before it. */
	route?: string;
	liteLlmKind?: string;
}

/** Records facts on the error, where n8n also shows them (`context`) when the node stops the workflow. */
export function withFacts<E extends PresentedError>(error: E, facts: ErrorFacts): E {
	for (const [name, value] of Object.entries(facts)) {
		if (value !== undefined && error.context[name] === undefined) error.context[name] = value;
	}
	return error;
}

export function errorDetails(error: PresentedError): IDataObject {
	const context = error.context ?? {};
	const fallbackKind = error.name === 'NodeApiError' ? 'api_error' : 'operation_failed';
	const details: IDataObject = { kind: (context.kind as string | undefined) ?? fallbackKind };
	const httpCode = (error as NodeApiError).httpCode;
	if (httpCode) details.httpCode = httpCode;
	for (const name of [
		'upstream',
		'causeCode',
		'errorType',
		'retryAfterSeconds',
		'route',
		'liteLlmKind',
	]) {
		if (context[name] !== undefined) details[name] = context[name];
	}
	if (error.description) details.description = error.description;
	return details;
}

/** The item a failed input item becomes when the node continues on fail; it pairs with its input. */
export function errorItem(error: PresentedError, itemIndex: number): INodeExecutionData {
	return {
		json: { error: error.message, details: errorDetails(error) },
		pairedItem: { item: itemIndex },
	};
}
