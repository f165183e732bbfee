/**
 * Loads a community package the way n8n does: `PackageDirectoryLoader` from n8n-core reads the package.json
 * `n8n` section and requires the files it lists (for this repository, the BUILT `dist/` files, so
 * `npm run build` must have run). Cached per root, so a test file pays for loading once.
 */
import 'reflect-metadata';

import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';
import {
	type ICredentialType,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
	NodeHelpers,
} from 'n8n-workflow';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

export interface LoadedPackage {
	/** Real path of the package root. */
	root: string;
	/** package.json `name`; n8n prefixes node types with it (`n8n-nodes-litellm.liteLlmChat`). */
	packageName: string;
	loader: PackageDirectoryLoader;
	/** What `Workflow` needs; accepts full (`pkg.name`) and short (`name`) node type names. */
	nodeTypes: INodeTypes;
	/** Short node type names, e.g. `liteLlmChat`. */
	nodeTypeNames: string[];
	credentialTypeNames: string[];
	/** `liteLlmChat` → `n8n-nodes-litellm.liteLlmChat`; a name that already has the prefix is returned as is. */
	fullNodeType(name: string): string;
	getNodeType(name: string): INodeType | IVersionedNodeType;
	getCredentialType(name: string): ICredentialType;
}

const cache = new Map<string, Promise<LoadedPackage>>();

export async function loadPackage(root: string = REPO_ROOT): Promise<LoadedPackage> {
	const key = path.resolve(root);
	let loaded = cache.get(key);
	if (!loaded) {
		loaded = load(key);
		cache.set(key, loaded);
		// A failed load (say, before `npm run build`) must not stick for the next attempt.
		loaded.catch(() => cache.delete(key));
	}
	return await loaded;
}

async function load(root: string): Promise<LoadedPackage> {
	const loader = new PackageDirectoryLoader(root);
	assertListedFilesExist(loader);
	await loader.loadAll();
	const { packageName } = loader;
	const prefix = `${packageName}.`;
	const shortName = (name: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);

	const getNodeType = (name: string): INodeType | IVersionedNodeType =>
		loader.getNode(shortName(name)).type;

	const nodeTypes: INodeTypes = {
		getByName: (name) => getNodeType(name),
		getByNameAndVersion: (name, version) =>
			NodeHelpers.getVersionedNodeType(getNodeType(name), version),
		getKnownTypes: () => loader.known.nodes,
	};

	return {
		root: realpathSync(root),
		packageName,
		loader,
		nodeTypes,
		nodeTypeNames: Object.keys(loader.nodeTypes),
		credentialTypeNames: Object.keys(loader.credentialTypes),
		fullNodeType: (name) => (name.startsWith(prefix) ? name : `${prefix}${name}`),
		getNodeType,
		getCredentialType: (name) => loader.getCredential(name).type,
	};
}

/** n8n would fail with a bare "Cannot find module"; say which listed file is missing and why. */
function assertListedFilesExist(loader: PackageDirectoryLoader): void {
	const n8n = (loader.packageJson as { n8n?: { nodes?: string[]; credentials?: string[] } }).n8n;
	const listed = [...(n8n?.nodes ?? []), ...(n8n?.credentials ?? [])];
	const missing = listed.filter((file) => !existsSync(path.resolve(loader.directory, file)));
	if (missing.length > 0) {
		throw new Error(
			`Package at ${loader.directory} lists files that do not exist: ${missing.join(', ')}. ` +
				'Run `npm run build` first (the engine tests load the built package, as n8n does).',
		);
	}
}
