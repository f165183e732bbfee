import type { IDataObject } from 'n8n-workflow';

import type { KeyRow } from '../api/litellm-admin';

/** A virtual key row for output: the hash (LiteLLM's id) is fine; plaintext never is. */
export function keyRowOut(row: KeyRow): IDataObject {
	const out: IDataObject = {
		keyAlias: row.key_alias ?? null,
		keyHash: row.token ?? null,
		maskedKey: row.key_name ?? null,
		models: row.models ?? [],
		spend: row.spend ?? 0,
		maxBudget: row.max_budget ?? null,
		budgetDuration: row.budget_duration ?? null,
		tpmLimit: row.tpm_limit ?? null,
		rpmLimit: row.rpm_limit ?? null,
		expires: row.expires ?? null,
		blocked: Boolean(row.blocked),
		teamId: row.team_id ?? null,
		userId: row.user_id ?? null,
		metadata: row.metadata ?? {},
		createdAt: row.created_at ?? null,
	};
	return out;
}
