/**
 * LiteLLM Chat in a streaming run (n8n streams the response, as for a Webhook in streaming mode): the real
 * engine with a `sendChunk` hook that records every chunk, against the LiteLLM and OpenRouter simulators.
 */
import type { IDataObject, StructuredChunk } from 'n8n-workflow';

import { scanForSecrets } from '../harness';
import { readFixture } from '../../simulators/fixtures';
import { LiteLlmSimulator } from '../../simulators/litellm';
import type { OpenRouterSimulator } from '../../simulators/openrouter';
import {
	ALL_SECRETS,
	chat,
	chatCalls,
	closedPort,
	failoverParameters,
	MASTER_KEY,
	model,
	openRouterChats,
	withChatSimulators,
} from './setup';

const PROMPT = 'Tell me a story about a lighthouse keeper and a storm at sea';

/** The fixture config with LiteLLM's cost-in-stream setting on (as deploy/config.yaml has it). */
const withStreamCost = () =>
	readFixture('litellm-config.yaml').replace(
		'litellm_settings:\n',
		'litellm_settings:\n  include_cost_in_streaming_usage: true\n',
	);

describe('LiteLLM Chat: streaming into n8n’s response', () => {
	let litellm: LiteLlmSimulator;
	let openrouter: OpenRouterSimulator;

	withChatSimulators((started, startedOpenRouter) => {
		litellm = started;
		openrouter = startedOpenRouter;
	});

	const orChats = () => openRouterChats(openrouter);

	async function streamed(
		parameters: IDataObject,
		liteLlmUrl = litellm.url,
	): Promise<{ chunks: StructuredChunk[]; run: Awaited<ReturnType<typeof chat>> }> {
		const chunks: StructuredChunk[] = [];
		const run = await chat({
			liteLlmUrl,
			openRouterUrl: openrouter.baseUrl,
			parameters: { model: model('gpt-4o-mini'), userMessage: PROMPT, ...parameters },
			onChunk: (c) => chunks.push(c),
		});
		return { chunks, run };
	}

	const texts = (chunks: StructuredChunk[]) =>
		chunks.filter((c) => c.type === 'item').map((c) => c.content ?? '');

	it('sends begin, the text piece by piece, end; outputs the same item as a buffered call', async () => {
		const { chunks, run } = await streamed({});
		expect(run.error).toBeUndefined();
		const json = run.items[0].json;
		expect(chunks[0]).toMatchObject({ type: 'begin', metadata: { itemIndex: 0 } });
		expect(chunks[chunks.length - 1]).toMatchObject({ type: 'end', metadata: { itemIndex: 0 } });
		expect(texts(chunks).length).toBeGreaterThan(1);
		expect(texts(chunks).join('')).toBe(json.text);
		expect(json.text).toContain('lighthouse');
		expect(json).toMatchObject({ route: 'litellm', routeReason: 'primary', streamed: true });
		expect((json.usage as IDataObject).totalTokens).toBeGreaterThan(0);
		expect(json.requestId).toBe(litellm.spendLog[litellm.spendLog.length - 1].request_id);
		const sent = chatCalls(litellm).pop()!.body as IDataObject;
		expect(sent).toMatchObject({ stream: true, stream_options: { include_usage: true } });

		const buffered = await chat({
			liteLlmUrl: litellm.url,
			parameters: { model: model('gpt-4o-mini'), userMessage: PROMPT },
		});
		const plain = buffered.items[0].json;
		expect(chatCalls(litellm).pop()!.body).not.toHaveProperty('stream');
		expect(plain).not.toHaveProperty('streamed');
		expect(plain.text).toBe(json.text);
		expect(plain.usage).toEqual(json.usage);
	});

	it('without the proxy’s cost-in-stream setting the cost is unknown; with it, it is the usage chunk’s', async () => {
		const { run } = await streamed({});
		expect(run.items[0].json).toMatchObject({ costUsd: null, costSource: 'none' });

		const costly = new LiteLlmSimulator({
			configYaml: withStreamCost(),
			env: { LITELLM_MASTER_KEY: MASTER_KEY, OPENAI_API_KEY: 'sk-upstream-openai-000000000001' },
		});
		await costly.start();
		try {
			const { run: priced } = await streamed({}, costly.url);
			const json = priced.items[0].json;
			expect(json.costSource).toBe('stream_usage');
			expect(json.costUsd).toBeGreaterThan(0);
			expect(json.costUsd).toBeCloseTo(costly.spendLog[costly.spendLog.length - 1].spend, 12);
		} finally {
			await costly.stop();
		}
	});

	it('Stream Answer to Response off: a buffered call, no chunks', async () => {
		const { chunks, run } = await streamed({ options: { streamAnswer: false } });
		expect(chunks).toEqual([]);
		expect(run.items[0].json).not.toHaveProperty('streamed');
		expect(chatCalls(litellm).pop()!.body).not.toHaveProperty('stream');
	});

	it('LiteLLM down before the first text: OpenRouter answers, its text sent in one piece', async () => {
		const port = await closedPort();
		const { chunks, run } = await streamed(
			{ ...failoverParameters(), options: { requestTimeout: 2000 } },
			`http://127.0.0.1:${port}`,
		);
		expect(run.error).toBeUndefined();
		const json = run.items[0].json;
		expect(json).toMatchObject({
			route: 'openrouter',
			streamed: true,
			costSource: 'openrouter_usage',
		});
		expect(chunks.map((c) => c.type)).toEqual(['begin', 'item', 'end']);
		expect(texts(chunks).join('')).toBe(json.text);
		expect(json.costUsd).toBeGreaterThan(0);
	});

	it('a failure after the first text fails the item and never fails over', async () => {
		litellm.failDeployment('gpt-4o-mini', { status: 503, afterChunks: 2, times: 1 });
		const before = orChats().length;
		const { chunks, run } = await streamed({ ...failoverParameters() });
		expect(run.error).toBeDefined();
		expect(texts(chunks).length).toBe(2);
		expect(chunks.map((c) => c.type)).not.toContain('end');
		expect(orChats().length).toBe(before);
		expect(scanForSecrets(run.error, ALL_SECRETS)).toEqual([]);
	});

	it('a stall between chunks longer than the stall timeout fails the call', async () => {
		const slow = new LiteLlmSimulator({
			configYaml: readFixture('litellm-config.yaml'),
			env: { LITELLM_MASTER_KEY: MASTER_KEY, OPENAI_API_KEY: 'sk-upstream-openai-000000000001' },
			streamChunkDelayMs: 1500,
		});
		await slow.start();
		try {
			const before = orChats().length;
			const { chunks, run } = await streamed(
				{ ...failoverParameters(), options: { streamStallTimeout: 300 } },
				slow.url,
			);
			expect(run.error).toBeDefined();
			expect(`${run.error?.message} ${run.error?.description}`).toMatch(/stalled/);
			expect(texts(chunks).length).toBe(1);
			expect(orChats().length).toBe(before);
		} finally {
			await slow.stop();
		}
	});
});
