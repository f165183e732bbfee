import { type IDataObject, type INode, NodeOperationError } from 'n8n-workflow';

import { jsonObjectParam } from '../shared/params';

/**
 * OpenAI chat fields a caller may pass through as they are (the gateway workflow forwards its callers'
 * `tool_choice` and `response_format` this way). An allow-list: fields that choose where a request goes or
 * whose key pays (`api_base`, `api_key`, `model`, `metadata`...) never come from item data, and `n` or
 * `stream` would change the answer's shape the node reads.
 */
const ALLOWED = new Set([
	'tool_choice',
	'parallel_tool_calls',
	'response_format',
	'frequency_penalty',
	'presence_penalty',
	'logit_bias',
	'logprobs',
	'top_logprobs',
	'max_completion_tokens',
	'reasoning_effort',
]);

export function requestFields(node: INode, value: unknown, itemIndex: number): IDataObject {
	const parsed = jsonObjectParam(node, value, 'OpenAI Request Fields', itemIndex) ?? {};
	const fields: IDataObject = {};
	for (const [name, field] of Object.entries(parsed)) {
		if (field === null || field === undefined) continue;
		if (!ALLOWED.has(name)) {
			throw new NodeOperationError(
				node,
				`OpenAI Request Fields: "${name}" is not one of ${[...ALLOWED].join(', ')}`,
				{ itemIndex },
			);
		}
		fields[name] = field;
	}
	return fields;
}
