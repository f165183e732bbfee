/**
 * Folds spend-log rows (or daily-activity metrics) into per-group totals as pages arrive. Memory grows with
 * the number of groups, never with the number of rows: a page is read, folded and dropped.
 *
 * Counting rules (the report states them):
 * - `costUsd` is everything LiteLLM billed in the period, failed requests included (they are usually $0).
 * - Tokens are those of successful requests. Failed requests are counted apart.
 * - A successful row with tokens but spend 0 is **unpriced** (LiteLLM logs some streamed calls at $0): counted in
 *   `unpricedRequests`/`unpricedTokens`, never taken as free. `pricedPromptTokens`/`pricedCompletionTokens`
 *   leave those rows out, so a price comparison does not count them as savings.
 * - A row whose spend cannot be read at all (absent, 'None') is counted in `unreadableCostRequests`.
 */
import { CompensatedSum } from './money';
import {
	type GroupKey,
	type Grouping,
	rowGroups,
	rowNumbers,
	type SpendLogRowLike,
} from './spend-row';

export interface GroupTotals {
	costUsd: number;
	requests: number;
	successfulRequests: number;
	failedRequests: number;
	promptTokens: number;
	completionTokens: number;
	totalTokens: number;
	unpricedRequests: number;
	unpricedTokens: number;
	pricedPromptTokens: number;
	pricedCompletionTokens: number;
	unreadableCostRequests: number;
}

export interface GroupResult extends GroupTotals {
	/** Composite label, dimensions joined by " · ". */
	group: string;
	/** Label per dimension. */
	labels: Partial<Record<Grouping, string>>;
	/** The first provider seen in the group (spend logs only); the savings operation uses it for matching. */
	provider?: string;
}

/** Daily-activity metrics as LiteLLM sends them (SpendMetrics). */
export interface ActivityMetrics {
	spend?: unknown;
	prompt_tokens?: unknown;
	completion_tokens?: unknown;
	total_tokens?: unknown;
	api_requests?: unknown;
	successful_requests?: unknown;
	failed_requests?: unknown;
}

class GroupAccumulator {
	readonly cost = new CompensatedSum();

	requests = 0;

	successfulRequests = 0;

	failedRequests = 0;

	promptTokens = 0;

	completionTokens = 0;

	totalTokens = 0;

	unpricedRequests = 0;

	unpricedTokens = 0;

	pricedPromptTokens = 0;

	pricedCompletionTokens = 0;

	unreadableCostRequests = 0;

	provider?: string;

	constructor(readonly labels: Partial<Record<Grouping, string>>) {}

	totals(): GroupTotals {
		return {
			costUsd: this.cost.value,
			requests: this.requests,
			successfulRequests: this.successfulRequests,
			failedRequests: this.failedRequests,
			promptTokens: this.promptTokens,
			completionTokens: this.completionTokens,
			totalTokens: this.totalTokens,
			unpricedRequests: this.unpricedRequests,
			unpricedTokens: this.unpricedTokens,
			pricedPromptTokens: this.pricedPromptTokens,
			pricedCompletionTokens: this.pricedCompletionTokens,
			unreadableCostRequests: this.unreadableCostRequests,
		};
	}
}

export type SortBy = 'cost' | 'requests' | 'tokens' | 'name';

export interface FoldResult {
	totals: GroupTotals;
	/** Sorted, cut to top N. */
	groups: GroupResult[];
	/** What the top-N cut left out. */
	others: { groups: number; costUsd: number; requests: number; totalTokens: number };
	groupCount: number;
	rowsFolded: number;
}

const SEP = '\u241f';

function num(value: unknown): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
	return Number.isFinite(n) ? n : 0;
}

export class SpendAggregator {
	private readonly groups = new Map<string, GroupAccumulator>();

	private readonly overall = new GroupAccumulator({});

	rowsFolded = 0;

	constructor(readonly groupBy: Grouping[]) {
		if (groupBy.length === 0) throw new Error('groupBy needs at least one dimension');
	}

	/** Folds one spend-log row. */
	addRow(row: SpendLogRowLike): void {
		const numbers = rowNumbers(row);
		this.rowsFolded += 1;
		const provider =
			typeof row.custom_llm_provider === 'string' ? row.custom_llm_provider : undefined;
		this.apply(this.overall, numbers, provider);
		for (const acc of this.accumulatorsFor(this.groupsOf(row))) this.apply(acc, numbers, provider);
	}

	/** Folds one page. */
	addRows(rows: SpendLogRowLike[]): void {
		for (const row of rows) this.addRow(row);
	}

	/**
	 * Folds precomputed metrics for one group (daily activity). Unpriced rows cannot be seen there; the caller
	 * says so in the report.
	 */
	addMetrics(keys: GroupKey[][] | null, metrics: ActivityMetrics, addToOverall: boolean): void {
		const targets = keys ? this.accumulatorsFor(keys) : [];
		if (addToOverall) targets.push(this.overall);
		const spend = num(metrics.spend);
		const requests = num(metrics.api_requests);
		const failed = num(metrics.failed_requests);
		const successful =
			metrics.successful_requests === undefined
				? requests - failed
				: num(metrics.successful_requests);
		const prompt = num(metrics.prompt_tokens);
		const completion = num(metrics.completion_tokens);
		const total = num(metrics.total_tokens) || prompt + completion;
		for (const acc of targets) {
			acc.cost.add(spend);
			acc.requests += requests;
			acc.failedRequests += failed;
			acc.successfulRequests += successful;
			acc.promptTokens += prompt;
			acc.completionTokens += completion;
			acc.totalTokens += total;
			acc.pricedPromptTokens += prompt;
			acc.pricedCompletionTokens += completion;
		}
	}

	private groupsOf(row: SpendLogRowLike): GroupKey[][] {
		return this.groupBy.map((g) => rowGroups(row, g));
	}

	/** The accumulators of every combination of the row's groups (tags can make several). */
	private accumulatorsFor(perDimension: GroupKey[][]): GroupAccumulator[] {
		// Fast path, the usual case: one group per dimension; labels are built only for a new group.
		if (perDimension.every((keys) => keys.length === 1)) {
			const id = perDimension.map((keys) => keys[0].id).join(SEP);
			let acc = this.groups.get(id);
			if (!acc) {
				const labels: Partial<Record<Grouping, string>> = {};
				perDimension.forEach((keys, d) => (labels[this.groupBy[d]] = keys[0].label));
				acc = new GroupAccumulator(labels);
				this.groups.set(id, acc);
			}
			return [acc];
		}
		let combos: Array<{ id: string; labels: Partial<Record<Grouping, string>> }> = [
			{ id: '', labels: {} },
		];
		perDimension.forEach((keys, d) => {
			const dimension = this.groupBy[d];
			const next: typeof combos = [];
			for (const combo of combos) {
				for (const key of keys) {
					next.push({
						id: d === 0 ? key.id : `${combo.id}${SEP}${key.id}`,
						labels: { ...combo.labels, [dimension]: key.label },
					});
				}
			}
			combos = next;
		});
		return combos.map(({ id, labels }) => {
			let acc = this.groups.get(id);
			if (!acc) {
				acc = new GroupAccumulator(labels);
				this.groups.set(id, acc);
			}
			return acc;
		});
	}

	private apply(
		acc: GroupAccumulator,
		n: ReturnType<typeof rowNumbers>,
		provider: string | undefined,
	): void {
		acc.requests += 1;
		if (acc.provider === undefined && provider) acc.provider = provider;
		if (n.spend !== undefined) acc.cost.add(n.spend);
		if (n.failed) {
			acc.failedRequests += 1;
			return;
		}
		acc.successfulRequests += 1;
		acc.promptTokens += n.promptTokens;
		acc.completionTokens += n.completionTokens;
		acc.totalTokens += n.totalTokens;
		if (n.spend === undefined) {
			acc.unreadableCostRequests += 1;
		} else if (n.spend === 0 && n.totalTokens > 0) {
			acc.unpricedRequests += 1;
			acc.unpricedTokens += n.totalTokens;
		} else {
			acc.pricedPromptTokens += n.promptTokens;
			acc.pricedCompletionTokens += n.completionTokens;
		}
	}

	result(sortBy: SortBy = 'cost', topN = 0): FoldResult {
		const all: GroupResult[] = [...this.groups.values()].map((acc) => ({
			group: this.groupBy.map((g) => acc.labels[g] ?? '').join(' · '),
			labels: acc.labels,
			...(acc.provider ? { provider: acc.provider } : {}),
			...acc.totals(),
		}));
		all.sort(comparator(sortBy));
		const shown = topN > 0 ? all.slice(0, topN) : all;
		const rest = topN > 0 ? all.slice(topN) : [];
		const restCost = new CompensatedSum();
		for (const g of rest) restCost.add(g.costUsd);
		return {
			totals: this.overall.totals(),
			groups: shown,
			others: {
				groups: rest.length,
				costUsd: restCost.value,
				requests: rest.reduce((s, g) => s + g.requests, 0),
				totalTokens: rest.reduce((s, g) => s + g.totalTokens, 0),
			},
			groupCount: all.length,
			rowsFolded: this.rowsFolded,
		};
	}
}

function comparator(sortBy: SortBy): (a: GroupResult, b: GroupResult) => number {
	const byName = (a: GroupResult, b: GroupResult) =>
		a.group < b.group ? -1 : a.group > b.group ? 1 : 0;
	switch (sortBy) {
		case 'name':
			return byName;
		case 'requests':
			return (a, b) => b.requests - a.requests || b.costUsd - a.costUsd || byName(a, b);
		case 'tokens':
			return (a, b) => b.totalTokens - a.totalTokens || b.costUsd - a.costUsd || byName(a, b);
		default:
			return (a, b) => b.costUsd - a.costUsd || b.requests - a.requests || byName(a, b);
	}
}
