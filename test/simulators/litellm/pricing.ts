/**
 * A trimmed copy of LiteLLM's model_prices_and_context_window.json (MIT, BerriAI/litellm), enough for the
 * fixture's models. LiteLLM looks a price up by `litellm_params.model` (with and without the provider prefix) or
 * `model_info.base_model`; deployment-level `input_cost_per_token`/`output_cost_per_token` override it; an
 * unknown model costs $0, as LiteLLM logs it.
 */
export interface ModelPrice {
	input_cost_per_token: number;
	output_cost_per_token: number;
	max_tokens: number;
	max_input_tokens: number;
	max_output_tokens: number;
	litellm_provider: string;
	mode: 'chat';
	supports_function_calling: boolean;
	supports_parallel_function_calling: boolean;
	supports_vision: boolean;
}

const chat = (
	provider: string,
	input: number,
	output: number,
	maxInput: number,
	maxOutput: number,
	vision = true,
): ModelPrice => ({
	input_cost_per_token: input,
	output_cost_per_token: output,
	max_tokens: maxOutput,
	max_input_tokens: maxInput,
	max_output_tokens: maxOutput,
	litellm_provider: provider,
	mode: 'chat',
	supports_function_calling: true,
	supports_parallel_function_calling: true,
	supports_vision: vision,
});

export const PRICE_MAP: Record<string, ModelPrice> = {
	'gpt-4o-mini': chat('openai', 1.5e-7, 6e-7, 128000, 16384),
	'gpt-4o': chat('openai', 2.5e-6, 1e-5, 128000, 16384),
	'gpt-4.1-mini': chat('openai', 4e-7, 1.6e-6, 1047576, 32768),
	'claude-3-5-haiku-20241022': chat('anthropic', 8e-7, 4e-6, 200000, 8192),
	'claude-3-5-sonnet-20241022': chat('anthropic', 3e-6, 1.5e-5, 200000, 8192),
	'gemini/gemini-2.0-flash': chat('gemini', 1e-7, 4e-7, 1048576, 8192),
	'mistral/mistral-small-latest': chat('mistral', 1e-7, 3e-7, 32000, 8191, false),
	'groq/llama-3.1-8b-instant': chat('groq', 5e-8, 8e-8, 128000, 8192, false),
};

export function lookupPrice(model: string, baseModel?: string): ModelPrice | undefined {
	const candidates = [
		baseModel,
		model,
		model.includes('/') ? model.slice(model.indexOf('/') + 1) : undefined,
	];
	for (const name of candidates) {
		if (name && PRICE_MAP[name]) return PRICE_MAP[name];
	}
	return undefined;
}

/** The price-map key LiteLLM reports as `model_info.key`. */
export function priceKey(model: string, baseModel?: string): string {
	for (const name of [
		baseModel,
		model,
		model.includes('/') ? model.slice(model.indexOf('/') + 1) : undefined,
	]) {
		if (name && PRICE_MAP[name]) return name;
	}
	return model.includes('/') ? model.slice(model.indexOf('/') + 1) : model;
}

/** `litellm.completion_cost` for the terms the simulator models: prompt then completion, added in that order. */
export function completionCost(
	promptTokens: number,
	completionTokens: number,
	inputCostPerToken: number,
	outputCostPerToken: number,
): number {
	return promptTokens * inputCostPerToken + completionTokens * outputCostPerToken;
}
