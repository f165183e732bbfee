import type { ProviderHttp } from '../../shared/providers/http';
import { checkKey } from '../../shared/providers/check';
import type { ProviderSpec } from '../../shared/providers/types';
import type { Minted, RevokeOutcome, RotationTarget } from '../../shared/rotation/types';
import type { LiteLlmAdmin } from '../api/litellm-admin';
import type { KeyAdmin } from './key-admin';

export type LiteLlmSwitch =
	| { kind: 'none' }
	| { kind: 'credential'; name: string }
	| { kind: 'model'; modelId: string };

export interface ProviderKeyTargetOptions {
	spec: ProviderSpec;
	baseUrl: string;
	http: ProviderHttp;
	/** Where the new key comes from: given (input, staged secret) or minted by the provider's admin API. */
	source: { kind: 'given'; key: string } | { kind: 'mint'; admin: KeyAdmin };
	/** Revokes old keys where the provider allows it (the same admin API); undefined → revoke by hand. */
	revoker?: KeyAdmin;
	liteLlm?: { admin: LiteLlmAdmin; switch: LiteLlmSwitch; verifyModel?: string };
}

/**
 * A BYOK provider key: the new key is given or minted, checked at the provider (zero-token check), pointed
 * to by LiteLLM (credential or model update, so no restart) and checked through LiteLLM with a real call,
 * and the old key is revoked where the provider has an API for it.
 */
export function providerKeyTarget(options: ProviderKeyTargetOptions): RotationTarget {
	const { spec, source, liteLlm } = options;
	const minter = source.kind === 'mint' ? source.admin : undefined;
	const pointAt = async (key: string) => {
		if (!liteLlm || liteLlm.switch.kind === 'none') return;
		if (liteLlm.switch.kind === 'credential') {
			await liteLlm.admin.patchCredential(
				liteLlm.switch.name,
				{ credential_values: { api_key: key } },
				[key],
			);
		} else {
			await liteLlm.admin.updateModel(
				{ model_info: { id: liteLlm.switch.modelId }, litellm_params: { api_key: key } },
				[key],
			);
		}
	};
	return {
		canRevokeNew: Boolean(minter),
		manualRevokeHint: `${spec.displayName} has no API to revoke keys: delete the old key in its console`,
		async create(name): Promise<Minted> {
			if (source.kind === 'given') return { key: source.key };
			return source.admin.mint(name);
		},
		async discardOrphan(name) {
			return minter ? minter.discardByName(name) : 'none';
		},
		async verify(key) {
			const result = await checkKey(options.http, { spec, baseUrl: options.baseUrl, key });
			if (result.status !== 'valid' && result.status !== 'rate_limited') {
				throw new Error(
					`${spec.displayName} did not accept the new key: ${result.status}${result.httpStatus ? ` (HTTP ${result.httpStatus})` : ''}`,
				);
			}
		},
		async switchTo(key) {
			await pointAt(key);
			if (liteLlm?.verifyModel && liteLlm.switch.kind !== 'none')
				await liteLlm.admin.chatProbe(liteLlm.verifyModel);
		},
		async switchBack(oldKey) {
			await pointAt(oldKey);
		},
		revoke: options.revoker
			? async (key): Promise<RevokeOutcome> => options.revoker!.revoke(key)
			: minter
				? async (key): Promise<RevokeOutcome> => minter.revoke(key)
				: undefined,
	};
}
