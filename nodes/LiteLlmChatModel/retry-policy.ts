import { type INode, type JsonObject, NodeApiError } from 'n8n-workflow';

/** Statuses a retry cannot change: the request is wrong, unpaid for or not allowed. */
const FINAL_STATUSES = new Set([400, 401, 402, 403, 404, 405, 406, 407, 409]);

type FailedAttempt = {
	name?: unknown;
	message?: unknown;
	code?: unknown;
	status?: unknown;
	retriesLeft?: unknown;
};

function isFinal(error: FailedAttempt): boolean {
	const message = typeof error.message === 'string' ? error.message : '';
	if (
		error.name === 'AbortError' ||
		message.startsWith('Cancel') ||
		message.startsWith('AbortError')
	)
		return true;
	if (error.code === 'ECONNABORTED') return true;
	return FINAL_STATUSES.has(Number(error.status));
}

/**
 * LangChain's retry hook for the Chat Model, with the rules n8n's `supplyModel` gives the models it builds
 * (rebuilding the model for the normalising fetch drops n8n's hook, which is not exported): a cancelled
 * call or a status a retry cannot change stops at once; anything else is retried while the error says
 * retries are left; what stops is a NodeApiError of this node, as n8n reports a sub-node's failure.
 * The LangChain caller n8n 2.41 ships hands the hook the bare error, without `retriesLeft`, so there the
 * first failure stops, exactly as with n8n's own hook.
 */
export function failedAttemptHandler(node: INode): (error: unknown) => void {
	return (error) => {
		const attempt = (typeof error === 'object' && error !== null ? error : {}) as FailedAttempt;
		if (!isFinal(attempt) && Number(attempt.retriesLeft) > 0) return;
		throw new NodeApiError(node, error as JsonObject, { functionality: 'configuration-node' });
	};
}
