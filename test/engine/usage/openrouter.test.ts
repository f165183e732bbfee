/** Savings vs OpenRouter and OpenRouter Usage through the engine. */
import { DEFAULT_CATALOGUE } from '../../simulators/openrouter';
import { scanForSecrets } from '../harness';
import {
	expectedTotals,
	type Fixture,
	OPENROUTER_MANAGEMENT_KEY,
	SEED_END,
	startFixture,
	stopFixture,
	usage,
} from './setup';

let f: Fixture;
beforeAll(async () => {
	f = await startFixture(3000);
});
afterAll(async () => {
	await stopFixture(f);
});

const START = SEED_END - 5 * 86_400_000;
const END = SEED_END;
const range = {
	datePreset: 'custom',
	startDate: new Date(START).toISOString(),
	endDate: new Date(END).toISOString(),
};

/** OpenRouter's list price of a model, from the catalogue the simulator serves (its first endpoint). */
function price(id: string): { prompt: number; completion: number } {
	const m = DEFAULT_CATALOGUE.find((c) => c.id === id)!;
	return { prompt: Number(m.endpoints[0].prompt), completion: Number(m.endpoints[0].completion) };
}

describe('Savings vs OpenRouter', () => {
	it('prices the same priced tokens with OpenRouter, per model and in total; unmatched models listed', async () => {
		const run = await usage(f, {
			parameters: {
				operation: 'savings',
				...range,
				modelMapping: {
					entries: [
						{ liteLlmModel: 'claude-3-5-haiku', openRouterModel: 'anthropic/claude-3.5-haiku' },
					],
				},
			},
		});
		expect(run.error).toBeUndefined();
		const s = run.items[0].json as Record<string, any>;
		const matched: Record<string, string> = {
			'gpt-4o-mini': 'openai/gpt-4o-mini',
			'gpt-4o': 'openai/gpt-4o',
			'claude-3-5-haiku': 'anthropic/claude-3.5-haiku',
			'gemini-2.0-flash-001': 'google/gemini-2.0-flash-001',
		};
		let liteLlm = 0;
		let openRouter = 0;
		for (const [group, id] of Object.entries(matched)) {
			const e = expectedTotals(f.seed, START, END, (r) => r.model_group === group);
			const p = price(id);
			const line = s.models.find((m: any) => m.model === group);
			expect(line.openRouterModel).toBe(id);
			expect(line.openRouterCostUsd).toBeCloseTo(
				e.promptTokensPriced * p.prompt + e.completionTokensPriced * p.completion,
				10,
			);
			expect(line.liteLlmCostUsd).toBeCloseTo(e.cost, 10);
			liteLlm += e.cost;
			openRouter += e.promptTokensPriced * p.prompt + e.completionTokensPriced * p.completion;
		}
		expect(s.models.find((m: any) => m.model === 'claude-3-5-haiku').matchedBy).toBe('mapping');
		expect(s.models.find((m: any) => m.model === 'gemini-2.0-flash-001').matchedBy).toBe(
			'provider + name',
		);
		expect(s.unmatchedModels.map((u: any) => u.model).sort()).toEqual([
			'llama-3.1-8b-instant',
			'local-llama',
		]);
		expect(s.liteLlmCostUsd).toBeCloseTo(liteLlm, 10);
		expect(s.openRouterCostUsd).toBeCloseTo(openRouter, 10);
		expect(s.savedUsd).toBeCloseTo(openRouter - liteLlm, 10);
		expect(s.unpricedRequests).toBe(expectedTotals(f.seed, START, END).unpriced);
		expect(s.text).toMatch(
			/^LiteLLM vs OpenRouter .*: \$[\d.,]+ through LiteLLM, \$[\d.,]+ on OpenRouter/,
		);
		expect(s.text).toMatch(/2 model\(s\) without an OpenRouter match left out/);
		expect(scanForSecrets([run.items, run.logs], f.secrets)).toEqual([]);
	});
});

describe('OpenRouter Usage', () => {
	it('reads /key, and notes that credits need a management key', async () => {
		const run = await usage(f, { parameters: { operation: 'openRouterUsage' } });
		expect(run.error).toBeUndefined();
		const u = run.items[0].json;
		expect(u).toMatchObject({
			label: 'usage-test',
			isManagementKey: false,
			usageUsd: 3,
			credits: null,
		});
		expect(u.creditsNote).toMatch(/management key/);
		expect(f.openRouter.server.calls('/api/v1/credits')).toHaveLength(0);
		expect(scanForSecrets([run.items, run.logs], f.secrets)).toEqual([]);
	});

	it('reads credits with a management key', async () => {
		const run = await usage(f, {
			parameters: { operation: 'openRouterUsage' },
			openRouterKey: OPENROUTER_MANAGEMENT_KEY,
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.credits).toEqual({
			totalCreditsUsd: 40,
			totalUsageUsd: 3,
			remainingUsd: 37,
		});
	});

	it('fails clearly when credits are forced with a plain key', async () => {
		const run = await usage(f, {
			parameters: { operation: 'openRouterUsage', includeCredits: 'always' },
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toMatch(
			/Reading OpenRouter's \/credits \(needs a management key\) failed/,
		);
		expect(scanForSecrets([run.error, run.logs], f.secrets)).toEqual([]);
	});
});
