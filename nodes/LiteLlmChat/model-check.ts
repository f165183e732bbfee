import type { IExecuteFunctions } from 'n8n-workflow';

import type { ModelList } from '../shared/chat/types';
import { GatewayError } from '../shared/errors/classes';
import { settle } from '../shared/settle';
import { type LiteLlmConnection, liteLlmRequest } from '../shared/transport/litellm';

/**
 * Checks the models against `GET /v1/models` (the groups this key may use) once per execution, so an
 * unknown model is a clear NodeOperationError before any chat call. Wildcard routes (`openai/*`) accept any
 * model under their prefix. When the list cannot be read (proxy down), nothing is flagged: the chat call
 * and the failover policy decide.
 * Returns model → problem text.
 */
export async function checkModelOffered(
	ctx: IExecuteFunctions,
	connection: LiteLlmConnection,
	models: string[],
	timeoutMs: number,
): Promise<Map<string, string>> {
	const problems = new Map<string, string>();
	if (!models.length) return problems;
	const listed = await settle(
		liteLlmRequest<ModelList>(ctx, connection, { method: 'GET', path: '/v1/models', timeoutMs: Math.min(timeoutMs, 15_000) }),
	);
	if (!listed.ok) {
		if (listed.error instanceof GatewayError) return problems;
		throw listed.error;
	}
	const offered = (listed.value.data.data ?? []).map((m) => m.id);
	const exact = new Set(offered);
	const wildcards = offered.filter((id) => id.endsWith('*')).map((id) => id.slice(0, -1));
	for (const model of models) {
		if (exact.has(model) || wildcards.some((prefix) => model.startsWith(prefix))) continue;
		const sample = offered.slice(0, 8).join(', ');
		problems.set(model, `Model "${model}" is not offered by this LiteLLM proxy for this key (offered: ${sample || 'none'})`);
	}
	return problems;
}
