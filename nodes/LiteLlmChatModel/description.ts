import type { INodeProperties } from 'n8n-workflow';

const onLiteLlm = { show: { '/backend': ['liteLlm', 'liteLlmFailover'] } };
const onOpenRouter = { show: { '/backend': ['openRouter'] } };

export const chatModelProperties: INodeProperties[] = [
	{
		displayName: 'Backend',
		name: 'backend',
		type: 'options',
		noDataExpression: true,
		default: 'liteLlm',
		options: [
			{
				name: 'LiteLLM Proxy',
				value: 'liteLlm',
				description: 'Your LiteLLM proxy (credential: LiteLLM API)',
			},
			{
				name: 'LiteLLM Proxy, Fail Over to OpenRouter',
				value: 'liteLlmFailover',
				description:
					'LiteLLM, and OpenRouter only when the proxy itself is down; never on budget, rate limit, auth or bad request (both credentials)',
			},
			{
				name: 'OpenRouter',
				value: 'openRouter',
				description:
					"OpenRouter, e.g. as the AI Agent's fallback model (credential: LiteLLM OpenRouter API)",
			},
		],
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'A model group of the LiteLLM proxy, or an OpenRouter model ID',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchChatModels', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. gpt-4o-mini or openai/gpt-4o-mini',
			},
		],
	},
	{
		displayName: 'Failover Options',
		name: 'failoverOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { backend: ['liteLlmFailover'] } },
		options: [
			{
				displayName: 'Breaker Cooldown (Seconds)',
				name: 'breakerCooldown',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description:
					'How long calls skip LiteLLM once the breaker opens; then one probe call decides',
			},
			{
				displayName: 'Breaker Threshold',
				name: 'breakerThreshold',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 3,
				description: 'Consecutive signs that LiteLLM is down that open the circuit breaker',
			},
			{
				displayName: 'OpenRouter Model',
				name: 'openRouterModel',
				type: 'string',
				default: '',
				placeholder: 'e.g. openai/gpt-4o-mini',
				description:
					'The model OpenRouter answers with. Empty: the LiteLLM model name when it looks like an OpenRouter ID (vendor/model); otherwise calls do not fail over.',
			},
			{
				displayName: 'Total Deadline (Seconds)',
				name: 'totalDeadline',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 180,
				description:
					'Each call, LiteLLM try and failover together, ends after this long; OpenRouter only gets the time that is left',
			},
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
				displayName: 'Additional Body Fields',
				name: 'additionalParams',
				type: 'json',
				default: '{}',
				description:
					'A JSON object merged into every request body last (it wins over the options above)',
			},
			{
				displayName: 'Attribute Spend to Workflow',
				name: 'attribution',
				type: 'boolean',
				default: true,
				description:
					'Whether to send the workflow ID and name and the execution ID as LiteLLM metadata and tags, so the Usage node can attribute agent spend per workflow',
				displayOptions: onLiteLlm,
			},
			{
				displayName: 'Frequency Penalty',
				name: 'frequencyPenalty',
				type: 'number',
				typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 1 },
				default: 0,
				description: 'Positive values penalize tokens by how often they already appeared',
			},
			{
				displayName: 'LiteLLM Fallback Models',
				name: 'fallbacks',
				type: 'string',
				default: '',
				placeholder: 'e.g. gpt-4o, claude-3-5-haiku',
				description:
					'Comma-separated model groups LiteLLM tries server-side when the model fails (sent as `fallbacks`)',
				displayOptions: onLiteLlm,
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'How often the client retries a failed request. 0 by default: LiteLLM already retries and falls back server-side (and OpenRouter walks its models list), so client retries would multiply upstream calls and spend.',
			},
			{
				displayName: 'Maximum Number of Tokens',
				name: 'maxTokens',
				type: 'number',
				typeOptions: { minValue: -1 },
				default: -1,
				description: 'The most tokens to generate; -1 means no limit',
			},
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'json',
				default: '{}',
				description:
					'A JSON object sent as LiteLLM `metadata`; `spend_logs_metadata` in it is merged with the workflow attribution',
				displayOptions: onLiteLlm,
			},
			{
				displayName: 'OpenRouter Fallback Models',
				name: 'openRouterModels',
				type: 'string',
				default: '',
				placeholder: 'e.g. anthropic/claude-3.5-haiku, google/gemini-2.0-flash-001',
				description:
					'Comma-separated model IDs OpenRouter tries in order when the model fails (sent as `models`)',
				displayOptions: onOpenRouter,
			},
			{
				displayName: 'Presence Penalty',
				name: 'presencePenalty',
				type: 'number',
				typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 1 },
				default: 0,
				description:
					'Positive values penalize tokens that already appeared, nudging toward new topics',
			},
			{
				displayName: 'Response Format',
				name: 'responseFormat',
				type: 'options',
				default: 'text',
				options: [
					{ name: 'Text', value: 'text', description: 'Regular text' },
					{
						name: 'JSON',
						value: 'json_object',
						description: 'A JSON object (the prompt must mention JSON)',
					},
				],
			},
			{
				displayName: 'Sampling Temperature',
				name: 'temperature',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 1 },
				default: 0.7,
				description: 'Randomness of the answer: lower is more deterministic',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'e.g. support-bot, eu',
				description:
					'Comma-separated LiteLLM tags added to the attribution tags (tag routing and tag spend)',
				displayOptions: onLiteLlm,
			},
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60000,
				description: 'Milliseconds to wait for an answer',
			},
			{
				displayName: 'Top P',
				name: 'topP',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 1,
				description:
					'Nucleus sampling: only the tokens within this probability mass are considered',
			},
		],
	},
	{
		displayName: 'Provider Routing',
		name: 'providerRouting',
		type: 'collection',
		placeholder: 'Add Routing Rule',
		default: {},
		description: 'OpenRouter `provider` preferences',
		displayOptions: { show: { backend: ['openRouter'] } },
		options: [
			{
				displayName: 'Allow Fallbacks',
				name: 'allowFallbacks',
				type: 'boolean',
				default: true,
				description: 'Whether OpenRouter may use providers outside the order or the allow-list',
			},
			{
				displayName: 'Data Collection',
				name: 'dataCollection',
				type: 'options',
				default: 'allow',
				options: [
					{ name: 'Allow', value: 'allow' },
					{ name: 'Deny', value: 'deny' },
				],
				description: 'Whether providers that store or train on prompts may be used',
			},
			{
				displayName: 'Ignore Providers',
				name: 'ignore',
				type: 'string',
				default: '',
				description: 'Comma-separated provider slugs never to use',
			},
			{
				displayName: 'Only Providers',
				name: 'only',
				type: 'string',
				default: '',
				description: 'Comma-separated provider slugs to allow, and no others',
			},
			{
				displayName: 'Provider Order',
				name: 'order',
				type: 'string',
				default: '',
				placeholder: 'e.g. openai, azure',
				description: 'Comma-separated provider slugs to try in this order',
			},
			{
				displayName: 'Require Parameters',
				name: 'requireParameters',
				type: 'boolean',
				default: false,
				description: 'Whether to use only providers that support every parameter of the request',
			},
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'options',
				default: 'price',
				options: [
					{ name: 'Latency', value: 'latency' },
					{ name: 'Price', value: 'price' },
					{ name: 'Throughput', value: 'throughput' },
				],
				description: "Sort providers explicitly (turns off OpenRouter's load balancing)",
			},
			{
				displayName: 'Zero Data Retention',
				name: 'zdr',
				type: 'boolean',
				default: false,
				description: 'Whether to use only zero-data-retention endpoints',
			},
		],
	},
];
