import type { IDataObject } from 'n8n-workflow';

/**
 * How a call is attributed in LiteLLM's spend logs. The Usage node reads these back to group spend by
 * workflow: `request_tags` gets the tags, `metadata.spend_logs_metadata` the ids.
 */
export interface Attribution {
	workflowId?: string;
	workflowName?: string;
	executionId?: string;
	nodeName?: string;
}

export const TAG_PREFIX = { workflow: 'n8n-workflow:', execution: 'n8n-execution:' } as const;

function attributionTags(a: Attribution): string[] {
	const tags = ['n8n'];
	if (a.workflowId) tags.push(`${TAG_PREFIX.workflow}${a.workflowId}`);
	if (a.executionId) tags.push(`${TAG_PREFIX.execution}${a.executionId}`);
	return tags;
}

function attributionMetadata(a: Attribution): IDataObject {
	const ids: IDataObject = {};
	if (a.workflowId) ids.n8n_workflow_id = a.workflowId;
	if (a.workflowName) ids.n8n_workflow_name = a.workflowName;
	if (a.executionId) ids.n8n_execution_id = a.executionId;
	if (a.nodeName) ids.n8n_node = a.nodeName;
	return ids;
}

/**
 * Merges attribution into a request's `tags` and `metadata` (user-given values win; tags are united).
 * Tags go in the top-level `tags`, which LiteLLM records as the spend log's `request_tags` and which a proxy
 * with `reject_clientside_metadata_tags: true` accepts; that proxy refuses every call carrying
 * `metadata.tags`, so those are set only on request (`tagsInMetadata`, for old builds that read only them).
 */
export function withAttribution(
	a: Attribution,
	userTags: string[],
	userMetadata: IDataObject,
	tagsInMetadata = false,
): { tags: string[]; metadata: IDataObject } {
	const tags = [...new Set([...attributionTags(a), ...userTags])];
	const spendLogsMetadata = {
		...attributionMetadata(a),
		...((userMetadata.spend_logs_metadata as IDataObject | undefined) ?? {}),
	};
	const metadata: IDataObject = { ...userMetadata, spend_logs_metadata: spendLogsMetadata };
	if (tagsInMetadata) metadata.tags = tags;
	return { tags, metadata };
}
