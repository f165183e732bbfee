/**
 * Projects, environments, folders and versioned secrets: the state behind the Infisical double.
 *
 * Real rules copied (backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts):
 * - a missing folder is 404 "Folder with path '<p>' in environment with slug '<env>' not found";
 * - create on an existing shared name is 400 "Secret already exist" (this is what makes
 *   "create only if absent" usable as a rotation lease);
 * - update of a missing name is 404 "Secret with name <n> not found"; get is 404 "Secret with name '<n>' not
 *   found" (quotes differ in the real code too); delete is 404 "Secret not found";
 * - every write bumps `version` and keeps a version row; `getSecret({version})` reads an old row.
 * - machine identities cannot create or delete personal secrets: 400 "Must be user to create personal
 *   secret" / "Must be user to delete personal secret".
 */
import { randomUUID } from 'node:crypto';

export interface SecretMetadataEntry {
	key: string;
	value: string;
	isEncrypted?: boolean;
}

export interface SecretVersion {
	version: number;
	key: string;
	value: string;
	comment: string;
	metadata: SecretMetadataEntry[];
	at: number;
}

export interface StoredSecret {
	id: string;
	projectId: string;
	environment: string;
	secretPath: string;
	type: 'shared' | 'personal';
	key: string;
	value: string;
	comment: string;
	version: number;
	metadata: SecretMetadataEntry[];
	tagIds: string[];
	createdAt: number;
	updatedAt: number;
	versions: SecretVersion[];
}

export class StoreError extends Error {
	constructor(
		readonly status: 400 | 404,
		message: string,
	) {
		super(message);
	}
}

interface Project {
	id: string;
	environments: Set<string>;
	/** `${env}:${path}` for every folder, root included. */
	folders: Set<string>;
}

export function normalizePath(path: string | undefined): string {
	const trimmed = (path ?? '/').trim() || '/';
	const withSlash = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
	return withSlash.length > 1 ? withSlash.replace(/\/+$/, '') : '/';
}

export class SecretStore {
	private readonly projects = new Map<string, Project>();

	private readonly secrets: StoredSecret[] = [];

	constructor(private readonly now: () => number) {}

	ensureProject(id: string, environments: string[] = ['dev', 'staging', 'prod']): void {
		let project = this.projects.get(id);
		if (!project) {
			project = { id, environments: new Set(), folders: new Set() };
			this.projects.set(id, project);
		}
		for (const env of environments) {
			project.environments.add(env);
			project.folders.add(`${env}:/`);
		}
	}

	/** Creates a folder and its parents (the test's shortcut for `POST /api/v1/folders`). */
	addFolder(projectId: string, env: string, path: string): void {
		this.ensureProject(projectId, [env]);
		const project = this.projects.get(projectId)!;
		let current = '';
		for (const part of normalizePath(path).split('/').filter(Boolean)) {
			current += `/${part}`;
			project.folders.add(`${env}:${current}`);
		}
	}

	list(projectId: string, env: string, path: string, recursive = false): StoredSecret[] {
		this.requireFolder(projectId, env, path);
		const base = normalizePath(path);
		return this.secrets.filter(
			(s) =>
				s.projectId === projectId &&
				s.environment === env &&
				(s.secretPath === base || (recursive && isUnder(s.secretPath, base))),
		);
	}

	get(
		projectId: string,
		env: string,
		path: string,
		key: string,
		type: string,
		version?: number,
	): StoredSecret | SecretVersionView {
		this.requireFolder(projectId, env, path);
		const secret = this.find(projectId, env, path, key, type);
		if (!secret) throw new StoreError(404, `Secret with name '${key}' not found`);
		if (version === undefined) return secret;
		const row = secret.versions.find((v) => v.version === version);
		if (!row) throw new StoreError(404, `Secret with name '${key}' not found`);
		return {
			...secret,
			key: row.key,
			value: row.value,
			comment: row.comment,
			metadata: row.metadata,
			version: row.version,
			updatedAt: row.at,
		};
	}

	create(input: {
		projectId: string;
		environment: string;
		secretPath: string;
		key: string;
		value: string;
		comment?: string;
		type: string;
		metadata?: SecretMetadataEntry[];
		tagIds?: string[];
	}): StoredSecret {
		const path = normalizePath(input.secretPath);
		this.requireFolder(input.projectId, input.environment, path);
		if (input.type === 'personal')
			throw new StoreError(400, 'Must be user to create personal secret');
		if (this.find(input.projectId, input.environment, path, input.key, 'shared')) {
			throw new StoreError(400, 'Secret already exist');
		}
		const at = this.now();
		const secret: StoredSecret = {
			id: randomUUID(),
			projectId: input.projectId,
			environment: input.environment,
			secretPath: path,
			type: 'shared',
			key: input.key,
			value: input.value,
			comment: input.comment ?? '',
			version: 1,
			metadata: input.metadata ?? [],
			tagIds: input.tagIds ?? [],
			createdAt: at,
			updatedAt: at,
			versions: [],
		};
		secret.versions.push(versionRow(secret, at));
		this.secrets.push(secret);
		return secret;
	}

	update(input: {
		projectId: string;
		environment: string;
		secretPath: string;
		key: string;
		type: string;
		value?: string;
		comment?: string;
		newKey?: string;
		metadata?: SecretMetadataEntry[];
	}): StoredSecret {
		const path = normalizePath(input.secretPath);
		this.requireFolder(input.projectId, input.environment, path);
		if (input.type === 'personal')
			throw new StoreError(400, 'Must be user to create personal secret');
		if (input.newKey === '') throw new StoreError(400, 'New secret name cannot be empty');
		const secret = this.find(input.projectId, input.environment, path, input.key, 'shared');
		if (!secret) throw new StoreError(404, `Secret with name ${input.key} not found`);
		if (
			input.newKey &&
			input.newKey !== input.key &&
			this.find(input.projectId, input.environment, path, input.newKey, 'shared')
		) {
			throw new StoreError(400, 'Secret with the new name already exist');
		}
		const at = this.now();
		if (input.value !== undefined) secret.value = input.value;
		if (input.comment !== undefined) secret.comment = input.comment;
		if (input.newKey) secret.key = input.newKey;
		if (input.metadata !== undefined) secret.metadata = input.metadata;
		secret.version += 1;
		secret.updatedAt = at;
		secret.versions.push(versionRow(secret, at));
		return secret;
	}

	delete(projectId: string, env: string, path: string, key: string, type: string): StoredSecret {
		this.requireFolder(projectId, env, path);
		if (type === 'personal') throw new StoreError(400, 'Must be user to delete personal secret');
		const secret = this.find(projectId, env, path, key, 'shared');
		if (!secret) throw new StoreError(404, 'Secret not found');
		this.secrets.splice(this.secrets.indexOf(secret), 1);
		return secret;
	}

	private find(
		projectId: string,
		env: string,
		path: string,
		key: string,
		type: string,
	): StoredSecret | undefined {
		const p = normalizePath(path);
		return this.secrets.find(
			(s) =>
				s.projectId === projectId &&
				s.environment === env &&
				s.secretPath === p &&
				s.key === key &&
				s.type === type,
		);
	}

	private requireFolder(projectId: string, env: string, path: string): void {
		const p = normalizePath(path);
		const project = this.projects.get(projectId);
		if (!project) throw new StoreError(404, `Project with ID '${projectId}' not found`);
		if (!project.environments.has(env)) {
			throw new StoreError(
				404,
				`Environment with slug '${env}' in project with ID '${projectId}' not found`,
			);
		}
		if (!project.folders.has(`${env}:${p}`)) {
			throw new StoreError(
				404,
				`Folder with path '${p}' in environment with slug '${env}' not found`,
			);
		}
	}
}

export type SecretVersionView = StoredSecret;

function versionRow(secret: StoredSecret, at: number): SecretVersion {
	return {
		version: secret.version,
		key: secret.key,
		value: secret.value,
		comment: secret.comment,
		metadata: [...secret.metadata],
		at,
	};
}

function isUnder(path: string, base: string): boolean {
	return base === '/' ? true : path.startsWith(`${base}/`);
}
