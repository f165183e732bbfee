/**
 * Synthetic, reproducible LiteLLM spend logs: N rows over D days across keys, teams, users, end users, models,
 * providers, tags and n8n workflows, with some failures, some unpriced rows (tokens at spend 0, as LiteLLM logs
 * some streamed calls) and many sub-1e-4 costs (served in Python's scientific notation, `2.1e-05`).
 *
 * Rows are never stored: `rowAt(i)` derives row i from (seed, i) alone, so a million-row log costs no memory
 * and any page can be produced on demand. Row 0 is the newest; time falls linearly with i down to `endMs -
 * days`, which is the order LiteLLM answers in (`ORDER BY startTime DESC`). `indexRange` finds the rows of a
 * date range by binary search.
 */
import { createHash } from 'node:crypto';

import type { SpendLogRow } from '../state';

export interface SeedModel {
	model_group: string;
	model: string;
	provider: string;
	api_base: string;
	inputCostPerToken: number;
	outputCostPerToken: number;
}

/** Prices as in LiteLLM's model map (USD per token). local-llama costs 0: every row of it is "unpriced". */
export const SEED_MODELS: SeedModel[] = [
	{
		model_group: 'gpt-4o-mini',
		model: 'gpt-4o-mini',
		provider: 'openai',
		api_base: 'https://api.openai.com/v1',
		inputCostPerToken: 1.5e-7,
		outputCostPerToken: 6e-7,
	},
	{
		model_group: 'gpt-4o',
		model: 'gpt-4o',
		provider: 'openai',
		api_base: 'https://api.openai.com/v1',
		inputCostPerToken: 2.5e-6,
		outputCostPerToken: 1e-5,
	},
	{
		model_group: 'claude-3-5-haiku',
		model: 'claude-3-5-haiku-20241022',
		provider: 'anthropic',
		api_base: 'https://api.anthropic.com',
		inputCostPerToken: 8e-7,
		outputCostPerToken: 4e-6,
	},
	{
		model_group: 'gemini-2.0-flash-001',
		model: 'gemini-2.0-flash-001',
		provider: 'gemini',
		api_base: 'https://generativelanguage.googleapis.com',
		inputCostPerToken: 1e-7,
		outputCostPerToken: 4e-7,
	},
	{
		model_group: 'llama-3.1-8b-instant',
		model: 'llama-3.1-8b-instant',
		provider: 'groq',
		api_base: 'https://api.groq.com/openai/v1',
		inputCostPerToken: 5e-8,
		outputCostPerToken: 8e-8,
	},
	{
		model_group: 'local-llama',
		model: 'llama3.2',
		provider: 'ollama',
		api_base: 'http://127.0.0.1:11434',
		inputCostPerToken: 0,
		outputCostPerToken: 0,
	},
];

export interface SeedKey {
	/** Plaintext (test-only; never served: routes serve `token`). */
	key: string;
	token: string;
	alias: string;
	teamId: string;
	userId: string;
}

export interface SpendSeedOptions {
	rows: number;
	days: number;
	seed: number;
	/** Time of the newest row (default: now). */
	endMs?: number;
	keys?: number;
	teams?: number;
	users?: number;
	workflows?: number;
	/** Shares of rows (defaults 0.03, 0.02, 0.4). */
	failureRate?: number;
	unpricedRate?: number;
	n8nRate?: number;
}

/** mulberry32 over a per-row seed: fast, reproducible, good enough for traffic shapes. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class SeededSpendLogs {
	readonly count: number;

	readonly endMs: number;

	readonly startMs: number;

	readonly keys: SeedKey[];

	readonly models = SEED_MODELS;

	readonly teams: string[];

	readonly workflows: Array<{ id: string; name: string }>;

	private readonly spanMs: number;

	constructor(readonly options: SpendSeedOptions) {
		this.count = options.rows;
		this.endMs = options.endMs ?? Date.now();
		this.spanMs = options.days * 86_400_000;
		this.startMs = this.endMs - this.spanMs;
		const teams = options.teams ?? 4;
		this.teams = Array.from({ length: teams }, (_, t) => `team-${t + 1}`);
		this.keys = Array.from({ length: options.keys ?? 12 }, (_, k) => {
			const key = `sk-seed${options.seed}-${String(k).padStart(3, '0')}-${createHash('sha256').update(`${options.seed}:${k}`).digest('hex').slice(0, 24)}`;
			return {
				key,
				token: createHash('sha256').update(key).digest('hex'),
				alias: `svc-${k + 1}`,
				teamId: this.teams[k % teams],
				userId: `user-${(k % (options.users ?? 6)) + 1}`,
			};
		});
		this.workflows = Array.from({ length: options.workflows ?? 5 }, (_, w) => ({
			id: `wf${w + 1}`,
			name: `Workflow ${w + 1}`,
		}));
	}

	/** Unix ms of row i (non-increasing in i). */
	timeOf(i: number): number {
		return this.endMs - Math.floor((i * this.spanMs) / Math.max(1, this.count));
	}

	/** Indices [lo, hi) of the rows with startMs ≤ time ≤ endMs. */
	indexRange(startMs: number, endMs: number): [number, number] {
		const firstAtOrBefore = (t: number) => {
			let lo = 0;
			let hi = this.count;
			while (lo < hi) {
				const mid = (lo + hi) >>> 1;
				if (this.timeOf(mid) <= t) hi = mid;
				else lo = mid + 1;
			}
			return lo;
		};
		const lo = firstAtOrBefore(endMs);
		const hi = firstAtOrBefore(startMs - 1);
		return [lo, Math.max(lo, hi)];
	}

	rowAt(i: number): SpendLogRow {
		const r = rng((this.options.seed * 2654435761) ^ (i * 40503 + 1));
		const at = this.timeOf(i);
		const key = this.keys[Math.floor(r() * this.keys.length)];
		const model = this.models[Math.floor(r() * this.models.length)];
		const roll = r();
		const failed = roll < (this.options.failureRate ?? 0.03);
		const unpriced =
			!failed && roll < (this.options.failureRate ?? 0.03) + (this.options.unpricedRate ?? 0.02);
		// Mostly small calls (sub-1e-4 costs), some large ones.
		const big = r() < 0.1;
		const prompt = failed ? 0 : Math.floor(r() * (big ? 20_000 : 400)) + 5;
		const completion = failed ? 0 : Math.floor(r() * (big ? 2_000 : 200)) + 1;
		const spend =
			failed || unpriced
				? 0
				: prompt * model.inputCostPerToken + completion * model.outputCostPerToken;
		const fromN8n = r() < (this.options.n8nRate ?? 0.4);
		const workflow = this.workflows[Math.floor(r() * this.workflows.length)];
		const endUser = r() < 0.3 ? `customer-${Math.floor(r() * 20) + 1}` : '';
		const tags = fromN8n
			? ['n8n', `n8n-workflow:${workflow.id}`, `n8n-execution:${1000 + (i % 97)}`]
			: r() < 0.5
				? ['batch']
				: [];
		const started = new Date(at).toISOString();
		const duration = Math.floor(r() * 3000) + 50;
		const requestId = `chatcmpl-seed${this.options.seed}-${i}`;
		return {
			request_id: requestId,
			call_type: 'acompletion',
			api_key: key.token,
			spend,
			total_tokens: prompt + completion,
			prompt_tokens: prompt,
			completion_tokens: completion,
			startTime: started,
			endTime: new Date(at + duration).toISOString(),
			completionStartTime: new Date(at + Math.floor(duration / 3)).toISOString(),
			request_duration_ms: duration,
			model: model.model,
			model_id: `${model.model_group}-dep-1`,
			model_group: model.model_group,
			custom_llm_provider: model.provider,
			api_base: model.api_base,
			user: key.userId,
			end_user: endUser,
			team_id: key.teamId,
			organization_id: '',
			metadata: {
				user_api_key: key.token,
				user_api_key_alias: key.alias,
				user_api_key_team_id: key.teamId,
				user_api_key_user_id: key.userId,
				spend_logs_metadata: fromN8n
					? {
							n8n_workflow_id: workflow.id,
							n8n_workflow_name: workflow.name,
							n8n_execution_id: String(1000 + (i % 97)),
							n8n_node: 'LiteLLM Chat',
						}
					: null,
				requester_metadata: {},
				attempted_retries: 0,
				max_retries: 2,
				status: failed ? 'failure' : 'success',
				...(failed
					? {
							error_information: {
								error_code: '429',
								error_class: 'RateLimitError',
								error_message:
									'litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached',
							},
						}
					: {}),
			},
			cache_hit: 'False',
			cache_key: '',
			request_tags: tags,
			session_id: null,
			status: failed ? 'failure' : 'success',
			at,
		};
	}
}

export function seedSpendLogs(options: SpendSeedOptions): SeededSpendLogs {
	return new SeededSpendLogs(options);
}
