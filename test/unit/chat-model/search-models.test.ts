/**
 * The Model resource locator lists the chosen backend's models: LiteLLM's model groups for the key
 * (`GET /v1/models`) or OpenRouter's catalogue (`GET /api/v1/models`), against the simulators. n8n's
 * `httpRequestWithAuthentication` is stood in by a fetch that adds the Bearer key, as the credentials do.
 */
import { mock } from 'jest-mock-extended';
import type { IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { searchChatModels } from '../../../nodes/LiteLlmChatModel/search';
import { readFixture } from '../../simulators/fixtures';
import { LiteLlmSimulator } from '../../simulators/litellm';
import { OpenRouterSimulator } from '../../simulators/openrouter';
import { TEST_NODE } from './supply-context';

const VIRTUAL_KEY = 'sk-search-virtual-0001';
const OPENROUTER_KEY = 'sk-or-v1-' + 'c'.repeat(64);

const liteLlm = new LiteLlmSimulator({
	configYaml: readFixture('litellm-config.yaml'),
	env: { LITELLM_MASTER_KEY: 'sk-master-search', OPENAI_API_KEY: 'sk-upstream' },
});
const openRouter = new OpenRouterSimulator();

beforeAll(async () => {
	await liteLlm.start();
	await openRouter.start();
	liteLlm.addVirtualKey({
		key: VIRTUAL_KEY,
		models: ['gpt-4o-mini', 'claude-3-5-haiku', 'gpt-4o'],
	});
	openRouter.addKey({ key: OPENROUTER_KEY, credits: 1 });
});

afterAll(async () => {
	await liteLlm.stop();
	await openRouter.stop();
});

function loadOptionsContext(backend: string): ILoadOptionsFunctions {
	const ctx = mock<ILoadOptionsFunctions>();
	const credentials: Record<string, Record<string, string>> = {
		liteLlmApi: { baseUrl: liteLlm.url, apiKey: VIRTUAL_KEY },
		liteLlmOpenRouterApi: { baseUrl: openRouter.baseUrl, apiKey: OPENROUTER_KEY },
	};
	ctx.getCurrentNodeParameter.mockImplementation(((name: string) =>
		name === 'backend' ? backend : undefined) as never);
	ctx.getNode.mockReturnValue(TEST_NODE);
	ctx.getCredentials.mockImplementation((async (type: string) => credentials[type]) as never);
	const httpRequestWithAuthentication = async (type: string, options: IHttpRequestOptions) => {
		const response = await fetch(options.url, {
			method: options.method,
			headers: { authorization: `Bearer ${credentials[type].apiKey}` },
		});
		return {
			statusCode: response.status,
			headers: Object.fromEntries(response.headers),
			body: await response.text(),
		};
	};
	Object.assign(ctx, { helpers: { httpRequestWithAuthentication } });
	return ctx;
}

it('lists the LiteLLM model groups of the key, filtered by the search text', async () => {
	const all = await searchChatModels.call(loadOptionsContext('liteLlm'));
	expect(all.results.map((r) => r.value)).toEqual(['claude-3-5-haiku', 'gpt-4o', 'gpt-4o-mini']);
	const filtered = await searchChatModels.call(loadOptionsContext('liteLlm'), 'MINI');
	expect(filtered.results).toEqual([{ name: 'gpt-4o-mini', value: 'gpt-4o-mini' }]);
});

it('lists OpenRouter models with their display names when the backend is OpenRouter', async () => {
	const { results } = await searchChatModels.call(loadOptionsContext('openRouter'), 'gpt-4o-mini');
	expect(results.map((r) => r.value)).toEqual(['openai/gpt-4o-mini']);
	expect(results[0].name).toMatch(/\(openai\/gpt-4o-mini\)$/);
	const last = openRouter.ledger[openRouter.ledger.length - 1];
	expect(last.path).toBe('/api/v1/models');
});
