/**
 * What the Key Manager says must be true: an empty Key Name on Store really falls back to the provider's
 * name (n8n would refuse to run a workflow with an empty required field), an Infisical 500 is Infisical's
 * failure (there is no LLM provider behind the key store), and no hint claims n8n encrypts node parameters.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { loadPackage } from '../harness';
import { km, secretValue, startSims, type Sims } from './setup';

const GROQ_KEY = 'gsk_engineTruthfulWords0000000000000001';

let sims: Sims;
beforeAll(async () => {
	sims = await startSims();
	sims.providers.addKey('groq', GROQ_KEY);
});
afterAll(async () => sims.stop());

describe('words that match what happens', () => {
	it('Store with an empty Key Name runs and stores under the provider default name', async () => {
		const run = await km(sims, {
			resource: 'providerKey',
			operation: 'store',
			provider: 'groq',
			keyName: '',
			apiKeySource: 'parameter',
			apiKey: GROQ_KEY,
			baseUrl: sims.providers.baseUrl('groq'),
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ secretName: 'GROQ_API_KEY', action: 'created' });
		expect(secretValue(sims, 'GROQ_API_KEY')).toBe(GROQ_KEY);
	});

	it('an Infisical 500 is reported as an Infisical failure, not as an LLM provider behind it', async () => {
		sims.infisical.failNext('GET', '/api/v4/secrets', 500, 'Something went wrong');
		const run = await km(
			sims,
			{ resource: 'providerKey', operation: 'listProviderKeys' },
			{ continueOnFail: true },
		);
		expect(run.items[0].json.error).toBe('Infisical failed with a server error (500)');
		expect(String((run.items[0].json.details as { description?: string }).description)).toMatch(
			/HTTP 500/,
		);
	});

	it('no field says n8n encrypts a key typed into the node; the key source hint says it does not', async () => {
		const pkg = await loadPackage();
		const { properties } = (
			pkg.getNodeType('liteLlmKeyManager') as { description: INodeTypeDescription }
		).description;
		const texts = JSON.stringify(properties);
		expect(texts).not.toMatch(/encrypted with the workflow/i);
		const source = properties.find((p: INodeProperties) => p.name === 'apiKeySource');
		const typed = source?.options?.find((o) => 'value' in o && o.value === 'parameter');
		expect(typed && 'description' in typed ? typed.description : '').toMatch(/NOT encrypted/);
	});
});
