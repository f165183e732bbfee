/**
 * A stand-in ISupplyDataFunctions for unit tests of the sub-node: parameters and credentials from plain
 * objects, n8n's SSRF filter switched off (as in a default n8n), everything else a jest-mock-extended mock.
 * The engine tests (test/engine/chat-model) use n8n-core's real SupplyDataContext instead.
 */
import { passthroughEgressFilter } from '@n8n/backend-network/egress';
import { mock } from 'jest-mock-extended';
import type { ICredentialDataDecryptedObject, INode, ISupplyDataFunctions } from 'n8n-workflow';

export const TEST_NODE: INode = {
	id: 'node-model',
	name: 'LiteLLM Chat Model',
	type: 'n8n-nodes-litellm.liteLlmChatModel',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface ContextInput {
	parameters: Record<string, unknown>;
	credentials: ICredentialDataDecryptedObject;
	workflow?: { id: string; name: string };
	executionId?: string;
}

export function supplyContext(input: ContextInput): ISupplyDataFunctions {
	const ctx = mock<ISupplyDataFunctions>();
	const getParameter = (
		name: string,
		_itemIndex: number,
		fallback?: unknown,
		options?: { extractValue?: boolean },
	) => {
		const value = name in input.parameters ? input.parameters[name] : fallback;
		if (options?.extractValue && value && typeof value === 'object' && '__rl' in value) {
			return (value as unknown as { value: unknown }).value;
		}
		return value;
	};
	ctx.getNodeParameter.mockImplementation(getParameter as never);
	ctx.getNode.mockReturnValue(TEST_NODE);
	ctx.getCredentials.mockImplementation((async () => input.credentials) as never);
	const workflow = input.workflow ?? { id: 'wf-unit', name: 'Unit workflow' };
	ctx.getWorkflow.mockReturnValue({ ...workflow, active: false });
	ctx.getExecutionId.mockReturnValue(input.executionId ?? 'exec-unit');
	// supplyModel asks for n8n's egress (SSRF) filter to build its dispatcher; n8n's default is passthrough.
	Object.assign(ctx, { helpers: { getSecureEgressFilter: () => passthroughEgressFilter } });
	return ctx;
}
