import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { duration, fail, jsonObject, list, optionalNumber } from '../../helpers/params';

/** The settings a virtual key is created or updated with (GenerateKeyRequest). */
export const keySettings: INodeProperties = {
	displayName: 'Key Settings',
	name: 'keySettings',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	options: [
		{
			displayName: 'Budget Duration',
			name: 'budgetDuration',
			type: 'string',
			default: '',
			placeholder: '30d',
			description: 'When the budget resets: 30s, 30m, 30h, 30d, 1mo',
		},
		{
			displayName: 'Duration',
			name: 'duration',
			type: 'string',
			default: '',
			placeholder: '90d',
			description: 'How long the key lives; empty never expires',
		},
		{
			displayName: 'Max Budget (USD)',
			name: 'maxBudget',
			type: 'number',
			default: 0,
			typeOptions: { numberPrecision: 4 },
		},
		{ displayName: 'Metadata (JSON)', name: 'metadata', type: 'json', default: '{}' },
		{
			displayName: 'Models',
			name: 'models',
			type: 'string',
			default: '',
			placeholder: 'gpt-4o-mini, claude-sonnet',
			description: 'Comma-separated model groups; empty allows all',
		},
		{ displayName: 'RPM Limit', name: 'rpmLimit', type: 'number', default: 0 },
		{
			displayName: 'Service',
			name: 'service',
			type: 'options',
			default: '',
			options: [
				{ name: '(None)', value: '' },
				{ name: 'Archon', value: 'archon' },
				{ name: 'MCP', value: 'mcp' },
				{ name: 'N8n', value: 'n8n' },
				{ name: 'Open WebUI', value: 'open-webui' },
			],
			description: 'Written to metadata.service, so keys can be found per consumer',
		},
		{ displayName: 'Team ID', name: 'teamId', type: 'string', default: '' },
		{ displayName: 'TPM Limit', name: 'tpmLimit', type: 'number', default: 0 },
		{ displayName: 'User ID', name: 'userId', type: 'string', default: '' },
	],
};

/** The LiteLLM body for the settings given; each bad value is an error naming its field. */
export function readKeySettings(ctx: IExecuteFunctions, i: number): IDataObject {
	const s = ctx.getNodeParameter('keySettings', i, {}) as IDataObject;
	const body: IDataObject = {};
	const maxBudget = optionalNumber(ctx, i, s.maxBudget, 'Max Budget (USD)');
	if (maxBudget !== undefined && maxBudget < 0)
		fail(ctx, i, `Max Budget (USD) must not be below 0 (got ${maxBudget})`);
	if (maxBudget !== undefined && 'maxBudget' in s) body.max_budget = maxBudget;
	const models = list(ctx, i, s.models, 'Models');
	if (models.length) body.models = models;
	const budgetDuration = duration(ctx, i, String(s.budgetDuration ?? '').trim(), 'Budget Duration');
	if (budgetDuration) body.budget_duration = budgetDuration;
	const keyDuration = duration(ctx, i, String(s.duration ?? '').trim(), 'Duration');
	if (keyDuration) body.duration = keyDuration;
	for (const [field, label, key] of [
		['tpmLimit', 'TPM Limit', 'tpm_limit'],
		['rpmLimit', 'RPM Limit', 'rpm_limit'],
	] as const) {
		const value = optionalNumber(ctx, i, s[field], label, 0);
		if (value) body[key] = value;
	}
	if (s.teamId) body.team_id = String(s.teamId);
	if (s.userId) body.user_id = String(s.userId);
	const metadata = jsonObject(ctx, i, s.metadata, 'Metadata (JSON)') ?? {};
	if (s.service) metadata.service = String(s.service);
	if (Object.keys(metadata).length) body.metadata = metadata;
	return body;
}
