/** Read failures of the small tables (keys, teams, OpenRouter) as NodeApiErrors, secrets redacted. */
import { type INode, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { GatewayError } from '../../shared/errors/classes';
import { toNodeApiError } from '../../shared/errors/to-node-error';
import { redactText } from '../../shared/redact';
import { PageFailedError } from '../source/spend-logs';
import { withPrefix } from './report-source';

/** `ctx`: any node context (the Usage node's execute, the Budget Trigger's poll). */
export function readFailure(
	ctx: { getNode(): INode },
	i: number,
	error: unknown,
	secrets: string[],
	what: string,
): Error {
	const cause = error instanceof PageFailedError ? error.failure : error;
	if (cause instanceof GatewayError)
		return withPrefix(
			toNodeApiError(ctx.getNode(), cause, i, secrets, `Reading ${what} failed: `),
			`Reading ${what} failed: `,
		);
	if (cause instanceof NodeOperationError || cause instanceof NodeApiError) return cause;
	const message = `Reading ${what} failed: ${redactText(cause instanceof Error ? cause.message : String(cause), secrets)}`;
	return new NodeApiError(ctx.getNode(), { message }, { message, itemIndex: i });
}
