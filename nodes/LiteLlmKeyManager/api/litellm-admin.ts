/**
 * LiteLLM's management API as the Key Manager uses it (`/credentials`, `/model/*`, `/key/*`; see docs/upstreams.md), over the shared LiteLLM
 * transport (master key from the liteLlmApi credential). Virtual keys are addressed by alias or sha256 hash,
 * never by plaintext. Provider keys do travel in credential and model bodies; those calls take the key as an
 * extra secret, so an error that echoes the request (FastAPI's 422 `input`) is redacted too.
 */
import type { IDataObject } from 'n8n-workflow';

import { GatewayError } from '../../shared/errors/classes';
import { settle } from '../../shared/settle';
import type { HttpContext } from '../../shared/transport/http';
import { type LiteLlmConnection, liteLlmRequest } from '../../shared/transport/litellm';

export interface KeyRow extends IDataObject {
	token?: string;
	key_alias?: string | null;
	key_name?: string;
	expires?: string | null;
	blocked?: boolean | null;
	models?: string[];
	metadata?: IDataObject;
}

export interface GeneratedKey extends KeyRow {
	/** Plaintext: shown once by LiteLLM. Never into an output item unless the user asked for it. */
	key: string;
	token_id?: string;
}

/** A virtual key, by alias or by hash: what delete/block/info send instead of the key. */
export type KeyRef = { alias: string } | { hash: string };

const isNotFound = (error: unknown) => error instanceof GatewayError && error.status === 404;

export class LiteLlmAdmin {
	constructor(
		private readonly ctx: HttpContext,
		readonly connection: LiteLlmConnection,
	) {}

	private async call<T>(
		method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
		path: string,
		body?: IDataObject,
		qs?: IDataObject,
		secrets: string[] = [],
	): Promise<T> {
		const connection = secrets.length
			? { ...this.connection, secrets: [...this.connection.secrets, ...secrets] }
			: this.connection;
		const { data } = await liteLlmRequest<T>(this.ctx, connection, {
			method,
			path,
			body,
			qs,
			timeoutMs: 30_000,
		});
		return data;
	}

	/** `secrets`: a caller-chosen `key` in the body, redacted from any error. */
	generateKey(body: IDataObject, secrets: string[] = []): Promise<GeneratedKey> {
		return this.call<GeneratedKey>('POST', '/key/generate', body, undefined, secrets);
	}

	/** The key row by hash; undefined when LiteLLM does not know it. */
	async keyInfo(hash: string): Promise<KeyRow | undefined> {
		const outcome = await settle(
			this.call<{ info?: KeyRow }>('GET', '/key/info', undefined, { key: hash }),
		);
		if (outcome.ok)
			return {
				...(outcome.value.info ?? {}),
				token: (outcome.value.info?.token as string | undefined) ?? hash,
			};
		if (isNotFound(outcome.error)) return undefined;
		throw outcome.error;
	}

	/** Every key (full rows), page by page; `filter` is passed as query (key_alias, team_id, user_id). */
	async listKeys(filter: IDataObject = {}, maxPages = 1000): Promise<KeyRow[]> {
		const rows: KeyRow[] = [];
		for (let page = 1; page <= maxPages; page++) {
			const data = await this.call<{ keys?: Array<KeyRow | string>; total_pages?: number }>(
				'GET',
				'/key/list',
				undefined,
				{
					...filter,
					page,
					size: 100,
					return_full_object: 'true',
				},
			);
			for (const key of data.keys ?? []) rows.push(typeof key === 'string' ? { token: key } : key);
			if (!data.total_pages || page >= data.total_pages) break;
		}
		return rows;
	}

	/** The row behind a reference; undefined if there is none. */
	async findKey(ref: KeyRef): Promise<KeyRow | undefined> {
		if ('hash' in ref) return this.keyInfo(ref.hash);
		const rows = await this.listKeys({ key_alias: ref.alias });
		return rows.find((r) => r.key_alias === ref.alias);
	}

	updateKey(hash: string, fields: IDataObject): Promise<KeyRow> {
		return this.call<KeyRow>('POST', '/key/update', { ...fields, key: hash });
	}

	/** Deletes by alias or hash; 'not_found' when LiteLLM has no such key (404 counts as done). */
	async deleteKey(ref: KeyRef): Promise<'deleted' | 'not_found'> {
		const body = 'hash' in ref ? { keys: [ref.hash] } : { key_aliases: [ref.alias] };
		const outcome = await settle(this.call('POST', '/key/delete', body));
		if (outcome.ok) return 'deleted';
		if (isNotFound(outcome.error)) return 'not_found';
		throw outcome.error;
	}

	blockKey(hash: string): Promise<KeyRow> {
		return this.call<KeyRow>('POST', '/key/block', { key: hash });
	}

	unblockKey(hash: string): Promise<KeyRow> {
		return this.call<KeyRow>('POST', '/key/unblock', { key: hash });
	}

	regenerateKey(hash: string, body: IDataObject, secrets: string[] = []): Promise<GeneratedKey> {
		return this.call<GeneratedKey>(
			'POST',
			'/key/regenerate',
			{ ...body, key: hash },
			undefined,
			secrets,
		);
	}

	/** `secrets`: the provider key(s) in the body, redacted from any error. */
	createCredential(body: IDataObject, secrets: string[]): Promise<IDataObject> {
		return this.call('POST', '/credentials', body, undefined, secrets);
	}

	patchCredential(name: string, body: IDataObject, secrets: string[]): Promise<IDataObject> {
		return this.call('PATCH', `/credentials/${encodeURIComponent(name)}`, body, undefined, secrets);
	}

	async listCredentials(): Promise<IDataObject[]> {
		const data = await this.call<{ credentials?: IDataObject[] }>('GET', '/credentials');
		return data.credentials ?? [];
	}

	newModel(body: IDataObject, secrets: string[] = []): Promise<IDataObject> {
		return this.call('POST', '/model/new', body, undefined, secrets);
	}

	updateModel(body: IDataObject, secrets: string[]): Promise<IDataObject> {
		return this.call('POST', '/model/update', body, undefined, secrets);
	}

	async modelInfo(): Promise<IDataObject[]> {
		const data = await this.call<{ data?: IDataObject[] }>('GET', '/model/info');
		return data.data ?? [];
	}

	/** One tiny completion with the master key on a model group: proves the group's upstream key works. */
	async chatProbe(model: string): Promise<void> {
		await this.call('POST', '/chat/completions', {
			model,
			max_tokens: 1,
			messages: [{ role: 'user', content: 'ping' }],
		});
	}
}
