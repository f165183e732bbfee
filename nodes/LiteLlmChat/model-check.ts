import type { IExecuteFunctions } from 'n8n-workflow';

import type { ModelList } from '../shared/chat/types';
import { GatewayError } from '../shared/errors/classes';
import { isProxyDown } from '../shared/failover/policy';
import { settle } from '../shared/settle';
import { type LiteLlmConnection, liteLlmRequest } from '../shared/transport/litellm';

export interface ModelCheckVerdict {
	/** Model → problem text, for the models this key may not use on this proxy. */
	problems: Map<string, string>;
	/** The proxy showed a sign of being down while asked: the calls fail over (or fail) without asking again. */
	down?: GatewayError;
}

/**
 * Checks the models against `GET /v1/models` (the groups this key may use), once per execution, so an
 * unknown model is a clear NodeOperationError before any chat call. Wildcard routes (`openai/*`) accept any
 * model under their prefix. The check is the execution's first question to the proxy and is bounded like a
 * call (`timeoutMs`, already cut to the deadline by the caller): when it finds the proxy down, that is the
 * LiteLLM try of every call, which then fails over at once instead of waiting on the proxy a second time.
 * Any other failure to read the list (a 401, a 404 on an old proxy) flags nothing: the calls decide.
 */
export async function checkModels(
	ctx: IExecuteFunctions,
	connection: LiteLlmConnection,
	models: string[],
	timeoutMs: number,
): Promise<ModelCheckVerdict> {
	const problems = new Map<string, string>();
	if (!models.length) return { problems };
	const listed = await settle(
		liteLlmRequest<ModelList>(ctx, connection, {
			method: 'GET',
			path: '/v1/models',
			timeoutMs: Math.max(1, timeoutMs),
		}),
	);
	if (!listed.ok) {
		if (!(listed.error instanceof GatewayError)) throw listed.error;
		return { problems, down: isProxyDown(listed.error) ? listed.error : undefined };
	}
	const offered = (listed.value.data.data ?? []).map((m) => m.id);
	const exact = new Set(offered);
	const wildcards = offered.filter((id) => id.endsWith('*')).map((id) => id.slice(0, -1));
	for (const model of models) {
		if (exact.has(model) || wildcards.some((prefix) => model.startsWith(prefix))) continue;
		const sample = offered.slice(0, 8).join(', ');
		problems.set(
			model,
			`Model "${model}" is not offered by this LiteLLM proxy for this key (offered: ${sample || 'none'})`,
		);
	}
	return { problems };
}
