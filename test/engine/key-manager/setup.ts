/**
 * Shared set-up of the Key Manager's engine tests: Infisical, LiteLLM (with the key-management routes) and
 * the provider simulators on loopback, and `km()` that runs the built node in n8n-core's WorkflowExecute.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { generationOf } from '../../../nodes/shared/claim/chain';
import { leaseChain, parseLease } from '../../../nodes/shared/rotation/lease';
import type { LeaseState } from '../../../nodes/shared/rotation/types';
import { runNode, type NodeRun } from '../harness';
import { readFixture } from '../../simulators/fixtures';
import { InfisicalSimulator } from '../../simulators/infisical';
import { LiteLlmSimulator } from '../../simulators/litellm';
import {
	registerKeyManagement,
	type KeyManagementControl,
	type KeyManagementOptions,
} from '../../simulators/litellm/keys';
import { ProviderSimulator } from '../../simulators/providers/simulator';

export const MASTER_KEY = 'sk-master-keymanager-0001';
export const CLIENT = {
	clientId: 'km-client-id',
	clientSecret: 'km-client-secret-very-secret-0001',
};
export const PROJECT = 'proj-km';
export const ENV = 'prod';
export const FOLDER = '/litellm';

export interface Sims {
	infisical: InfisicalSimulator;
	litellm: LiteLlmSimulator;
	litellmAdmin: KeyManagementControl;
	providers: ProviderSimulator;
	stop(): Promise<void>;
}

export async function startSims(options: KeyManagementOptions = {}): Promise<Sims> {
	const infisical = new InfisicalSimulator();
	infisical.addIdentity(CLIENT);
	infisical.project(PROJECT).addFolder(ENV, FOLDER);
	const litellm = new LiteLlmSimulator({
		configYaml: readFixture('litellm-config.yaml'),
		env: { LITELLM_MASTER_KEY: MASTER_KEY },
	});
	const litellmAdmin = registerKeyManagement(litellm.server, litellm.ctx, options);
	const providers = new ProviderSimulator();
	await Promise.all([infisical.start(), litellm.start(), providers.start()]);
	return {
		infisical,
		litellm,
		litellmAdmin,
		providers,
		stop: async () => {
			await Promise.all([infisical.stop(), litellm.stop(), providers.stop()]);
		},
	};
}

export function credentials(sims: Sims, extra: IDataObject = {}) {
	return {
		liteLlmInfisicalApi: {
			siteUrl: sims.infisical.url,
			...CLIENT,
			projectId: PROJECT,
			environment: ENV,
			folderPath: FOLDER,
			accessToken: '',
		},
		liteLlmApi: { baseUrl: sims.litellm.url, apiKey: MASTER_KEY },
		...extra,
	};
}

export function km(
	sims: Sims,
	parameters: IDataObject,
	options: {
		items?: INodeExecutionData[];
		continueOnFail?: boolean;
		credentials?: IDataObject;
	} = {},
): Promise<NodeRun> {
	return runNode({
		nodeType: 'liteLlmKeyManager',
		parameters: parameters as never,
		credentials: { ...credentials(sims), ...(options.credentials ?? {}) } as never,
		items: options.items,
		continueOnFail: options.continueOnFail,
	});
}

/** The secrets of the folder, straight from the simulator (no HTTP). */
export function folder(sims: Sims) {
	return sims.infisical.secrets(PROJECT, ENV, FOLDER);
}

export function secretValue(sims: Sims, name: string): string | undefined {
	return folder(sims).find((s) => s.secretKey === name)?.secretValue;
}

/** Names of every generation of a key's rotation lease chain in the folder, oldest first. */
export function leaseNames(sims: Sims, secretName: string): string[] {
	const chain = leaseChain(secretName);
	return folder(sims)
		.map((s) => ({ name: s.secretKey, generation: generationOf(chain, s.secretKey) }))
		.filter((l) => l.generation !== undefined)
		.sort((a, b) => a.generation! - b.generation!)
		.map((l) => l.name);
}

/** The lease a rotation of the key holds (the chain's head), or undefined when none does (released or absent). */
export function heldLease(sims: Sims, secretName: string): LeaseState | undefined {
	const head = leaseNames(sims, secretName).at(-1);
	const lease = head ? parseLease(secretValue(sims, head)) : undefined;
	return lease && !lease.released ? lease : undefined;
}
