/**
 * Which credentials each Usage operation asks for, computed by n8n-workflow itself (getActiveCredentialTypes)
 * over the parameters as n8n runs them (defaults of shown parameters filled in, hidden ones dropped).
 */
import { type INode, type INodeParameters, NodeHelpers } from 'n8n-workflow';

import { LiteLlmUsage } from '../../../nodes/LiteLlmUsage/LiteLlmUsage.node';

const INFISICAL = 'liteLlmInfisicalApi';
const LITELLM = 'liteLlmApi';
const OPENROUTER = 'liteLlmOpenRouterApi';

const description = new LiteLlmUsage().description;

function activeCredentials(parameters: INodeParameters): string[] {
	const node: INode = {
		id: '1',
		name: 'Usage',
		type: 'n8n-nodes-litellm.liteLlmUsage',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	return [...(NodeHelpers.getActiveCredentialTypes(node, description) ?? [])].sort();
}

describe('Usage credentials per operation', () => {
	it.each([
		['spendReport', [LITELLM]],
		['keySpend', [LITELLM]],
		['budgetCheck', [LITELLM]],
		['savings', [LITELLM, OPENROUTER]],
		['openRouterUsage', [OPENROUTER]],
		['auditTrail', [INFISICAL, LITELLM]],
	])('%s asks for %j', (operation, credentials) => {
		expect(activeCredentials({ operation })).toEqual([...credentials].sort());
	});

	it('Audit Trail asks for LiteLLM only while "Include Key Usage From LiteLLM" is on', () => {
		expect(activeCredentials({ operation: 'auditTrail', includeKeyUsage: false })).toEqual([
			INFISICAL,
		]);
		expect(activeCredentials({ operation: 'auditTrail', includeKeyUsage: true })).toEqual(
			[INFISICAL, LITELLM].sort(),
		);
	});

	it('a switch left off where it is not shown takes nothing away', () => {
		expect(activeCredentials({ operation: 'keySpend', includeKeyUsage: false })).toEqual([LITELLM]);
	});

	it('the option is on by default: a saved workflow leaves a default out, and then LiteLLM is asked for', () => {
		const option = description.properties.find((p) => p.name === 'includeKeyUsage');
		expect(option?.default).toBe(true);
	});
});
