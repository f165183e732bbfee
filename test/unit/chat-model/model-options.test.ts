/**
 * Option mapping of the LiteLLM Chat Model: what `supplyModel` receives for each backend, and the
 * NodeOperationErrors that name the wrong field.
 */
import { NodeOperationError } from 'n8n-workflow';

import {
	buildModelOptions,
	DEFAULT_MAX_RETRIES,
	DEFAULT_TIMEOUT_MS,
	liteLlmEndpoint,
	type ModelSettings,
	openRouterEndpoint,
} from '../../../nodes/LiteLlmChatModel/model-options';
import { TEST_NODE } from './supply-context';

const attribution = {
	workflowId: 'wf-42',
	workflowName: 'Support bot',
	executionId: '981',
	nodeName: 'Main model',
};

function liteLlm(options: ModelSettings['options'] = {}): ModelSettings {
	return {
		backend: 'liteLlm',
		endpoint: liteLlmEndpoint(TEST_NODE, {
			baseUrl: 'http://litellm:4000',
			apiKey: 'sk-virtual-0001',
		}),
		model: 'gpt-4o-mini',
		options,
		attribution,
	};
}

function openRouter(
	options: ModelSettings['options'] = {},
	providerRouting: ModelSettings['providerRouting'] = {},
): ModelSettings {
	return {
		backend: 'openRouter',
		endpoint: openRouterEndpoint(TEST_NODE, {
			apiKey: 'sk-or-v1-abc',
			baseUrl: '',
			appTitle: 'n8n',
			referer: 'https://n8n.example',
		}),
		model: 'openai/gpt-4o-mini',
		options,
		providerRouting,
		attribution,
	};
}

function thrown(fn: () => unknown): NodeOperationError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected a NodeOperationError');
}

describe('endpoints', () => {
	it('appends /v1 to the LiteLLM root, tolerating a /v1 or trailing slash in the credential', () => {
		for (const baseUrl of [
			'http://litellm:4000',
			'http://litellm:4000/',
			'http://litellm:4000/v1',
			'http://litellm:4000/v1/',
		]) {
			expect(liteLlmEndpoint(TEST_NODE, { baseUrl, apiKey: 'k' }).baseUrl).toBe(
				'http://litellm:4000/v1',
			);
		}
	});

	it('refuses a LiteLLM base URL without scheme, naming the credential field', () => {
		const error = thrown(() =>
			liteLlmEndpoint(TEST_NODE, { baseUrl: 'litellm:4000', apiKey: 'k' }),
		);
		expect(error.message).toMatch(/Base URL of the LiteLLM API credential must start with http/);
	});

	it("uses OpenRouter's default base URL and sends the attribution headers of the credential", () => {
		const endpoint = openRouterEndpoint(TEST_NODE, {
			apiKey: 'sk-or-v1-abc',
			baseUrl: '',
			appTitle: 'n8n',
			referer: 'https://n8n.example',
		});
		expect(endpoint).toEqual({
			baseUrl: 'https://openrouter.ai/api/v1',
			apiKey: 'sk-or-v1-abc',
			defaultHeaders: { 'X-OpenRouter-Title': 'n8n', 'HTTP-Referer': 'https://n8n.example' },
		});
		expect(
			openRouterEndpoint(TEST_NODE, { apiKey: 'k', baseUrl: 'http://127.0.0.1:9/api/v1/' })
				.defaultHeaders,
		).toBeUndefined();
	});
});

describe('LiteLLM options', () => {
	it('maps the sampling options and defaults timeout and retries', () => {
		const options = buildModelOptions(
			TEST_NODE,
			liteLlm({
				temperature: 0.2,
				topP: 0.9,
				frequencyPenalty: 0.5,
				presencePenalty: -0.5,
				maxTokens: 256,
			}),
		);
		expect(options).toMatchObject({
			type: 'openai',
			baseUrl: 'http://litellm:4000/v1',
			apiKey: 'sk-virtual-0001',
			model: 'gpt-4o-mini',
			temperature: 0.2,
			topP: 0.9,
			frequencyPenalty: 0.5,
			presencePenalty: -0.5,
			maxTokens: 256,
			timeout: DEFAULT_TIMEOUT_MS,
			maxRetries: DEFAULT_MAX_RETRIES,
		});
		expect(options).not.toHaveProperty('defaultHeaders');
	});

	it('treats max tokens -1 as no limit and keeps explicit timeout and retries (0 included)', () => {
		const options = buildModelOptions(
			TEST_NODE,
			liteLlm({ maxTokens: -1, timeout: 5000, maxRetries: 3 }),
		);
		expect(options).not.toHaveProperty('maxTokens');
		expect(options.timeout).toBe(5000);
		expect(options.maxRetries).toBe(3);
		expect(options).not.toHaveProperty('temperature');
	});

	it('attributes spend: tags and spend_logs_metadata with workflow and execution ids, merged with user values', () => {
		const { additionalParams } = buildModelOptions(
			TEST_NODE,
			liteLlm({
				tags: 'support, eu',
				metadata: '{"team":"cs","spend_logs_metadata":{"ticket":"T-1"}}',
			}),
		);
		expect(additionalParams?.tags).toEqual([
			'n8n',
			'n8n-workflow:wf-42',
			'n8n-execution:981',
			'support',
			'eu',
		]);
		// No metadata.tags: a proxy with reject_clientside_metadata_tags refuses calls carrying them.
		expect(additionalParams?.metadata).toEqual({
			team: 'cs',
			spend_logs_metadata: {
				n8n_workflow_id: 'wf-42',
				n8n_workflow_name: 'Support bot',
				n8n_execution_id: '981',
				n8n_node: 'Main model',
				ticket: 'T-1',
			},
		});
	});

	it('sends only the user tags and metadata when attribution is off', () => {
		const { additionalParams } = buildModelOptions(
			TEST_NODE,
			liteLlm({ attribution: false, tags: 'a', metadata: '{"x":1}' }),
		);
		expect(additionalParams).toEqual({ tags: ['a'], metadata: { x: 1 } });
		expect(buildModelOptions(TEST_NODE, liteLlm({ attribution: false })).additionalParams).toEqual(
			{},
		);
	});

	it('sends server-side fallbacks and the JSON response format', () => {
		const { additionalParams } = buildModelOptions(
			TEST_NODE,
			liteLlm({ fallbacks: 'claude-3-5-haiku, gemini-2.0-flash', responseFormat: 'json_object' }),
		);
		expect(additionalParams?.fallbacks).toEqual(['claude-3-5-haiku', 'gemini-2.0-flash']);
		expect(additionalParams?.response_format).toEqual({ type: 'json_object' });
		expect(
			buildModelOptions(TEST_NODE, liteLlm({ responseFormat: 'text' })).additionalParams,
		).not.toHaveProperty('response_format');
	});

	it('lets Additional Body Fields win over the computed fields', () => {
		const { additionalParams } = buildModelOptions(
			TEST_NODE,
			liteLlm({ fallbacks: 'a', additionalParams: '{"fallbacks":["b"],"num_retries":1}' }),
		);
		expect(additionalParams?.fallbacks).toEqual(['b']);
		expect(additionalParams?.num_retries).toBe(1);
	});

	it('names the field of malformed JSON and of non-numbers', () => {
		expect(
			thrown(() => buildModelOptions(TEST_NODE, liteLlm({ additionalParams: '{"a":' }))).message,
		).toMatch(/^Additional Body Fields is not valid JSON/);
		expect(
			thrown(() => buildModelOptions(TEST_NODE, liteLlm({ additionalParams: '[1]' }))).message,
		).toBe('Additional Body Fields must be a JSON object');
		expect(
			thrown(() => buildModelOptions(TEST_NODE, liteLlm({ metadata: 'nope' }))).message,
		).toMatch(/^Metadata is not valid JSON/);
		expect(
			thrown(() => buildModelOptions(TEST_NODE, liteLlm({ fallbacks: '["a",' }))).message,
		).toMatch(/^LiteLLM Fallback Models is not valid JSON/);
		expect(
			thrown(() =>
				buildModelOptions(TEST_NODE, liteLlm({ temperature: 'hot' as unknown as number })),
			).message,
		).toBe('Sampling Temperature must be a number (got "hot")');
	});
});

describe('OpenRouter options', () => {
	it('sends the models fallback list and provider routing, and no LiteLLM attribution', () => {
		const options = buildModelOptions(
			TEST_NODE,
			openRouter(
				{
					openRouterModels: 'anthropic/claude-3.5-haiku, google/gemini-2.0-flash-001',
					tags: 'ignored',
				},
				{
					order: 'openai, azure',
					allowFallbacks: false,
					sort: 'latency',
					dataCollection: 'deny',
					zdr: true,
					ignore: 'deepinfra',
				},
			),
		);
		expect(options.baseUrl).toBe('https://openrouter.ai/api/v1');
		expect(options.defaultHeaders).toEqual({
			'X-OpenRouter-Title': 'n8n',
			'HTTP-Referer': 'https://n8n.example',
		});
		expect(options.additionalParams).toEqual({
			models: ['anthropic/claude-3.5-haiku', 'google/gemini-2.0-flash-001'],
			provider: {
				order: ['openai', 'azure'],
				ignore: ['deepinfra'],
				allow_fallbacks: false,
				data_collection: 'deny',
				zdr: true,
				sort: 'latency',
			},
		});
	});

	it('sends no provider object when no routing rule is set', () => {
		expect(buildModelOptions(TEST_NODE, openRouter()).additionalParams).toEqual({});
	});
});
