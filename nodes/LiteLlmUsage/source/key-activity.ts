/**
 * Calls, tokens and spend per virtual key over a period, from the `api_keys` part of `/user/daily/activity`'s
 * per-day breakdown (keyed by the key's sha256 hash, with its alias in `metadata.key_alias`). The route counts
 * whole UTC days, so a period is widened to the days it touches; key rows carry no call or token counts.
 */
import { costOrNull } from '../../shared/cost';
import type { HttpContext } from '../../shared/transport/http';
import { type LiteLlmConnection, liteLlmRequest } from '../../shared/transport/litellm';
import { type DateRange, liteLlmDate } from '../aggregation/date-range';
import { PageFailedError, withOneRetry } from './spend-logs';

export interface KeyActivity {
	/** The key's hash (LiteLLM's `token`). */
	keyHash: string;
	keyAlias: string | null;
	calls: number;
	tokens: number;
	spendUsd: number;
}

interface ActivityPage {
	results?: Array<{
		breakdown?: {
			api_keys?: Record<
				string,
				{ metrics?: Record<string, unknown>; metadata?: Record<string, unknown> }
			>;
		};
	}>;
	metadata?: { total_pages?: number };
}

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export async function readKeyActivity(
	ctx: HttpContext,
	connection: LiteLlmConnection,
	range: DateRange,
	timeoutMs?: number,
): Promise<Map<string, KeyActivity>> {
	const perKey = new Map<string, KeyActivity>();
	let totalPages: number | undefined;
	for (let page = 1; ; page++) {
		const outcome = await withOneRetry(
			async () =>
				await liteLlmRequest<ActivityPage>(ctx, connection, {
					method: 'GET',
					path: '/user/daily/activity',
					qs: {
						start_date: liteLlmDate(range.startMs),
						end_date: liteLlmDate(range.endMs),
						page,
						page_size: 1000,
					},
					timeoutMs,
				}),
			() => undefined,
		);
		if (!outcome.ok) throw new PageFailedError(page, totalPages, outcome.error);
		const body = outcome.value.data;
		if (!Array.isArray(body?.results))
			throw new PageFailedError(page, totalPages, new Error('the page has no "results" array'));
		totalPages ??= Number.isInteger(body.metadata?.total_pages)
			? Number(body.metadata?.total_pages)
			: 1;
		for (const day of body.results) {
			for (const [hash, entry] of Object.entries(day?.breakdown?.api_keys ?? {})) {
				const metrics = entry?.metrics ?? {};
				const alias = entry?.metadata?.key_alias;
				const row = perKey.get(hash) ?? {
					keyHash: hash,
					keyAlias: typeof alias === 'string' && alias ? alias : null,
					calls: 0,
					tokens: 0,
					spendUsd: 0,
				};
				row.calls += count(metrics.api_requests);
				row.tokens += count(metrics.total_tokens);
				row.spendUsd += costOrNull(metrics.spend) ?? 0;
				perKey.set(hash, row);
			}
		}
		if (page >= totalPages || body.results.length === 0) break;
	}
	return perKey;
}
