import { bearerHeaders, classifyCommon, countListed } from './classify';
import type { ProviderSpec } from './types';

/**
 * Any OpenAI-compatible endpoint (vLLM, LM Studio, a hosted Anyscale deployment, whose shared endpoints
 * closed on 1 Aug 2024): Bearer, `GET /models`, OpenAI's error envelope. The base URL is stored with the key
 * (the Store operation's Base URL), never taken from item data.
 */
export const openaiCompatible: ProviderSpec = {
	id: 'openaiCompatible',
	displayName: 'OpenAI-Compatible Endpoint',
	envName: 'OPENAI_COMPATIBLE_API_KEY',
	liteLlmProvider: 'openai',
	customEndpoint: true,
	needsKey: true,
	keyFormatHint: 'Any key without spaces',
	authHeaders: bearerHeaders,
	zeroTokenCheck: { method: 'GET', path: '/models' },
	countModels: countListed,
	classify: (answer) => classifyCommon(answer),
};
