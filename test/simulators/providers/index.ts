export { ProviderSimulator, BUILT_IN_PROVIDERS, type ProviderName } from './simulator';
export {
	registerOpenRouterKeysApi,
	OpenRouterKeysApi,
	type OpenRouterKeyRecord,
	type OpenRouterKeysOptions,
} from './openrouter-keys';
export {
	openAiCompatible,
	openAiError,
	modelList,
	chatCompletion,
	chatBodyProblem,
} from './openai-compatible';
export type {
	KeyState,
	ProviderDefinition,
	ProviderRoute,
	ProviderContext,
	RouteKind,
} from './types';
export { openai } from './openai';
export { anthropic, overloadedBody } from './anthropic';
export { gemini } from './gemini';
export { cohere } from './cohere';
export { mistral } from './mistral';
export { perplexity, PERPLEXITY_401_HTML } from './perplexity';
export { groq } from './groq';
export { together } from './together';
export { ollama } from './ollama';
