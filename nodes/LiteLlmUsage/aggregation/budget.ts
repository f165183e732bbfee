/**
 * Budget thresholds with memory: which crossings are new since the last run, and a projection to the end of
 * the budget period from the current run rate. Pure: the operation reads the entities and the workflow's static
 * data, this decides, the operation writes the memory back.
 *
 * Memory per entity: the thresholds already reported, and what the budget looked like then (`budget_reset_at`,
 * spend, the proxy's month). A reset is seen when `budget_reset_at` moved, the spend went down, or the month
 * changed; it clears what was reported, so the next crossing alerts again.
 */
import { startOfNextUtcMonth, startOfUtcMonth } from './date-range';

export interface BudgetEntity {
	kind: 'key' | 'team' | 'proxy';
	/** Memory id: `key:<fingerprint>`, `team:<id>`, `proxy`. */
	id: string;
	label: string;
	spendUsd: number;
	maxBudgetUsd: number;
	budgetDuration?: string | null;
	/** ISO time of the next reset, as LiteLLM reports it. */
	budgetResetAt?: string | null;
	/** For the proxy's monthly budget: `YYYY-MM`. */
	period?: string;
}

export interface BudgetMemoryEntry {
	reported: number[];
	resetAt: string | null;
	spendUsd: number;
	period?: string;
}

export type BudgetMemory = Record<string, BudgetMemoryEntry>;

export interface Projection {
	periodStart: string;
	periodEnd: string;
	projectedSpendUsd: number;
	projectedPercent: number;
	/** When the budget would be used up at the current rate, if before the period ends. */
	projectedExhaustedAt: string | null;
}

export interface BudgetEvaluation {
	entity: BudgetEntity;
	percentUsed: number;
	/** Thresholds crossed now and not reported before (ascending). */
	newThresholds: number[];
	/** The highest of them: the one the alert is about. */
	threshold?: number;
	/** True when this run saw a budget reset and cleared the memory. */
	wasReset: boolean;
	projection?: Projection;
	memory: BudgetMemoryEntry;
}

/** "50, 80, 95, 100" → sorted unique numbers; a string problem names what is wrong. */
export function parseThresholds(value: unknown): number[] | string {
	const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
	const numbers: number[] = [];
	for (const raw of parts) {
		const part = raw.trim();
		if (!part) continue;
		const n = Number(part.replace(/%$/, ''));
		if (!Number.isFinite(n)) return `"${part.slice(0, 20)}" is not a number`;
		if (n <= 0 || n > 1000) return `${n} is outside 0 to 1000 %`;
		numbers.push(n);
	}
	if (!numbers.length) return 'no threshold given';
	return [...new Set(numbers)].sort((a, b) => a - b);
}

const UNIT_MS: Record<string, number> = {
	s: 1000,
	m: 60_000,
	h: 3_600_000,
	d: 86_400_000,
	w: 604_800_000,
};

/**
 * The start of the budget period that ends at `resetAtMs`, for LiteLLM durations ("30s", "30m", "24h", "30d",
 * "1w", "1mo"); undefined for anything else.
 */
export function periodStartMs(
	duration: string | null | undefined,
	resetAtMs: number,
): number | undefined {
	const match = /^(\d+)\s*(mo|s|m|h|d|w)$/.exec(String(duration ?? '').trim());
	if (!match) return undefined;
	const n = Number(match[1]);
	if (match[2] === 'mo') {
		const d = new Date(resetAtMs);
		return Date.UTC(
			d.getUTCFullYear(),
			d.getUTCMonth() - n,
			d.getUTCDate(),
			d.getUTCHours(),
			d.getUTCMinutes(),
			d.getUTCSeconds(),
		);
	}
	return resetAtMs - n * UNIT_MS[match[2]];
}

/** Straight-line projection of the spend to the period end from the rate so far. */
export function project(
	spendUsd: number,
	maxBudgetUsd: number,
	startMs: number,
	endMs: number,
	nowMs: number,
): Projection | undefined {
	const elapsed = nowMs - startMs;
	if (elapsed <= 0 || endMs <= startMs) return undefined;
	const rate = spendUsd / elapsed;
	const projected = spendUsd + rate * Math.max(0, endMs - nowMs);
	let exhaustedAt: string | null = null;
	if (spendUsd >= maxBudgetUsd) exhaustedAt = new Date(nowMs).toISOString();
	else if (rate > 0) {
		const at = nowMs + (maxBudgetUsd - spendUsd) / rate;
		if (at <= endMs) exhaustedAt = new Date(Math.round(at)).toISOString();
	}
	return {
		periodStart: new Date(startMs).toISOString(),
		periodEnd: new Date(endMs).toISOString(),
		projectedSpendUsd: projected,
		projectedPercent: (projected / maxBudgetUsd) * 100,
		projectedExhaustedAt: exhaustedAt,
	};
}

function projectionOf(entity: BudgetEntity, nowMs: number): Projection | undefined {
	if (entity.kind === 'proxy') {
		return project(
			entity.spendUsd,
			entity.maxBudgetUsd,
			startOfUtcMonth(nowMs),
			startOfNextUtcMonth(nowMs),
			nowMs,
		);
	}
	const resetAt = entity.budgetResetAt ? Date.parse(entity.budgetResetAt) : NaN;
	if (!Number.isFinite(resetAt)) return undefined;
	const start = periodStartMs(entity.budgetDuration, resetAt);
	return start === undefined
		? undefined
		: project(entity.spendUsd, entity.maxBudgetUsd, start, resetAt, nowMs);
}

function sawReset(entity: BudgetEntity, before: BudgetMemoryEntry | undefined): boolean {
	if (!before) return false;
	if (entity.kind === 'proxy') return before.period !== entity.period;
	if ((before.resetAt ?? null) !== (entity.budgetResetAt ?? null) && before.resetAt !== null)
		return true;
	// A spend that went down was reset (by the schedule, /key/reset_spend or /global/spend/reset).
	return entity.spendUsd + 1e-12 < before.spendUsd;
}

export function evaluateBudget(
	entity: BudgetEntity,
	thresholds: number[],
	before: BudgetMemoryEntry | undefined,
	nowMs: number,
): BudgetEvaluation {
	const wasReset = sawReset(entity, before);
	const reported = wasReset || !before ? [] : before.reported;
	const percentUsed = (entity.spendUsd / entity.maxBudgetUsd) * 100;
	const crossed = thresholds.filter((t) => percentUsed >= t);
	const newThresholds = crossed.filter((t) => !reported.includes(t));
	return {
		entity,
		percentUsed,
		newThresholds,
		threshold: newThresholds.length ? newThresholds[newThresholds.length - 1] : undefined,
		wasReset,
		projection: projectionOf(entity, nowMs),
		memory: {
			reported: [...new Set([...reported, ...crossed])].sort((a, b) => a - b),
			resetAt: entity.budgetResetAt ?? null,
			spendUsd: entity.spendUsd,
			...(entity.period ? { period: entity.period } : {}),
		},
	};
}

/** Reads the memory kept in static data, dropping anything malformed. */
export function readMemory(value: unknown): BudgetMemory {
	const out: BudgetMemory = {};
	if (!value || typeof value !== 'object') return out;
	for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
		const e = entry as Partial<BudgetMemoryEntry> | null;
		if (!e || !Array.isArray(e.reported)) continue;
		out[id] = {
			reported: e.reported.filter((t): t is number => typeof t === 'number'),
			resetAt: typeof e.resetAt === 'string' ? e.resetAt : null,
			spendUsd: typeof e.spendUsd === 'number' ? e.spendUsd : 0,
			...(typeof e.period === 'string' ? { period: e.period } : {}),
		};
	}
	return out;
}
