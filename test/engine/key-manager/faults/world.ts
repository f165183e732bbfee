/**
 * The rotation kinds of the fault-injection suite, each seeded into fresh simulators, and what the invariant
 * checker asks of them: which keys work (read from the simulators' own state or a real call), which keys are
 * alive upstream, what LiteLLM's credential holds. Keys are compared by fingerprint (sha256 prefix), the
 * only form the package ever outputs.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../../harness';
import type { SimServer } from '../../../simulators/http/server';
import { OpenRouterSimulator } from '../../../simulators/openrouter';
import { registerOpenRouterKeysApi } from '../../../simulators/providers';
import { generationOf } from '../../../../nodes/shared/claim/chain';
import { fingerprint } from '../../../../nodes/shared/redact';
import { leaseChain } from '../../../../nodes/shared/rotation/lease';
import {
	credentials,
	ENV,
	folder,
	FOLDER,
	MASTER_KEY,
	PROJECT,
	secretValue,
	type Sims,
	startSims,
} from '../setup';

export const SECRET = 'ROTATED_KEY';
const CREDENTIAL = 'rotated-byok';

export interface World {
	sims: Sims;
	/** Fingerprint of the key stored before the rotation. */
	old: string;
	/** Fingerprint → works right now at its upstream (provider, or LiteLLM for virtual keys). */
	works(fp: string): Promise<boolean>;
	/** Fingerprints of every key alive upstream that the scenario can see. */
	live(): Promise<string[]>;
	/** Keys the user gave the rotation: they hold them, so such a key alive upstream is nobody's loss. */
	given?: string[];
	/** The name a key was minted under, where the provider cannot list keys (reported by name, not fingerprint). */
	mintedName?(fp: string): string | undefined;
	/** The fingerprint of the key LiteLLM's credential holds (kinds that switch a credential). */
	gateway?(): string | undefined;
	/** Remaining budget of every live virtual key, summed (virtual kinds). */
	budgetLeft?(): number;
	/**
	 * Runs the rotation as one execution of the Key Manager in n8n-core's engine, under the kind's fixed
	 * Rotation ID unless one is given (separate triggers, each its own rotation).
	 */
	rotate(executionId: string, rotationId?: string): Promise<RunResult>;
	servers: Record<string, SimServer>;
	stop(): Promise<void>;
}

export interface RunResult {
	json: IDataObject;
	/** Everything the run showed a person (items, error), as text: reported fingerprints are looked up here. */
	text: string;
}

export interface Kind {
	name: string;
	seed(): Promise<World>;
}

const OLD_PPLX = 'pplx-faultOldKey0000000000000000000001';
const OLD_GROQ = 'gsk_faultOldGroqKey000000000000000001';
const NEW_GROQ = 'gsk_faultNewGroqKey000000000000000002';

async function post(url: string, body: unknown): Promise<IDataObject> {
	const res = await fetch(url, {
		method: 'POST',
		headers: { Authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (!res.ok) throw new Error(`seed ${url}: ${res.status} ${await res.text()}`);
	return (await res.json()) as IDataObject;
}

function seedSecret(sims: Sims, value: string, meta: IDataObject): void {
	sims.infisical.seedSecret({
		projectId: PROJECT,
		environment: ENV,
		secretPath: FOLDER,
		secretKey: SECRET,
		secretValue: value,
		secretComment: JSON.stringify({ managedBy: 'n8n-nodes-litellm', ...meta }),
	});
}

async function run(
	sims: Sims,
	executionId: string,
	parameters: IDataObject,
	items?: INodeExecutionData[],
	extra: IDataObject = {},
): Promise<RunResult> {
	const result = await runNode({
		nodeType: 'liteLlmKeyManager',
		parameters: parameters as never,
		credentials: credentials(sims, extra) as never,
		continueOnFail: true,
		executionId,
		items,
	});
	const json = result.items[0]?.json ?? { error: result.error?.message ?? 'no output' };
	return { json, text: JSON.stringify([result.items, result.error ?? null]) };
}

/** Provider keys: the simulator's key table says what works. */
function providerWorld(
	sims: Sims,
	provider: string,
	old: string,
	parameters: IDataObject,
	items?: INodeExecutionData[],
): World {
	const active = () =>
		sims.providers
			.keys(provider)
			.filter((k) => k.state === 'valid')
			.map((k) => k.key);
	return {
		sims,
		old: fingerprint(old),
		works: async (fp) => active().some((k) => fingerprint(k) === fp),
		live: async () => active().map(fingerprint),
		mintedName: (fp) =>
			sims.providers.minted(provider).find((m) => fingerprint(m.key) === fp)?.name,
		gateway: () => {
			const key = sims.litellm.ctx.state.credentials.get(CREDENTIAL)?.credential_values.api_key;
			return typeof key === 'string' ? fingerprint(key) : undefined;
		},
		rotate: (executionId, rotationId) =>
			run(sims, executionId, { ...parameters, ...(rotationId ? { rotationId } : {}) }, items),
		servers: {
			infisical: sims.infisical.server,
			litellm: sims.litellm.server,
			providers: sims.providers.server,
		},
		stop: () => sims.stop(),
	};
}

async function withCredential(sims: Sims, key: string): Promise<void> {
	await post(`${sims.litellm.url}/credentials`, {
		credential_name: CREDENTIAL,
		credential_values: { api_key: key },
		credential_info: { custom_llm_provider: 'perplexity' },
	});
}

/** Perplexity: minted through its key API, switched in a LiteLLM credential, the old key revoked. */
const perplexityMint: Kind = {
	name: 'provider key minted (Perplexity) + LiteLLM credential',
	async seed() {
		const sims = await startSims();
		sims.providers.addKey('perplexity', OLD_PPLX);
		seedSecret(sims, OLD_PPLX, {
			kind: 'provider-key',
			provider: 'perplexity',
			baseUrl: sims.providers.baseUrl('perplexity'),
		});
		await withCredential(sims, OLD_PPLX);
		return providerWorld(sims, 'perplexity', OLD_PPLX, {
			resource: 'providerKey',
			operation: 'rotateProviderKey',
			keyName: SECRET,
			newKeySource: 'mint',
			liteLlmUpdate: 'credential',
			credentialName: CREDENTIAL,
			revokeOld: true,
			rotationId: 'rot-fault',
		});
	},
};

/** Groq: a key given by the user, switched in a LiteLLM credential; Groq has no key API. */
const groqGiven: Kind = {
	name: 'provider key given (Groq) + LiteLLM credential',
	async seed() {
		const sims = await startSims();
		sims.providers.addKey('groq', OLD_GROQ);
		sims.providers.addKey('groq', NEW_GROQ);
		seedSecret(sims, OLD_GROQ, {
			kind: 'provider-key',
			provider: 'groq',
			baseUrl: sims.providers.baseUrl('groq'),
		});
		await withCredential(sims, OLD_GROQ);
		const world = providerWorld(
			sims,
			'groq',
			OLD_GROQ,
			{
				resource: 'providerKey',
				operation: 'rotateProviderKey',
				keyName: SECRET,
				newKeySource: 'inputField',
				newKeyField: 'next',
				liteLlmUpdate: 'credential',
				credentialName: CREDENTIAL,
				rotationId: 'rot-fault',
			},
			[{ json: { next: NEW_GROQ } }],
		);
		return { ...world, given: [fingerprint(NEW_GROQ)] };
	},
};

const OLD_OPENROUTER = `sk-or-v1-${'0'.repeat(62)}01`;
const MANAGEMENT = `sk-or-v1-${'9'.repeat(62)}99`;

/** OpenRouter: minted and revoked through its management API (by hash); consumers read Infisical. */
const openRouterMint: Kind = {
	name: 'provider key minted (OpenRouter)',
	async seed() {
		const sims = await startSims();
		const openrouter = new OpenRouterSimulator();
		// The management API and the key check share one key table, as at OpenRouter.
		const api = registerOpenRouterKeysApi(openrouter.server, {
			prefix: '/api/v1',
			isManagementKey: (key) => key === MANAGEMENT,
			onCreate: (key) => openrouter.addKey({ key }),
			onDelete: (_key, record) => openrouter.ctx.keys.byHash.delete(record.hash),
		});
		await openrouter.start();
		openrouter.addKey({ key: OLD_OPENROUTER });
		api.add(OLD_OPENROUTER);
		seedSecret(sims, OLD_OPENROUTER, {
			kind: 'provider-key',
			provider: 'openrouter',
			baseUrl: openrouter.baseUrl,
		});
		const live = () =>
			api
				.records()
				.filter((r) => !r.disabled)
				.map((r) => r.hash.slice(0, 12));
		return {
			sims,
			old: fingerprint(OLD_OPENROUTER),
			works: async (fp) => live().includes(fp),
			live: async () => live(),
			mintedName: (fp) => api.records().find((r) => r.hash.startsWith(fp))?.name,
			rotate: (executionId, rotationId = 'rot-fault') =>
				run(
					sims,
					executionId,
					{
						resource: 'providerKey',
						operation: 'rotateProviderKey',
						keyName: SECRET,
						newKeySource: 'mint',
						liteLlmUpdate: 'none',
						revokeOld: true,
						rotationId,
					},
					undefined,
					{
						liteLlmOpenRouterApi: { apiKey: MANAGEMENT, baseUrl: openrouter.baseUrl },
					},
				),
			servers: { infisical: sims.infisical.server, openrouter: openrouter.server },
			stop: async () => {
				await Promise.all([sims.stop(), openrouter.stop()]);
			},
		};
	},
};

/** LiteLLM virtual keys: a real call with the key says whether it works; rows (and deprecated hashes) say what lives. */
function virtualKind(name: string, regenerate: 'never' | 'always'): Kind {
	return {
		name,
		async seed() {
			const sims = await startSims({ enterprise: regenerate === 'always' });
			const generated = await post(`${sims.litellm.url}/key/generate`, {
				key_alias: 'svc',
				models: [],
				max_budget: 10,
				budget_duration: '30d',
				spend: 2,
				metadata: { service: 'svc' },
			});
			const old = String(generated.key);
			seedSecret(sims, old, { kind: 'virtual-key' });
			const state = sims.litellm.ctx.state;
			const now = () => sims.litellm.ctx.options.clock();
			const liveRows = () =>
				[...state.keys.values()].filter(
					(r) => !r.blocked && (!r.expires || Date.parse(r.expires) > now()),
				);
			return {
				sims,
				old: fingerprint(old),
				works: async (fp) => {
					const row = state.authRow(
						[...state.keys.keys(), ...state.deprecated.keys()].find((t) => t.startsWith(fp)) ?? '',
						now(),
					);
					return Boolean(row && !row.blocked && (!row.expires || Date.parse(row.expires) > now()));
				},
				live: async () => [
					...liveRows().map((r) => r.token.slice(0, 12)),
					...[...state.deprecated]
						.filter(([, d]) => d.revokeAt > now())
						.map(([t]) => t.slice(0, 12)),
				],
				budgetLeft: () =>
					liveRows().reduce(
						(sum, r) => sum + (r.max_budget === null ? Infinity : r.max_budget - r.spend),
						0,
					),
				rotate: (executionId, rotationId = 'rot-fault') =>
					run(sims, executionId, {
						resource: 'virtualKey',
						operation: 'rotateVirtualKey',
						keyName: SECRET,
						regenerate,
						oldKeyAction: 'expire',
						gracePeriod: '1h',
						rotationId,
					}),
				servers: { infisical: sims.infisical.server, litellm: sims.litellm.server },
				stop: () => sims.stop(),
			};
		},
	};
}

const virtualGenerate = virtualKind('virtual key by generate-and-retire', 'never');
const virtualRegenerate = virtualKind('virtual key by regenerate', 'always');

export const KINDS = {
	openRouterMint,
	perplexityMint,
	groqGiven,
	virtualGenerate,
	virtualRegenerate,
};

/** The head of the key's lease chain (the highest generation), read from Infisical's own state. */
export function leaseHead(sims: Sims): { name: string; value: string } | undefined {
	const chain = leaseChain(SECRET);
	const links = folder(sims)
		.map((s) => ({ s, generation: generationOf(chain, s.secretKey) }))
		.filter((l) => l.generation !== undefined)
		.sort((a, b) => a.generation! - b.generation!);
	const head = links.at(-1);
	return head ? { name: head.s.secretKey, value: head.s.secretValue } : undefined;
}

/** The stored key and the lease (a released head holds none), read from Infisical's own state. */
export function stored(sims: Sims): {
	key?: string;
	lease?: { pendingKey?: string; revokeLater?: string[]; expiresAt: number };
} {
	const key = secretValue(sims, SECRET);
	const raw = leaseHead(sims)?.value;
	const lease = raw
		? (JSON.parse(raw) as {
				pendingKey?: string;
				revokeLater?: string[];
				expiresAt: number;
				released?: boolean;
			})
		: undefined;
	return { key, lease: lease && !lease.released ? lease : undefined };
}

/** Time passes over a lease: it runs out, as when its owner died. */
export function expireLease(sims: Sims): void {
	const head = leaseHead(sims);
	if (!head) return;
	sims.infisical.editSecret(
		{ projectId: PROJECT, environment: ENV, secretPath: FOLDER, secretKey: head.name },
		(value) => JSON.stringify({ ...JSON.parse(value), expiresAt: 0 }),
	);
}
