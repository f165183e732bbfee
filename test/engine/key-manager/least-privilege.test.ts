/**
 * Least privilege, as n8n loads the built package: the Key Manager is no AI tool (n8n makes a `…Tool` variant
 * only of nodes whose description says usableAsTool), and Virtual Key → Create asks for Infisical unless the
 * plaintext opt-in is chosen and its audit record switched off (computed by n8n-workflow's own
 * getActiveCredentialTypes).
 */
import { type INode, type INodeTypeDescription, NodeHelpers } from 'n8n-workflow';

import { loadPackage } from '../harness';

async function description(name: string): Promise<INodeTypeDescription> {
	const pkg = await loadPackage();
	return (pkg.getNodeType(name) as { description: INodeTypeDescription }).description;
}

function credentialsFor(desc: INodeTypeDescription, parameters: INode['parameters']): string[] {
	const node: INode = {
		id: '1',
		name: 'Key Manager',
		type: 'n8n-nodes-litellm.liteLlmKeyManager',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	return [...(NodeHelpers.getActiveCredentialTypes(node, desc) ?? [])].sort();
}

describe('least privilege', () => {
	it('an AI Agent cannot call the Key Manager: it is not usable as a tool', async () => {
		expect((await description('liteLlmKeyManager')).usableAsTool).toBeFalsy();
	});

	it('the read-only nodes stay tools (Chat, Usage)', async () => {
		expect((await description('liteLlmChat')).usableAsTool).toBe(true);
		expect((await description('liteLlmUsage')).usableAsTool).toBe(true);
	});

	it('Create stores into Infisical by default; the plaintext opt-in needs Infisical only for its audit record', async () => {
		const desc = await description('liteLlmKeyManager');
		expect(credentialsFor(desc, { resource: 'virtualKey', operation: 'create' })).toEqual([
			'liteLlmApi',
			'liteLlmInfisicalApi',
		]);
		expect(
			credentialsFor(desc, {
				resource: 'virtualKey',
				operation: 'create',
				keyDelivery: 'showOnce',
			}),
		).toEqual(['liteLlmApi', 'liteLlmInfisicalApi']);
		expect(
			credentialsFor(desc, {
				resource: 'virtualKey',
				operation: 'create',
				keyDelivery: 'showOnce',
				recordAudit: false,
			}),
		).toEqual(['liteLlmApi']);
		const delivery = desc.properties.find((p) => p.name === 'keyDelivery');
		expect(delivery?.default).toBe('infisical');
		const optIn = delivery?.options?.find((o) => 'value' in o && o.value === 'showOnce');
		expect(optIn && 'name' in optIn ? optIn.name : '').toMatch(/Plaintext/);
	});
});
