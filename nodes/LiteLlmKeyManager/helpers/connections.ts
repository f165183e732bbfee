import type { IExecuteFunctions } from 'n8n-workflow';

import { providerHttp, type ProviderHttp } from '../../shared/providers/http';
import {
	infisicalConnection,
	type InfisicalConnection,
	infisicalStore,
	type SecretStore,
} from '../../shared/transport/infisical';
import { liteLlmConnection } from '../../shared/transport/litellm';
import { LiteLlmAdmin } from '../api/litellm-admin';

export interface KeyStore {
	store: SecretStore;
	connection: InfisicalConnection;
}

export async function keyStore(ctx: IExecuteFunctions): Promise<KeyStore> {
	const connection = await infisicalConnection(ctx);
	return { store: infisicalStore(ctx, connection), connection };
}

export async function liteLlmAdmin(ctx: IExecuteFunctions): Promise<LiteLlmAdmin> {
	return new LiteLlmAdmin(ctx, await liteLlmConnection(ctx));
}

export function http(ctx: IExecuteFunctions): ProviderHttp {
	return providerHttp(ctx);
}
