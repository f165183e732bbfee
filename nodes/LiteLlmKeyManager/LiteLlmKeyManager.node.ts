import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { router } from './actions/router';
import { keyManagerProperties } from './description';
import { actionSubtitle } from '../shared/subtitle';
import { INFISICAL_CREDENTIAL_OPERATIONS, RECORD_AUDIT } from './helpers/infisical-operations';

export class LiteLlmKeyManager implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LiteLLM Key Manager',
		name: 'liteLlmKeyManager',
		icon: { light: 'file:litellm.svg', dark: 'file:litellm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(keyManagerProperties),
		description:
			'BYOK provider keys in Infisical (store, validate, rotate), LiteLLM virtual keys, credentials and models',
		defaults: { name: 'LiteLLM Key Manager' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Deliberately not a tool: an AI Agent must not create, rotate or delete keys, and nothing of key
		// administration belongs in a model's context (the Chat and Usage nodes are the tools). n8n makes a tool
		// of a node whose usableAsTool is truthy; the property is spelled out because n8n's lint wants it there.
		usableAsTool: undefined,
		// One entry per credential: n8n-core resolves a credential by its first entry with that name, so each
		// entry lists exactly the operations that read it. Operation values are unique across resources for that
		// reason (test/unit/key-manager/credentials.test.ts holds the map).
		// The key is '/operation' (the root-level path of the same parameter), not 'operation': n8n's editor takes
		// a property named in the credentials' display options whose every option some credential covers for the
		// node's authentication selector; it then hides Resource and Operation and rewrites the operation when a
		// credential is picked. A path names no property, so the editor finds no selector, while n8n-workflow reads
		// '/operation' from the node's parameters exactly as it reads 'operation' (editor and engine alike).
		// Infisical is also asked for by the actions that change a key through LiteLLM alone (and Create with the
		// key shown once), to write their audit record, unless their "Record in Audit Trail" switch is off: n8n
		// fills in the switch's default (on) where it is shown and drops it where it is not, so `hide` on false
		// touches only those actions. Rotate (provider key) shows LiteLLM for "Update LiteLLM" (the usual choice).
		credentials: [
			{
				name: 'liteLlmInfisicalApi',
				required: true,
				displayOptions: {
					show: {
						'/operation': INFISICAL_CREDENTIAL_OPERATIONS,
					},
					hide: { [`/${RECORD_AUDIT}`]: [false] },
				},
			},
			{
				name: 'liteLlmApi',
				required: true,
				displayOptions: {
					show: {
						'/operation': [
							'rotateProviderKey',
							'create',
							'get',
							'listVirtualKeys',
							'update',
							'block',
							'unblock',
							'deleteVirtualKey',
							'expiring',
							'rotateVirtualKey',
							'createCredential',
							'listCredentials',
							'listModels',
							'registerModel',
						],
					},
				},
			},
			{
				name: 'liteLlmOpenRouterApi',
				required: false,
				displayOptions: { show: { '/operation': ['rotateProviderKey', 'sweepPendingRevokes'] } },
			},
		],
		properties: keyManagerProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router(this);
	}
}
