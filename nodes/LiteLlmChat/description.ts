import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from './defaults';

export const modelProperty: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A model group of the LiteLLM proxy (its model_name in config.yaml)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchLiteLlmModels', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. gpt-4o-mini',
		},
	],
};

const promptProperties: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'promptType',
		type: 'options',
		noDataExpression: true,
		default: 'simple',
		options: [
			{
				name: 'System and User Message',
				value: 'simple',
				description: 'Write a system message and a user message',
			},
			{
				name: 'Messages Array',
				value: 'messages',
				description: 'Pass a whole OpenAI messages array (e.g. from an expression)',
			},
		],
	},
	{
		displayName: 'System Message',
		name: 'systemMessage',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Optional instructions sent before the user message',
		displayOptions: { show: { promptType: ['simple'] } },
	},
	{
		displayName: 'User Message',
		name: 'userMessage',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The prompt',
		displayOptions: { show: { promptType: ['simple'] } },
	},
	{
		displayName: 'Messages',
		name: 'messages',
		type: 'json',
		default: '[\n  {"role": "user", "content": "Hello"}\n]',
		required: true,
		description: "An array of {role, content} messages, as OpenAI's chat API takes it",
		displayOptions: { show: { promptType: ['messages'] } },
	},
];

const optionProperties: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Also Send Tags as metadata.tags',
			name: 'tagsInMetadata',
			type: 'boolean',
			default: false,
			description:
				'Whether to repeat the tags in metadata.tags, for old LiteLLM builds that read tags only there. A proxy with reject_clientside_metadata_tags refuses such calls; the top-level tags work on both.',
		},
		{
			displayName: 'Attribute Spend to Workflow',
			name: 'attribution',
			type: 'boolean',
			default: true,
			description:
				'Whether to tag every call with the workflow ID and name and the execution ID (LiteLLM metadata and tags), so spend logs show which workflow spent what',
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 64 },
			default: DEFAULT_CONCURRENCY,
			description: 'How many items are sent at once. Output order always equals input order.',
		},
		{
			displayName: 'End-User ID',
			name: 'user',
			type: 'string',
			default: '',
			description: 'Sent as `user`; LiteLLM records it as end_user and applies customer budgets',
		},
		{
			displayName: 'Include Raw Response',
			name: 'includeRaw',
			type: 'boolean',
			default: false,
			description: 'Whether to add the whole chat.completion body as `raw`',
		},
		{
			displayName: 'JSON Schema',
			name: 'jsonSchema',
			type: 'json',
			default: '{\n  "type": "object",\n  "properties": {}\n}',
			description: 'The schema used when Response Format is JSON Schema',
		},
		{
			displayName: 'LiteLLM Fallback Models',
			name: 'fallbacks',
			type: 'string',
			default: '',
			placeholder: 'e.g. gpt-4o, claude-3-5-haiku',
			description:
				'Comma-separated model groups LiteLLM tries server-side when the model fails (sent as `fallbacks`)',
		},
		{
			displayName: 'LiteLLM Num Retries',
			name: 'numRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 0,
			description:
				'Server-side retries within the model group (sent as `num_retries`; 0 keeps the proxy default)',
		},
		{
			displayName: 'LiteLLM Timeout (Seconds)',
			name: 'serverTimeout',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'Server-side timeout per upstream call (sent as `timeout`; 0 keeps the proxy default)',
		},
		{
			displayName: 'Max Tokens',
			name: 'maxTokens',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1024,
			description: 'The maximum number of tokens to generate',
		},
		{
			displayName: 'Metadata',
			name: 'metadata',
			type: 'json',
			default: '{}',
			description: 'A JSON object sent as LiteLLM `metadata` (recorded in spend logs)',
		},
		{
			displayName: 'OpenAI Request Fields',
			name: 'requestFields',
			type: 'json',
			default: '{}',
			description:
				'A JSON object of further OpenAI chat fields sent as they are: tool_choice, parallel_tool_calls, response_format (wins over Response Format), frequency_penalty, presence_penalty, logit_bias, logprobs, top_logprobs, max_completion_tokens, reasoning_effort',
		},
		{
			displayName: 'Request Timeout (Ms)',
			name: 'requestTimeout',
			type: 'number',
			typeOptions: { minValue: 100 },
			default: 120000,
			description:
				'How long the node waits for an answer from each route before giving up (or failing over)',
		},
		{
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			default: 'text',
			options: [
				{ name: 'Text', value: 'text' },
				{ name: 'JSON Object', value: 'json_object' },
				{ name: 'JSON Schema', value: 'json_schema' },
			],
		},
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			default: 0,
			description: 'Sampling seed, for reproducible answers where the model supports it',
		},
		{
			displayName: 'Stop Sequences',
			name: 'stop',
			type: 'string',
			default: '',
			description: 'Comma-separated sequences, or a JSON array, where generation stops',
		},
		{
			displayName: 'Stream Answer to Response',
			name: 'streamAnswer',
			type: 'boolean',
			default: true,
			description:
				"Whether to send the answer's text as it arrives when the workflow streams its response (a Webhook in Streaming mode, a Chat Trigger); the item output at the end is the same. Has no effect otherwise.",
		},
		{
			displayName: 'Stream Stall Timeout (Ms)',
			name: 'streamStallTimeout',
			type: 'number',
			typeOptions: { minValue: 100 },
			default: 30000,
			description:
				'When streaming: the call fails if LiteLLM sends nothing for this long between two pieces of the answer',
		},
		{
			displayName: 'Tags',
			name: 'tags',
			type: 'string',
			default: '',
			description: 'Comma-separated tags recorded in LiteLLM spend logs (`tags`)',
		},
		{
			displayName: 'Temperature',
			name: 'temperature',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
			default: 0.7,
		},
		{
			displayName: 'Tools',
			name: 'tools',
			type: 'json',
			default: '[]',
			description:
				'OpenAI tool definitions, passed through unchanged; tool calls come back in `message.tool_calls`',
		},
		{
			displayName: 'Top P',
			name: 'topP',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 1,
		},
	],
};

const failoverProperties: INodeProperties[] = [
	{
		displayName: 'Fail Over to OpenRouter',
		name: 'enableFailover',
		type: 'boolean',
		default: false,
		description:
			'Whether to send the call to OpenRouter when LiteLLM is down (unreachable, timing out, 502/503/504, or no deployment available). Off by default: a silent fallback to paid models surprises people.',
	},
	{
		displayName: 'Failover Options',
		name: 'failoverOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { enableFailover: [true] } },
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
				description: 'Consecutive transport failures of LiteLLM that open the circuit breaker',
			},
			{
				displayName: 'Default OpenRouter Model',
				name: 'defaultModel',
				type: 'string',
				default: '',
				placeholder: 'e.g. openai/gpt-4o-mini',
				description:
					'Used when the model has no entry in the mapping. Empty: the LiteLLM model name is used when it looks like an OpenRouter ID (vendor/model).',
			},
			{
				displayName: 'Max Completion Price (USD / 1M Tokens)',
				name: 'maxPriceCompletion',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 4 },
				default: 0,
				description: 'Price cap sent as provider.max_price.completion; 0 means no cap',
			},
			{
				displayName: 'Max Prompt Price (USD / 1M Tokens)',
				name: 'maxPricePrompt',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 4 },
				default: 0,
				description: 'Price cap sent as provider.max_price.prompt; 0 means no cap',
			},
			{
				displayName: 'Model Mapping',
				name: 'mapping',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description: 'Which OpenRouter model answers for each LiteLLM model',
				options: [
					{
						displayName: 'Mapping',
						name: 'entries',
						values: [
							{
								displayName: 'LiteLLM Model',
								name: 'liteLlmModel',
								type: 'string',
								default: '',
								placeholder: 'e.g. gpt-4o-mini',
							},
							{
								displayName: 'OpenRouter Model',
								name: 'openRouterModel',
								type: 'string',
								default: '',
								placeholder: 'e.g. openai/gpt-4o-mini',
							},
							{
								displayName: 'OpenRouter Fallback Models',
								name: 'fallbackModels',
								type: 'string',
								default: '',
								placeholder: 'e.g. anthropic/claude-3.5-haiku',
								description:
									"Comma-separated; sent as OpenRouter's `models` list after the main model",
							},
						],
					},
				],
			},
			{
				displayName: 'Total Deadline (Seconds)',
				name: 'totalDeadline',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 180,
				description:
					'The whole call, LiteLLM try and failover together, ends after this long; OpenRouter only gets the time that is left (each try is also bounded by Request Timeout)',
			},
		],
	},
];

export const chatProperties: INodeProperties[] = [
	modelProperty,
	...promptProperties,
	optionProperties,
	...failoverProperties,
];
