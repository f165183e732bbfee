/**
 * Prices LiteLLM's tokens with OpenRouter's list (`GET /api/v1/models`: `pricing.prompt`/`pricing.completion`,
 * USD per token as decimal strings) and compares with what LiteLLM billed.
 *
 * Matching a LiteLLM model to an OpenRouter id, first rule that hits, never a guess:
 * 1. the user's mapping (LiteLLM model → OpenRouter id);
 * 2. the name is itself an OpenRouter id (`openai/gpt-4o-mini`, case-insensitive);
 * 3. provider slug + name: LiteLLM's `custom_llm_provider` translated to OpenRouter's slug (openai, anthropic,
 *    gemini/vertex_ai → google, mistral → mistralai, cohere, deepseek, x-ai/xai → x-ai, perplexity) and the model
 *    name with any `provider/` prefix removed;
 * 4. the name equals the part after `/` of exactly one OpenRouter id (two or more: ambiguous, unmatched).
 * Models that match nothing are listed as unmatched with their LiteLLM cost; they are left out of both sides
 * of the comparison. Unpriced and failed requests are left out too (see spend-fold.ts).
 */
import { parseCost } from '../../shared/cost';
import { CompensatedSum } from './money';
import type { GroupResult } from './spend-fold';
import { roundPercent } from './percent';

export interface OpenRouterModel {
	id: string;
	promptPerToken: number;
	completionPerToken: number;
}

const PROVIDER_SLUG: Record<string, string> = {
	openai: 'openai',
	azure: 'openai',
	text_completion_openai: 'openai',
	anthropic: 'anthropic',
	gemini: 'google',
	vertex_ai: 'google',
	'vertex_ai-language-models': 'google',
	mistral: 'mistralai',
	cohere: 'cohere',
	cohere_chat: 'cohere',
	deepseek: 'deepseek',
	xai: 'x-ai',
	perplexity: 'perplexity',
};

/** Reads `/api/v1/models`' data; models without a readable prompt and completion price are skipped. */
export function readOpenRouterModels(body: unknown): {
	models: Map<string, OpenRouterModel>;
	skipped: number;
} {
	const models = new Map<string, OpenRouterModel>();
	let skipped = 0;
	const data = (body as { data?: unknown })?.data;
	if (!Array.isArray(data)) return { models, skipped };
	for (const entry of data as Array<{
		id?: unknown;
		pricing?: { prompt?: unknown; completion?: unknown };
	}>) {
		const prompt = parseCost(entry?.pricing?.prompt);
		const completion = parseCost(entry?.pricing?.completion);
		if (
			typeof entry?.id !== 'string' ||
			prompt === undefined ||
			completion === undefined ||
			prompt < 0 ||
			completion < 0
		) {
			skipped += 1;
			continue;
		}
		models.set(entry.id.toLowerCase(), {
			id: entry.id,
			promptPerToken: prompt,
			completionPerToken: completion,
		});
	}
	return { models, skipped };
}

export type MatchRule = 'mapping' | 'exact id' | 'provider + name' | 'unique name';

export function matchModel(
	model: string,
	provider: string | undefined,
	catalogue: Map<string, OpenRouterModel>,
	mapping: Record<string, string>,
): { model: OpenRouterModel; rule: MatchRule } | { model?: undefined; reason: string } {
	const mapped = mapping[model];
	if (mapped) {
		const hit = catalogue.get(mapped.toLowerCase());
		return hit
			? { model: hit, rule: 'mapping' }
			: { reason: `mapped to "${mapped}", which OpenRouter does not list` };
	}
	const lower = model.toLowerCase();
	const exact = catalogue.get(lower);
	if (exact) return { model: exact, rule: 'exact id' };
	const bare = lower.includes('/') ? lower.slice(lower.lastIndexOf('/') + 1) : lower;
	const slug = provider ? PROVIDER_SLUG[provider.toLowerCase()] : undefined;
	if (slug) {
		const hit = catalogue.get(`${slug}/${bare}`);
		if (hit) return { model: hit, rule: 'provider + name' };
	}
	const byName = [...catalogue.values()].filter(
		(m) => m.id.toLowerCase().split('/').pop() === bare,
	);
	if (byName.length === 1) return { model: byName[0], rule: 'unique name' };
	if (byName.length > 1)
		return {
			reason: `ambiguous: ${byName
				.map((m) => m.id)
				.slice(0, 4)
				.join(', ')}`,
		};
	return { reason: 'no OpenRouter model with this name' };
}

export interface SavingsLine {
	model: string;
	provider?: string;
	openRouterModel: string;
	matchedBy: MatchRule;
	promptTokens: number;
	completionTokens: number;
	liteLlmCostUsd: number;
	openRouterCostUsd: number;
	savedUsd: number;
	savedPercent: number | null;
}

export interface UnmatchedLine {
	model: string;
	provider?: string;
	reason: string;
	liteLlmCostUsd: number;
	totalTokens: number;
}

export interface SavingsResult {
	lines: SavingsLine[];
	unmatched: UnmatchedLine[];
	totals: {
		liteLlmCostUsd: number;
		openRouterCostUsd: number;
		savedUsd: number;
		savedPercent: number | null;
	};
	/** Cost of the models left out (unmatched), for the record. */
	unmatchedCostUsd: number;
	/** Requests and tokens left out because they were unpriced by LiteLLM. */
	unpricedRequests: number;
	unpricedTokens: number;
}

/**
 * The LiteLLM cost of a model group, priced requests only: the billed cost of the group is all priced
 * (unpriced rows are $0 by definition), so `costUsd` is already the right side.
 */
export function compareWithOpenRouter(
	groups: GroupResult[],
	catalogue: Map<string, OpenRouterModel>,
	mapping: Record<string, string>,
): SavingsResult {
	const lines: SavingsLine[] = [];
	const unmatched: UnmatchedLine[] = [];
	const liteLlm = new CompensatedSum();
	const openRouter = new CompensatedSum();
	const unmatchedCost = new CompensatedSum();
	let unpricedRequests = 0;
	let unpricedTokens = 0;
	for (const g of groups) {
		const model = g.labels.model ?? g.group;
		unpricedRequests += g.unpricedRequests;
		unpricedTokens += g.unpricedTokens;
		const match = matchModel(model, g.provider, catalogue, mapping);
		if (!match.model) {
			unmatched.push({
				model,
				provider: g.provider,
				reason: match.reason,
				liteLlmCostUsd: g.costUsd,
				totalTokens: g.totalTokens,
			});
			unmatchedCost.add(g.costUsd);
			continue;
		}
		const orCost =
			g.pricedPromptTokens * match.model.promptPerToken +
			g.pricedCompletionTokens * match.model.completionPerToken;
		liteLlm.add(g.costUsd);
		openRouter.add(orCost);
		lines.push({
			model,
			provider: g.provider,
			openRouterModel: match.model.id,
			matchedBy: match.rule,
			promptTokens: g.pricedPromptTokens,
			completionTokens: g.pricedCompletionTokens,
			liteLlmCostUsd: g.costUsd,
			openRouterCostUsd: orCost,
			savedUsd: orCost - g.costUsd,
			savedPercent: orCost > 0 ? roundPercent(((orCost - g.costUsd) / orCost) * 100) : null,
		});
	}
	lines.sort((a, b) => b.savedUsd - a.savedUsd || (a.model < b.model ? -1 : 1));
	const l = liteLlm.value;
	const o = openRouter.value;
	return {
		lines,
		unmatched,
		totals: {
			liteLlmCostUsd: l,
			openRouterCostUsd: o,
			savedUsd: o - l,
			savedPercent: o > 0 ? roundPercent(((o - l) / o) * 100) : null,
		},
		unmatchedCostUsd: unmatchedCost.value,
		unpricedRequests,
		unpricedTokens,
	};
}
