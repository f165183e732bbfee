/**
 * The JSON each Usage operation emits beside its Slack text and blocks. The operations build these and the
 * Slack formatting reads them, so they live apart from both and neither imports the other.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FoldResult } from './aggregation/spend-fold';

/** Key Spend: one item per virtual key. */
export interface KeySpendJson extends IDataObject {
	operation: 'keySpend';
	readAt: string;
	keyAlias: string | null;
	keyName: string;
	keyFingerprint: string;
	spendUsd: number;
	maxBudgetUsd: number | null;
	percentUsed: number | null;
	remainingUsd: number | null;
	softBudgetUsd: number | null;
	budgetDuration: string | null;
	budgetResetAt: string | null;
	expires: string | null;
	expired: boolean;
	blocked: boolean;
	teamId: string | null;
	userId: string | null;
	service: string | null;
	metadata: IDataObject;
}

/** Budget Check and the Budget Trigger: one item per new threshold crossing. */
export interface BudgetAlertJson extends IDataObject {
	operation: 'budgetCheck';
	readAt: string;
	entityType: 'key' | 'team' | 'proxy';
	entity: string;
	entityId: string;
	threshold: number;
	newThresholds: number[];
	percentUsed: number;
	spendUsd: number;
	maxBudgetUsd: number;
	remainingUsd: number;
	budgetDuration: string | null;
	budgetResetAt: string | null;
	wasReset: boolean;
	periodStart: string | null;
	periodEnd: string | null;
	projectedSpendUsd: number | null;
	projectedPercent: number | null;
	projectedExhaustedAt: string | null;
}

/** Spend Report: one item per report. */
export type SpendReportJson = {
	readAt: string;
	range: { preset: string; start: string; end: string };
	groupBy: string[];
	source: string;
	sourceReason: string;
	complete: boolean;
	rowsRead: number;
	rowsExpected: number;
	unpricedKnown: boolean;
	totals: IDataObject & {
		costUsd: number;
		requests: number;
		failedRequests: number;
		totalTokens: number;
		unpricedRequests: number | null;
	};
	groups: Array<
		IDataObject & {
			group: string;
			costUsd: number;
			requests: number;
			failedRequests: number;
			sharePercent: number;
		}
	>;
	others: FoldResult['others'];
	groupCount: number;
};
