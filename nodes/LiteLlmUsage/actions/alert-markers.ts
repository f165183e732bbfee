/**
 * "Remember Reported Crossings: In Infisical": each budget crossing (entity, threshold, budget period) is
 * reported by exactly one run across every n8n process, because the run first claims a marker secret
 * `LITELLM_BUDGET_ALERT_<digest>` with create-if-absent (claim/marker.ts), in the folder of the Infisical
 * credential. A crossing whose marker another run holds is not output. With Slack delivery the marker is
 * `sending` until Slack answers, then `done`; a failed post releases it, so the next run sends it again.
 * A run that dies after Slack accepted and before `done` was written leaves `sending`: once that is older than
 * MARKER_STALE_MS the next run claims it again and sends the alert once more (at most one more send per
 * such crash).
 */
import { randomBytes } from 'crypto';
import {
	type IDataObject,
	type IExecuteFunctions,
	type IPollFunctions,
	NodeOperationError,
} from 'n8n-workflow';

import { type Claimed, claimMarker, markerName, settleMarker } from '../../shared/claim/marker';
import { redactText } from '../../shared/redact';
import { settle } from '../../shared/settle';
import { infisicalConnection, infisicalStore } from '../../shared/transport/infisical';
import type { BudgetEvaluation } from '../aggregation/budget';

export const ALERT_MARKER_PREFIX = 'LITELLM_BUDGET_ALERT_';

/** Longer than one run's Slack posts take (each at most 15 s, a few per run). */
export const MARKER_STALE_MS = 10 * 60_000;

const COMMENT =
	'Budget alert marker of the n8n LiteLLM Usage node / Budget Trigger: this crossing was reported (or is being sent). Holds no secret.';

/** The budget period a crossing belongs to: a new period (a budget reset) is a new marker. */
function periodOf(e: BudgetEvaluation): string {
	return e.entity.budgetResetAt ?? e.entity.period ?? 'no-reset';
}

export interface AlertClaims {
	/** The alerts this run reports, each with its marker. */
	kept: Array<{ item: IDataObject; claimed: Claimed }>;
	settle(claimed: Claimed, delivered: boolean): Promise<boolean>;
}

/**
 * Claims the marker of every alert before anything is sent. Infisical failing: the markers claimed so far are
 * released and the run fails naming Infisical, with nothing sent.
 */
export async function claimAlerts(
	ctx: IExecuteFunctions | IPollFunctions,
	alerts: Array<{ item: IDataObject; evaluation: BudgetEvaluation }>,
	sendsItself: boolean,
	i: number,
): Promise<AlertClaims> {
	const connection = await infisicalConnection(ctx);
	const store = infisicalStore(ctx, connection);
	const owner = randomBytes(6).toString('hex');
	const kept: AlertClaims['kept'] = [];
	const abouts = new Map<string, string>();
	const release = (claimed: Claimed, status: 'done' | 'released') =>
		settleMarker(store, claimed, {
			status,
			owner,
			at: Date.now(),
			about: abouts.get(claimed.name),
		});
	for (const { item, evaluation } of alerts) {
		const period = periodOf(evaluation);
		const name = markerName(ALERT_MARKER_PREFIX, [
			evaluation.entity.id,
			String(evaluation.threshold),
			period,
		]);
		const about = `${evaluation.entity.id} crossed ${String(evaluation.threshold)}% (period ${period})`;
		const claimed = await settle(
			claimMarker(
				store,
				name,
				{ status: sendsItself ? 'sending' : 'done', owner, at: Date.now(), about },
				MARKER_STALE_MS,
				COMMENT,
			),
		);
		if (!claimed.ok) {
			for (const k of kept) await settle(release(k.claimed, 'released'));
			const cause = redactText(
				claimed.error instanceof Error ? claimed.error.message : String(claimed.error),
				connection.secrets,
			);
			throw new NodeOperationError(
				ctx.getNode(),
				`Infisical could not record which budget crossings were reported, so no alert was sent: ${cause.slice(0, 200)}`,
				{
					itemIndex: i,
					description:
						'"Remember Reported Crossings: In Infisical" claims a marker secret per alert in the folder of the Infisical credential before sending it; check that credential and its write access',
				},
			);
		}
		if (claimed.value) {
			abouts.set(claimed.value.name, about);
			kept.push({ item, claimed: claimed.value });
		}
	}
	return {
		kept,
		settle: (claimed, delivered) => release(claimed, delivered ? 'done' : 'released'),
	};
}
