/**
 * Shared set-up of the Usage node's engine tests: the LiteLLM simulator with spend routes over seeded traffic,
 * the OpenRouter simulator with /credits, and `usage()` running the built node in n8n-core's WorkflowExecute.
 * Expected numbers are computed here straight from the seed rows, never with the node's aggregation code.
 */
import path from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { type NodeRun, REPO_ROOT, runNode } from '../harness';
import { readFixture } from '../../simulators/fixtures';
import { LiteLlmSimulator } from '../../simulators/litellm';
import {
	registerSpendRoutes,
	seedSpendLogs,
	type SeededSpendLogs,
	type TeamRow,
} from '../../simulators/litellm/spend';
import { OpenRouterSimulator } from '../../simulators/openrouter';
import { registerCredits } from '../../simulators/openrouter/credits';

export const MASTER_KEY = 'sk-master-usage-test-0001';
export const OPENROUTER_KEY = `sk-or-v1-${'7a'.repeat(32)}`;
export const OPENROUTER_MANAGEMENT_KEY = `sk-or-v1-${'9c'.repeat(32)}`;

/** The seed's newest row: a fixed time, so custom ranges are reproducible. */
export const SEED_END = Date.UTC(2026, 0, 20, 12, 0, 0);

export interface Fixture {
	litellm: LiteLlmSimulator;
	openRouter: OpenRouterSimulator;
	seed: SeededSpendLogs;
	teams: TeamRow[];
	secrets: string[];
}

export async function startFixture(rows = 4000): Promise<Fixture> {
	const litellm = new LiteLlmSimulator({
		configYaml: readFixture('litellm-config.yaml'),
		env: { LITELLM_MASTER_KEY: MASTER_KEY },
	});
	const seed = seedSpendLogs({ rows, days: 10, seed: 42, endMs: SEED_END });
	const teams: TeamRow[] = [
		{
			team_id: 'team-1',
			team_alias: 'Research',
			spend: 30,
			max_budget: 100,
			budget_duration: '30d',
			budget_reset_at: '2099-01-31T00:00:00.000Z',
			blocked: false,
			models: [],
		},
		{
			team_id: 'team-2',
			team_alias: 'Support',
			spend: 5,
			max_budget: null,
			budget_duration: null,
			budget_reset_at: null,
			blocked: false,
			models: [],
		},
	];
	registerSpendRoutes(litellm.server, {
		masterKey: MASTER_KEY,
		logs: seed,
		keys: litellm.ctx.state.keys,
		teams,
	});
	await litellm.start();
	const openRouter = new OpenRouterSimulator();
	registerCredits(openRouter.server, openRouter.ctx);
	await openRouter.start();
	openRouter.addKey({ key: OPENROUTER_KEY, label: 'usage-test', credits: 25, usage: 3 });
	openRouter.addKey({ key: OPENROUTER_MANAGEMENT_KEY, credits: 40, isManagementKey: true });
	return {
		litellm,
		openRouter,
		seed,
		teams,
		secrets: [
			MASTER_KEY,
			OPENROUTER_KEY,
			OPENROUTER_MANAGEMENT_KEY,
			...seed.keys.map((k) => k.key),
		],
	};
}

export async function stopFixture(f: Fixture): Promise<void> {
	await f.litellm.stop();
	await f.openRouter.stop();
}

export interface UsageRun {
	parameters: INodeParameters;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	staticData?: IDataObject;
	openRouterKey?: string;
}

export async function usage(f: Fixture, run: UsageRun): Promise<NodeRun> {
	return await runNode({
		nodeType: 'liteLlmUsage',
		parameters: run.parameters,
		credentials: {
			liteLlmApi: { baseUrl: f.litellm.url, apiKey: MASTER_KEY },
			liteLlmOpenRouterApi: {
				apiKey: run.openRouterKey ?? OPENROUTER_KEY,
				baseUrl: f.openRouter.baseUrl,
				appTitle: 'usage test',
				referer: '',
			},
		},
		items: run.items,
		continueOnFail: run.continueOnFail,
		staticData: run.staticData,
		workflow: { id: 'wf-usage', name: 'Usage engine test' },
		// A private build (build-private.sh) when the shared dist/ is being rebuilt by others; default dist/.
		package: process.env.USAGE_PACKAGE_ROOT
			? path.resolve(REPO_ROOT, process.env.USAGE_PACKAGE_ROOT)
			: undefined,
	});
}

/** Totals straight from the seed rows in [startMs, endMs], with plain arithmetic. */
export interface Expected {
	cost: number;
	requests: number;
	failed: number;
	unpriced: number;
	unpricedTokens: number;
	tokens: number;
	promptTokensPriced: number;
	completionTokensPriced: number;
}

export function expectedTotals(
	seed: SeededSpendLogs,
	startMs: number,
	endMs: number,
	filter: (row: ReturnType<SeededSpendLogs['rowAt']>) => boolean = () => true,
): Expected {
	const e: Expected = {
		cost: 0,
		requests: 0,
		failed: 0,
		unpriced: 0,
		unpricedTokens: 0,
		tokens: 0,
		promptTokensPriced: 0,
		completionTokensPriced: 0,
	};
	for (let i = 0; i < seed.count; i++) {
		const row = seed.rowAt(i);
		if (row.at < startMs || row.at > endMs || !filter(row)) continue;
		e.requests += 1;
		e.cost += row.spend;
		if (row.status === 'failure') {
			e.failed += 1;
			continue;
		}
		e.tokens += row.total_tokens;
		if (row.spend === 0 && row.total_tokens > 0) {
			e.unpriced += 1;
			e.unpricedTokens += row.total_tokens;
		} else {
			e.promptTokensPriced += row.prompt_tokens;
			e.completionTokensPriced += row.completion_tokens;
		}
	}
	return e;
}
