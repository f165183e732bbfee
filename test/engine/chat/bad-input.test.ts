import type { LiteLlmSimulator } from '../../simulators/litellm';
import { chat, chatCalls, model, startLiteLlm } from './setup';

describe('LiteLLM Chat: bad input is named, before any request', () => {
	let sim: LiteLlmSimulator;

	beforeAll(async () => {
		sim = await startLiteLlm();
	});
	afterAll(async () => sim.stop());

	it.each([
		['a blank prompt', { userMessage: '   ' }, /User Message is empty/],
		[
			'invalid JSON in messages',
			{ promptType: 'messages', messages: '[{"role":"user",' },
			/Messages is not valid JSON/,
		],
		[
			'messages that are not an array',
			{ promptType: 'messages', messages: '{"role":"user"}' },
			/Messages must be a non-empty JSON array/,
		],
		[
			'a message without a role',
			{ promptType: 'messages', messages: '[{"content":"hi"}]' },
			/Messages\[0\] needs a role/,
		],
		['invalid JSON in tools', { options: { tools: '[{"type":' } }, /Tools is not valid JSON/],
		[
			'tools that are not an array',
			{ options: { tools: '{"type":"function"}' } },
			/Tools must be a JSON array/,
		],
		[
			'invalid JSON schema',
			{ options: { responseFormat: 'json_schema', jsonSchema: '{nope' } },
			/JSON Schema is not valid JSON/,
		],
		['invalid metadata', { options: { metadata: '[1,2]' } }, /Metadata must be a JSON object/],
		[
			'a non-numeric option',
			{ options: { temperature: '={{ "warm" }}' } },
			/Temperature must be a number/,
		],
		[
			'a model expression that comes out empty',
			{ model: model('={{ $json.missing ?? "" }}') },
			/Model is empty/,
		],
	])('%s', async (_, parameters, message) => {
		const before = chatCalls(sim).length;
		const run = await chat({
			liteLlmUrl: sim.url,
			parameters: { model: model('gpt-4o-mini'), ...parameters },
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(message);
		expect(chatCalls(sim).length).toBe(before);
	});

	it('an unknown model is refused after reading the model list, without a chat call', async () => {
		const before = chatCalls(sim).length;
		const run = await chat({ liteLlmUrl: sim.url, parameters: { model: model('gpt-9-ultra') } });
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(/"gpt-9-ultra" is not offered by this LiteLLM proxy/);
		expect(chatCalls(sim).length).toBe(before);
		expect(sim.ledger.some((e) => e.path === '/v1/models')).toBe(true);
	});

	it('a base URL without scheme is refused naming the credential field, with no request at all', async () => {
		const before = sim.ledger.length;
		const run = await chat({
			liteLlmUrl: sim.url.replace('http://', ''),
			parameters: { model: model('gpt-4o-mini') },
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(
			/Base URL of the LiteLLM API credential must start with http/,
		);
		expect(sim.ledger.length).toBe(before);
	});

	it('one bad item among good ones, with continueOnFail: only that item fails', async () => {
		const before = chatCalls(sim).length;
		const run = await chat({
			liteLlmUrl: sim.url,
			parameters: { model: model('gpt-4o-mini'), userMessage: '={{ $json.q }}' },
			items: [{ json: { q: 'first' } }, { json: { q: '' } }, { json: { q: 'third' } }],
			continueOnFail: true,
		});
		expect(run.items.map((i) => Boolean(i.json.error))).toEqual([false, true, false]);
		expect(run.items[1].json.error).toMatch(/User Message is empty/);
		expect(chatCalls(sim).length - before).toBe(2);
	});
});
