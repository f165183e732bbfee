/**
 * Which credentials each Key Manager operation asks for, computed by n8n-workflow itself
 * (NodeHelpers.getActiveCredentialTypes, the check behind "credentials required" on publishing) from the
 * node's description. n8n-core resolves a credential by its first entry with that name, so one entry per
 * credential and operation values unique across resources are what keep this exact.
 */
import { type INode, type INodeParameters, type INodeProperties, NodeHelpers } from 'n8n-workflow';

import { LiteLlmKeyManager } from '../../../nodes/LiteLlmKeyManager/LiteLlmKeyManager.node';

const INFISICAL = 'liteLlmInfisicalApi';
const LITELLM = 'liteLlmApi';
const OPENROUTER = 'liteLlmOpenRouterApi';

/**
 * What each operation's code reads (nodes/LiteLlmKeyManager/actions/<resource>/<operation>.operation.ts), with
 * every switch at its default: the actions that change a key through LiteLLM alone ask for Infisical to write
 * their audit record while "Record in Audit Trail" is on.
 */
const EXPECTED: Record<string, Record<string, string[]>> = {
	providerKey: {
		store: [INFISICAL],
		validate: [INFISICAL],
		validateAll: [INFISICAL],
		listProviderKeys: [INFISICAL],
		deleteProviderKey: [INFISICAL],
		rotateProviderKey: [INFISICAL, LITELLM, OPENROUTER],
		sweepPendingRevokes: [INFISICAL, OPENROUTER],
	},
	virtualKey: {
		create: [INFISICAL, LITELLM],
		get: [LITELLM],
		listVirtualKeys: [LITELLM],
		update: [INFISICAL, LITELLM],
		block: [INFISICAL, LITELLM],
		unblock: [INFISICAL, LITELLM],
		deleteVirtualKey: [INFISICAL, LITELLM],
		expiring: [LITELLM],
		rotateVirtualKey: [INFISICAL, LITELLM],
	},
	model: {
		createCredential: [INFISICAL, LITELLM],
		listCredentials: [LITELLM],
		listModels: [LITELLM],
		registerModel: [INFISICAL, LITELLM],
	},
};

const description = new LiteLlmKeyManager().description;

function operationsOf(resource: string): string[] {
	const prop = description.properties.find(
		(p: INodeProperties) =>
			p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
	);
	return (prop?.options ?? []).map((o) => ('value' in o ? String(o.value) : ''));
}

/**
 * The parameters as n8n runs them: its Workflow fills in the defaults of the shown parameters and drops the
 * hidden ones (NodeHelpers.getNodeParameters), so a switch's default and a stale hidden value are as at run time.
 */
function activeCredentials(
	resource: string,
	operation: string,
	extra: INodeParameters = {},
): string[] {
	const node: INode = {
		id: '1',
		name: 'Key Manager',
		type: 'n8n-nodes-litellm.liteLlmKeyManager',
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource, operation, ...extra },
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			node.parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	const active = NodeHelpers.getActiveCredentialTypes(node, description);
	if (!active) throw new Error(`n8n could not tell the credentials of ${resource}/${operation}`);
	return [...active].sort();
}

describe('Key Manager credentials per operation', () => {
	it('the expected map names every operation the node offers, and no other', () => {
		for (const resource of Object.keys(EXPECTED)) {
			expect(operationsOf(resource).sort()).toEqual(Object.keys(EXPECTED[resource]).sort());
		}
	});

	it('operation values are unique across resources', () => {
		const all = Object.keys(EXPECTED).flatMap(operationsOf);
		expect(new Set(all).size).toBe(all.length);
	});

	it('gives the editor no property to take for an authentication selector', () => {
		// n8n's editor (2.41) takes a property named in the credentials' display options, whose options all
		// appear there, for the node's authentication selector: it then hides that property (and the ones it
		// depends on) and rewrites it when a credential is picked. The keys must therefore name no property.
		const keys = (description.credentials ?? []).flatMap((c) => [
			...Object.keys(c.displayOptions?.show ?? {}),
			...Object.keys(c.displayOptions?.hide ?? {}),
		]);
		const properties = new Set(description.properties.map((p) => p.name));
		expect(keys.filter((k) => properties.has(k))).toEqual([]);
		expect(keys.length).toBeGreaterThan(0);
	});

	it('declares each credential once', () => {
		const names = (description.credentials ?? []).map((c) => c.name);
		expect(new Set(names).size).toBe(names.length);
	});

	for (const [resource, operations] of Object.entries(EXPECTED)) {
		for (const [operation, credentials] of Object.entries(operations)) {
			it(`${resource} / ${operation} asks for ${credentials.join(', ')}`, () => {
				expect(activeCredentials(resource, operation)).toEqual([...credentials].sort());
			});
		}
	}

	describe('"Record in Audit Trail" switched off: Infisical is no longer asked for', () => {
		const off = { recordAudit: false };
		it.each([
			['virtualKey', 'update'],
			['virtualKey', 'block'],
			['virtualKey', 'unblock'],
			['virtualKey', 'deleteVirtualKey'],
			['model', 'registerModel'],
		])('%s / %s asks for LiteLLM only', (resource, operation) => {
			expect(activeCredentials(resource, operation, off)).toEqual([LITELLM]);
		});

		it('Create shown once asks for Infisical for its record, and not with the switch off', () => {
			const showOnce = { keyDelivery: 'showOnce' };
			expect(activeCredentials('virtualKey', 'create', showOnce)).toEqual(
				[INFISICAL, LITELLM].sort(),
			);
			expect(activeCredentials('virtualKey', 'create', { ...showOnce, ...off })).toEqual([LITELLM]);
		});

		it('a switch left off where it is not shown takes nothing away (Infisical operations need it)', () => {
			expect(activeCredentials('virtualKey', 'create', off)).toEqual([INFISICAL, LITELLM].sort());
			expect(activeCredentials('providerKey', 'store', off)).toEqual([INFISICAL]);
			expect(activeCredentials('model', 'createCredential', off)).toEqual(
				[INFISICAL, LITELLM].sort(),
			);
		});
	});

	it('OpenRouter stays optional, the others are required where shown', () => {
		const required = Object.fromEntries(
			(description.credentials ?? []).map((c) => [c.name, c.required === true]),
		);
		expect(required).toEqual({ [INFISICAL]: true, [LITELLM]: true, [OPENROUTER]: false });
	});
});
