/**
 * Calls, tokens and spend per virtual key over a period, from the `api_keys` part of `/user/daily/activity`'s
 * per-day breakdown (keyed by the key's sha256 hash, with its alias in `metadata.key_alias`). The route counts
 * whole UTC days, so a period is widened to the days it touches; key rows carry no call or token counts.
 */
import { costOrNull } from '../../shared/cost';
import type { HttpContext } from '../../shared/transport/http';
import type { LiteLlmConnection } from '../../shared/transport/litellm';
import type { DateRange } from '../aggregation/date-range';
import { readActivityPages } from './daily-activity';

export interface KeyActivity {
	/** The key's hash (LiteLLM's `token`). */
	keyHash: string;
	keyAlias: string | null;
	calls: number;
	tokens: number;
	spendUsd: number;
}

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export async function readKeyActivity(
	ctx: HttpContext,
	connection: LiteLlmConnection,
	range: DateRange,
	timeoutMs?: number,
): Promise<Map<string, KeyActivity>> {
	const perKey = new Map<string, KeyActivity>();
	await readActivityPages(
		ctx,
		connection,
		'/user/daily/activity',
		range,
		(days) => {
			for (const day of days) {
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
		},
		{ timeoutMs },
	);
	return perKey;
}
