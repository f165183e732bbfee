/**
 * What the editor suite does with each node of the package: the action a person picks in the node panel,
 * what the Parameters tab must then show, what to type before "Execute step" (values the sandbox knows), and
 * what the output panel must show. The Key Manager's list follows its credential map
 * (test/unit/key-manager/credentials.test.ts, every switch at its default: "Record in Audit Trail" on, so the
 * actions that change a key through LiteLLM alone ask for Infisical too) and is ordered so that what one action
 * creates, a later one changes and then deletes.
 */
const INFISICAL = 'liteLlmInfisicalApi';
const LITELLM = 'liteLlmApi';
const OPENROUTER = 'liteLlmOpenRouterApi';

/** The credential types by the names the form's labels give them ("Credential for LiteLLM API"). */
export const CREDENTIAL_LABELS: Record<string, string> = {
	'LiteLLM Infisical API': INFISICAL,
	'LiteLLM OpenRouter API': OPENROUTER,
	'LiteLLM API': LITELLM,
};

/** The sandbox credential a person picks for each type, as the shipped workflows do (per node). */
export function credentialFor(node: string, type: string): string {
	if (type === INFISICAL) return 'Infisical';
	if (type === OPENROUTER)
		return node === 'LiteLLM Key Manager' ? 'OpenRouter management key' : 'OpenRouter';
	return node === 'LiteLLM Chat' || node === 'LiteLLM Chat Model'
		? 'LiteLLM proxy'
		: 'LiteLLM admin (master key)';
}

export interface NodeAction {
	/** What is typed into the node panel's search. */
	search: string;
	node: string;
	/** The action clicked in the panel (nodes without actions are added with "Add to workflow"). */
	action?: string;
	/** Parameter values the node must carry once added (and still carry after a credential is picked). */
	parameters: Record<string, string>;
	/** The credential types the form asks for, in any order. */
	credentials: string[];
	/** Text typed into fields before executing. */
	fill?: Record<string, string>;
	/** 'items': the step returns items; 'error': it fails with a message of its own (never "not supported"). */
	outcome: 'items' | 'error' | 'none';
	/** Fields n8n's editor puts before the node's own (a polling trigger's schedule). */
	editorAdds?: string[];
	/** False for a sub-node, which runs only inside its root node (the shipped AI Agent workflow runs it). */
	execute?: boolean;
	/** Text the output panel must show. */
	shows?: RegExp;
}

const km = (
	action: string,
	resource: string,
	operation: string,
	credentials: string[],
	rest: Partial<NodeAction> = {},
): NodeAction => ({
	search: 'key',
	node: 'LiteLLM Key Manager',
	action,
	parameters: { resource, operation },
	credentials,
	outcome: 'items',
	...rest,
});

export const KEY_MANAGER_ACTIONS: NodeAction[] = [
	km('List provider keys', 'providerKey', 'listProviderKeys', [INFISICAL], {
		shows: /OPENAI_API_KEY/,
	}),
	km('Validate a provider key', 'providerKey', 'validate', [INFISICAL], {
		fill: { keyName: 'OPENAI_API_KEY' },
		shows: /valid/,
	}),
	km('Validate all provider keys', 'providerKey', 'validateAll', [INFISICAL], {
		shows: /GROQ_API_KEY/,
	}),
	// The sandbox stores it; the check goes to a closed loopback port (never off the machine), so the key is
	// stored as unreachable.
	km('Store a provider key', 'providerKey', 'store', [INFISICAL], {
		fill: {
			keyName: 'EDITOR_CHECK_API_KEY',
			apiKey: 'sk-editor-check-not-a-real-key',
			baseUrl: 'http://127.0.0.1:9/v1',
		},
		shows: /EDITOR_CHECK_API_KEY/,
	}),
	km(
		'Rotate a provider key',
		'providerKey',
		'rotateProviderKey',
		[INFISICAL, LITELLM, OPENROUTER],
		{
			fill: { keyName: 'EDITOR_CHECK_MISSING_KEY' },
			outcome: 'error',
		},
	),
	// Nothing pending in the sandbox: no items.
	km(
		'Sweep pending revokes of provider keys',
		'providerKey',
		'sweepPendingRevokes',
		[INFISICAL, OPENROUTER],
		{ outcome: 'none', shows: /No output data returned/ },
	),
	km('Delete a provider key', 'providerKey', 'deleteProviderKey', [INFISICAL], {
		fill: { keyName: 'EDITOR_CHECK_API_KEY' },
		shows: /EDITOR_CHECK_API_KEY/,
	}),
	km('Create a virtual key', 'virtualKey', 'create', [INFISICAL, LITELLM], {
		fill: { alias: 'editor-check', storeAs: 'EDITOR_CHECK_VIRTUAL_KEY' },
		shows: /editor-check/,
	}),
	km('Get a virtual key', 'virtualKey', 'get', [LITELLM], {
		fill: { keyRef: 'open-webui' },
		shows: /open-webui/,
	}),
	km('List virtual keys', 'virtualKey', 'listVirtualKeys', [LITELLM], { shows: /mcp-tools/ }),
	// Nothing typed into Key Settings: the node says so, naming the field, before any request.
	km('Update a virtual key', 'virtualKey', 'update', [INFISICAL, LITELLM], {
		fill: { keyRef: 'editor-check' },
		outcome: 'error',
		shows: /Key Settings are empty/,
	}),
	km('Block a virtual key', 'virtualKey', 'block', [INFISICAL, LITELLM], {
		fill: { keyRef: 'editor-check' },
	}),
	km('Unblock a virtual key', 'virtualKey', 'unblock', [INFISICAL, LITELLM], {
		fill: { keyRef: 'editor-check' },
	}),
	km('List expiring virtual keys', 'virtualKey', 'expiring', [LITELLM], { shows: /mcp-tools/ }),
	km('Rotate a virtual key', 'virtualKey', 'rotateVirtualKey', [INFISICAL, LITELLM], {
		fill: { keyName: 'EDITOR_CHECK_MISSING_KEY' },
		outcome: 'error',
	}),
	km('Delete a virtual key', 'virtualKey', 'deleteVirtualKey', [INFISICAL, LITELLM], {
		fill: { keyRef: 'editor-check' },
	}),
	km('List LiteLLM credentials', 'model', 'listCredentials', [LITELLM], { outcome: 'none' }),
	km('List LiteLLM models', 'model', 'listModels', [LITELLM], { shows: /gpt/ }),
	km(
		'Create a LiteLLM credential from a stored key',
		'model',
		'createCredential',
		[INFISICAL, LITELLM],
		{
			fill: { credentialName: 'editor-check-openai', storedKeyName: 'OPENAI_API_KEY' },
		},
	),
	km('Register a model on LiteLLM', 'model', 'registerModel', [INFISICAL, LITELLM], {
		fill: {
			modelName: 'editor-check-model',
			providerModel: 'openai/gpt-4o-mini',
			credentialName: 'editor-check-openai',
		},
	}),
];

const usage = (
	action: string,
	operation: string,
	credentials: string[],
	rest: Partial<NodeAction> = {},
): NodeAction => ({
	search: 'usage',
	node: 'LiteLLM Usage',
	action,
	parameters: { operation },
	credentials,
	outcome: 'items',
	...rest,
});

export const OTHER_ACTIONS: NodeAction[] = [
	usage('Report spend', 'spendReport', [LITELLM]),
	usage('List key spend', 'keySpend', [LITELLM], { shows: /open-webui/ }),
	usage('Check budgets', 'budgetCheck', [LITELLM], { shows: /agents/ }),
	usage('Compare with OpenRouter prices', 'savings', [LITELLM, OPENROUTER]),
	usage('Get OpenRouter usage', 'openRouterUsage', [OPENROUTER]),
	// The Key Manager's actions above left their records in the sandbox's audit folder; key usage is on.
	usage('Read the key audit trail', 'auditTrail', [LITELLM, INFISICAL], {
		shows: /registerModel|deleteVirtualKey/,
	}),
	{
		search: 'LiteLLM',
		node: 'LiteLLM Chat',
		parameters: {},
		credentials: [LITELLM],
		fill: { userMessage: 'Say hello' },
		outcome: 'items',
		shows: /costUsd/,
	},
	{
		search: 'LiteLLM',
		node: 'LiteLLM Chat Model',
		parameters: { backend: 'liteLlm' },
		credentials: [LITELLM],
		outcome: 'none',
		execute: false,
	},
	{
		search: 'budget',
		node: 'LiteLLM Budget Trigger',
		parameters: {},
		credentials: [LITELLM],
		outcome: 'items',
		editorAdds: ['Poll Times', 'Mode'],
	},
];

/** The node panel's search: each term must list at least these nodes. */
export const SEARCHES: Record<string, string[]> = {
	LiteLLM: [
		'LiteLLM Chat',
		'LiteLLM Chat Model',
		'LiteLLM Key Manager',
		'LiteLLM Usage',
		'LiteLLM Budget Trigger',
	],
	key: ['LiteLLM Key Manager'],
	budget: ['LiteLLM Usage', 'LiteLLM Budget Trigger', 'LiteLLM Key Manager'],
	spend: ['LiteLLM Usage', 'LiteLLM Budget Trigger'],
	usage: ['LiteLLM Usage'],
	cost: ['LiteLLM Usage', 'LiteLLM Chat'],
	openrouter: ['LiteLLM Chat', 'LiteLLM Chat Model', 'LiteLLM Usage', 'LiteLLM Key Manager'],
};
