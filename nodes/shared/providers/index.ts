import { anthropic } from './anthropic';
import { cohere } from './cohere';
import { gemini } from './gemini';
import { groq } from './groq';
import { mistral } from './mistral';
import { ollama } from './ollama';
import { openai } from './openai';
import { openaiCompatible } from './openai-compatible';
import { openrouter } from './openrouter';
import { perplexity } from './perplexity';
import { together } from './together';
import type { ProviderId, ProviderSpec } from './types';

/** Every provider the Key Manager knows; adding one is one file and one line here. */
export const PROVIDERS: Readonly<Record<ProviderId, ProviderSpec>> = {
	openai,
	anthropic,
	gemini,
	cohere,
	mistral,
	perplexity,
	groq,
	together,
	ollama,
	openrouter,
	openaiCompatible,
};

export function isProviderId(value: unknown): value is ProviderId {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PROVIDERS, value);
}

/** The provider whose env name starts the secret name (OPENAI_API_KEY_2 → openai), if any. */
export function providerForSecretName(name: string): ProviderSpec | undefined {
	return Object.values(PROVIDERS)
		.filter((p) => p.id !== 'openaiCompatible')
		.sort((a, b) => b.envName.length - a.envName.length)
		.find((p) => name === p.envName || name.startsWith(`${p.envName}_`));
}

export type { KeyStatus, ProviderAnswer, ProviderCall, ProviderId, ProviderSpec } from './types';
