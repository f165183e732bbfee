/**
 * Key management for the LiteLLM double: `/key/*`, `/credentials`, `/model/new|update|delete`.
 *
 *   const sim = new LiteLlmSimulator({...});
 *   const admin = registerKeyManagement(sim.server, sim.ctx, { onCredentialChange: (row) => … });
 *   admin.setEnterprise(true);   // /key/regenerate works
 *
 * Registered from a test (additive; index.ts of the simulator is untouched).
 */
import type { SimServer } from '../../http/server';
import type { LiteLlmContext } from '../context';
import type { CredentialRow, KeyRow } from '../state';
import { registerCredentialRoutes } from './credentials';
import { registerKeyRoutes } from './keys';
import { registerModelAdminRoutes } from './models-admin';

export interface KeyManagementOptions {
	enterprise?: boolean;
	onCredentialChange?: (row: CredentialRow) => void;
}

export interface KeyManagementControl {
	setEnterprise(on: boolean): void;
	/** Rows removed through /key/delete (LiteLLM_DeletedVerificationToken). */
	deleted: KeyRow[];
}

export function registerKeyManagement(
	server: SimServer,
	ctx: LiteLlmContext,
	options: KeyManagementOptions = {},
): KeyManagementControl {
	let enterprise = options.enterprise ?? false;
	const deleted: KeyRow[] = [];
	registerKeyRoutes(server, ctx, { enterprise: () => enterprise, deleted });
	registerCredentialRoutes(server, ctx, options.onCredentialChange ?? (() => undefined));
	registerModelAdminRoutes(server, ctx);
	return { setEnterprise: (on) => (enterprise = on), deleted };
}
