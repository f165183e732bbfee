import type { INodeProperties } from 'n8n-workflow';

/** The Budget Check fields, shared with the LiteLLM Budget Trigger (read by actions/budget-alerts.ts). */
export const budgetFields: INodeProperties[] = [
	{
		displayName: 'Thresholds (%)',
		name: 'thresholds',
		type: 'string',
		default: '50, 80, 95, 100',
		description:
			'Percentages of each budget that alert once when crossed, comma-separated, above 0 and at most 1000',
	},
	{
		displayName: 'Check',
		name: 'budgetScope',
		type: 'multiOptions',
		default: ['keys', 'teams'],
		options: [
			{ name: 'Keys', value: 'keys' },
			{ name: 'Teams', value: 'teams' },
		],
		description: 'Whose max_budget to check',
	},
	{
		displayName: 'Proxy Monthly Budget (USD)',
		name: 'proxyMonthlyBudget',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description: 'A budget for the whole proxy per calendar month (UTC); 0 for none',
	},
	{
		displayName: 'Send Alerts',
		name: 'deliverTo',
		type: 'options',
		default: 'output',
		options: [
			{
				name: 'As Output Items Only',
				value: 'output',
				description:
					'A crossing is remembered as reported as soon as it is output: if a later node fails to deliver it, it is not sent again',
			},
			{
				name: 'To a Slack Webhook, Then Output',
				value: 'slack',
				description:
					'Each alert is posted to Slack by this node and remembered only once Slack accepted it; a failed post is sent again on the next run',
			},
		],
	},
	{
		displayName: 'Remember Reported Crossings',
		name: 'alertMemory',
		type: 'options',
		default: 'workflow',
		options: [
			{
				name: 'In This Workflow (One Process at a Time)',
				value: 'workflow',
				description:
					"In the workflow's static data: each crossing once per workflow, as long as one n8n process runs it at a time",
			},
			{
				name: 'In Infisical (Once Across Workers)',
				value: 'infisical',
				description:
					'A marker secret per crossing (LITELLM_BUDGET_ALERT_…) claimed before sending, in the folder of an Infisical credential: once even when queue-mode workers or several workflows run the check at the same moment',
			},
		],
	},
	{
		displayName: 'Slack Webhook URL',
		name: 'slackWebhookUrl',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		placeholder: 'https://hooks.slack.com/services/T000/B000/XXXX',
		description: 'The incoming webhook of the channel for budget alerts',
		displayOptions: { show: { deliverTo: ['slack'] } },
	},
];

const reportOps = { show: { operation: ['spendReport', 'savings'] } };

export const usageProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'spendReport',
		options: [
			{
				name: 'Audit Trail',
				value: 'auditTrail',
				description:
					'Key actions of the Key Manager (store, validate, rotate, create, block…) read back from Infisical, with calls, tokens, spend and last use per key from LiteLLM',
				action: 'Read the key audit trail',
			},
			{
				name: 'Budget Check',
				value: 'budgetCheck',
				description: 'Alert once per new budget threshold crossing of keys, teams or the proxy',
				action: 'Check budgets',
			},
			{
				name: 'Key Spend',
				value: 'keySpend',
				description: 'Every virtual key with spend, budget, reset, expiry and blocked state',
				action: 'List key spend',
			},
			{
				name: 'OpenRouter Usage',
				value: 'openRouterUsage',
				description: 'Usage and limits of the OpenRouter key, and credits with a management key',
				// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- product names keep their spelling
				action: 'Get OpenRouter usage',
			},
			{
				name: 'Savings vs OpenRouter',
				value: 'savings',
				description: 'What the period cost through LiteLLM against OpenRouter list prices',
				// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- product names keep their spelling
				action: 'Compare with OpenRouter prices',
			},
			{
				name: 'Spend Report',
				value: 'spendReport',
				description: 'Spend, tokens and requests per key, model, team, workflow or day',
				action: 'Report spend',
			},
		],
	},
	{
		displayName: 'Date Range',
		name: 'datePreset',
		type: 'options',
		default: 'last7Days',
		displayOptions: { show: { operation: ['spendReport', 'savings', 'auditTrail'] } },
		options: [
			{ name: 'Custom', value: 'custom' },
			{ name: 'Last 7 Days', value: 'last7Days' },
			{ name: 'Last Month', value: 'lastMonth' },
			{ name: 'This Month', value: 'thisMonth' },
			{ name: 'Today', value: 'today' },
		],
		description: 'The period, in UTC; presets end at the time of reading',
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: {
			show: { operation: ['spendReport', 'savings', 'auditTrail'], datePreset: ['custom'] },
		},
		description: 'Start of the range (UTC)',
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		displayOptions: {
			show: { operation: ['spendReport', 'savings', 'auditTrail'], datePreset: ['custom'] },
		},
		description: 'End of the range (UTC); empty for now. At most one year after the start.',
	},
	{
		displayName: 'Key',
		name: 'auditKey',
		type: 'string',
		default: '',
		placeholder: 'OPENAI_API_KEY',
		displayOptions: { show: { operation: ['auditTrail'] } },
		description:
			'Only records of this key: secret name, alias, key hash, masked key or fingerprint. Empty: every key.',
	},
	{
		displayName: 'Include Key Usage From LiteLLM',
		name: 'includeKeyUsage',
		type: 'boolean',
		// On by default: n8n leaves a default out of a saved workflow, and the LiteLLM credential's display rule
		// can tell "off" only from a value that is saved (see LiteLlmUsage.node.ts).
		default: true,
		displayOptions: { show: { operation: ['auditTrail'] } },
		description:
			'Whether to add, after the records, one item per virtual key with its calls, tokens and spend in the period and when it was last used, read from LiteLLM (needs the LiteLLM API credential)',
	},
	{
		displayName: 'Limit',
		name: 'auditLimit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 100,
		displayOptions: { show: { operation: ['auditTrail'] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'multiOptions',
		default: ['model'],
		displayOptions: { show: { operation: ['spendReport'] } },
		options: [
			{ name: 'Day', value: 'day' },
			{ name: 'End User', value: 'endUser' },
			{ name: 'Key', value: 'key' },
			{ name: 'Model', value: 'model' },
			{ name: 'Provider', value: 'provider' },
			{ name: 'Tag', value: 'tag' },
			{ name: 'Team', value: 'team' },
			{ name: 'User', value: 'user' },
			{
				name: 'Workflow',
				value: 'workflow',
				description: 'From the tags and metadata the LiteLLM Chat node sets',
			},
		],
		description: 'One or two groupings (two give combinations, e.g. key and model)',
	},
	{
		displayName: 'Sort By',
		name: 'sortBy',
		type: 'options',
		default: 'cost',
		displayOptions: { show: { operation: ['spendReport'] } },
		options: [
			{ name: 'Cost', value: 'cost' },
			{ name: 'Name', value: 'name' },
			{ name: 'Requests', value: 'requests' },
			{ name: 'Tokens', value: 'tokens' },
		],
	},
	{
		displayName: 'Top N',
		name: 'topN',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10,
		displayOptions: { show: { operation: ['spendReport'] } },
		description: 'How many groups to list; the rest are summed as one line. 0 lists all.',
	},
	{
		displayName: 'Data Source',
		name: 'source',
		type: 'options',
		default: 'auto',
		displayOptions: reportOps,
		options: [
			{
				name: 'Automatic',
				value: 'auto',
				description:
					'Daily activity when the grouping and range allow it, else spend logs; the report says which',
			},
			{
				name: 'Spend Logs',
				value: 'spendLogs',
				description: 'Every request row (/spend/logs/ui, 100 per page); sees unpriced requests',
			},
			{
				name: 'Daily Activity',
				value: 'dailyActivity',
				description:
					'Per-day totals (/user/daily/activity); by day, model, provider, key or team only',
			},
		],
	},
	{
		displayName: 'Model Mapping',
		name: 'modelMapping',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Mapping',
		displayOptions: { show: { operation: ['savings'] } },
		description:
			'LiteLLM models whose OpenRouter model ID cannot be derived from provider and name',
		options: [
			{
				displayName: 'Entries',
				name: 'entries',
				values: [
					{
						displayName: 'LiteLLM Model',
						name: 'liteLlmModel',
						type: 'string',
						default: '',
						placeholder: 'e.g. claude-sonnet',
					},
					{
						displayName: 'OpenRouter Model',
						name: 'openRouterModel',
						type: 'string',
						default: '',
						placeholder: 'e.g. anthropic/claude-3.5-sonnet',
					},
				],
			},
		],
	},
	{
		displayName: 'Only Keys With a Budget',
		name: 'onlyWithBudget',
		type: 'boolean',
		default: false,
		displayOptions: { show: { operation: ['keySpend'] } },
		description: 'Whether to leave out keys without max_budget',
	},
	...budgetFields.map((field) => ({
		...field,
		displayOptions: { show: { ...(field.displayOptions?.show ?? {}), operation: ['budgetCheck'] } },
	})),
	{
		displayName: 'Include Credits',
		name: 'includeCredits',
		type: 'options',
		default: 'auto',
		displayOptions: { show: { operation: ['openRouterUsage'] } },
		options: [
			{ name: 'When the Key Is a Management Key', value: 'auto' },
			{
				name: 'Always',
				value: 'always',
				description: 'Fails when the key is not a management key',
			},
			{ name: 'Never', value: 'never' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 100,
				description: 'Spend-log rows per request (LiteLLM allows at most 100)',
			},
			{
				displayName: 'Request Timeout (Ms)',
				name: 'requestTimeout',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: 60000,
				description: 'Per request; a page that times out is retried once',
			},
		],
	},
];
