/**
 * The model catalogue: OpenRouter model ids, their endpoints (providers) and prices. Prices are strings of USD
 * per token, as OpenRouter sends them ("0.00000015"). A model's top-level `pricing` in `GET /api/v1/models` is
 * its first endpoint's (OpenRouter shows the default endpoint's price). Figures follow OpenRouter's public
 * pages as of 2025-2026 for these models; tests may add models with `sim.addModel`.
 */
export interface Endpoint {
	/** Provider slug for `provider.order|only|ignore`: openai, azure, deepinfra ... */
	slug: string;
	/** Display name, returned as `provider` in the completion body. */
	name: string;
	prompt: string;
	completion: string;
	request?: string;
}

export interface CatalogueModel {
	id: string;
	name: string;
	created: number;
	description: string;
	context_length: number;
	max_completion_tokens: number;
	tokenizer: string;
	endpoints: Endpoint[];
}

const ep = (slug: string, name: string, prompt: string, completion: string): Endpoint => ({
	slug,
	name,
	prompt,
	completion,
});

export const DEFAULT_CATALOGUE: CatalogueModel[] = [
	{
		id: 'openai/gpt-4o-mini',
		name: 'OpenAI: GPT-4o-mini',
		created: 1721260800,
		description:
			"GPT-4o mini is OpenAI's newest model after GPT-4 Omni, supporting both text and image inputs.",
		context_length: 128000,
		max_completion_tokens: 16384,
		tokenizer: 'GPT',
		endpoints: [
			ep('openai', 'OpenAI', '0.00000015', '0.0000006'),
			ep('azure', 'Azure', '0.00000015', '0.0000006'),
		],
	},
	{
		id: 'openai/gpt-4o',
		name: 'OpenAI: GPT-4o',
		created: 1715558400,
		description: "GPT-4o is OpenAI's versatile, high-intelligence flagship model.",
		context_length: 128000,
		max_completion_tokens: 16384,
		tokenizer: 'GPT',
		endpoints: [
			ep('openai', 'OpenAI', '0.0000025', '0.00001'),
			ep('azure', 'Azure', '0.0000025', '0.00001'),
		],
	},
	{
		id: 'anthropic/claude-3.5-haiku',
		name: 'Anthropic: Claude 3.5 Haiku',
		created: 1730678400,
		description:
			'Claude 3.5 Haiku features offers enhanced capabilities in speed, coding accuracy, and tool use.',
		context_length: 200000,
		max_completion_tokens: 8192,
		tokenizer: 'Claude',
		endpoints: [
			ep('anthropic', 'Anthropic', '0.0000008', '0.000004'),
			ep('google-vertex', 'Google', '0.0000008', '0.000004'),
			ep('amazon-bedrock', 'Amazon Bedrock', '0.0000008', '0.000004'),
		],
	},
	{
		id: 'google/gemini-2.0-flash-001',
		name: 'Google: Gemini 2.0 Flash',
		created: 1738769413,
		description:
			'Gemini Flash 2.0 offers a significantly faster time to first token (TTFT) compared to Gemini Flash 1.5.',
		context_length: 1048576,
		max_completion_tokens: 8192,
		tokenizer: 'Gemini',
		endpoints: [
			ep('google-ai-studio', 'Google AI Studio', '0.0000001', '0.0000004'),
			ep('google-vertex', 'Google', '0.00000015', '0.0000006'),
		],
	},
	{
		id: 'mistralai/mistral-small-3.2-24b-instruct',
		name: 'Mistral: Mistral Small 3.2 24B',
		created: 1750443016,
		description:
			'Mistral-Small-3.2-24B-Instruct-2506 is an updated 24B parameter model from Mistral.',
		context_length: 131072,
		max_completion_tokens: 131072,
		tokenizer: 'Mistral',
		endpoints: [
			ep('mistral', 'Mistral', '0.0000001', '0.0000003'),
			ep('deepinfra', 'DeepInfra', '0.00000005', '0.0000001'),
		],
	},
	{
		id: 'meta-llama/llama-3.1-8b-instruct',
		name: 'Meta: Llama 3.1 8B Instruct',
		created: 1721692800,
		description:
			"Meta's latest class of model (Llama 3.1) launched with a variety of sizes & flavors.",
		context_length: 131072,
		max_completion_tokens: 8192,
		tokenizer: 'Llama3',
		endpoints: [
			ep('deepinfra', 'DeepInfra', '0.00000002', '0.00000005'),
			ep('groq', 'Groq', '0.00000005', '0.00000008'),
			ep('together', 'Together', '0.00000018', '0.00000018'),
			ep('fireworks', 'Fireworks', '0.0000002', '0.0000002'),
		],
	},
	{
		id: 'meta-llama/llama-3.3-70b-instruct:free',
		name: 'Meta: Llama 3.3 70B Instruct (free)',
		created: 1733506137,
		description: 'The Meta Llama 3.3 multilingual large language model (LLM), free variant.',
		context_length: 65536,
		max_completion_tokens: 8192,
		tokenizer: 'Llama3',
		endpoints: [ep('venice', 'Venice', '0', '0')],
	},
];

/** USD per token → USD per million tokens, rounded so that 0.00000015 gives 0.15 exactly. */
export function perMillion(pricePerToken: string): number {
	return Math.round(Number(pricePerToken) * 1e6 * 1e9) / 1e9;
}

export function isFree(model: CatalogueModel): boolean {
	return model.endpoints.every((e) => Number(e.prompt) === 0 && Number(e.completion) === 0);
}

/** The model entry of `GET /api/v1/models`. */
export function modelEntry(model: CatalogueModel): Record<string, unknown> {
	const top = model.endpoints[0];
	return {
		id: model.id,
		canonical_slug: model.id,
		hugging_face_id: '',
		name: model.name,
		created: model.created,
		description: model.description,
		context_length: model.context_length,
		architecture: {
			modality: 'text->text',
			input_modalities: ['text'],
			output_modalities: ['text'],
			tokenizer: model.tokenizer,
			instruct_type: null,
		},
		pricing: {
			prompt: top.prompt,
			completion: top.completion,
			request: top.request ?? '0',
			image: '0',
			web_search: '0',
			internal_reasoning: '0',
		},
		top_provider: {
			context_length: model.context_length,
			max_completion_tokens: model.max_completion_tokens,
			is_moderated: top.slug === 'openai',
		},
		per_request_limits: null,
		supported_parameters: [
			'max_tokens',
			'temperature',
			'top_p',
			'stop',
			'tools',
			'tool_choice',
			'response_format',
			'seed',
		],
	};
}
