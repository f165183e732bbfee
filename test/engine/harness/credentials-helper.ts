/**
 * An `ICredentialsHelper` that behaves like n8n's CLI `CredentialsHelper` (packages/cli/src/credentials-helper.ts,
 * read for n8n 2.41) where a node can tell the difference, with an in-memory store instead of the database:
 * - `getDecrypted` fills credential-type defaults (`NodeHelpers.getNodeParameters`) and resolves expressions;
 * - `authenticate` calls a function `authenticate` as is, or resolves a generic one's `={{$credentials.x}}`
 *   keys and values through the workflow's expression engine into headers / qs / body / auth;
 * - `preAuthentication` runs only for a type with a hidden `expirable` property, only when that property is
 *   empty or n8n-core says the credentials expired (it retries once on 401), writes the output back to the
 *   store (so the next `getDecrypted` in the same run carries the token) and merges it into the credentials;
 *   requests the hook makes honour the credential's own `allowedDomains`, as the CLI does.
 * Not implemented: credential tests (`test.request`), overwrites, external secrets, dynamic credentials.
 */
import {
	type ICredentialDataDecryptedObject,
	ICredentials,
	type ICredentialsEncrypted,
	type ICredentialsExpressionResolveValues,
	ICredentialsHelper,
	type ICredentialType,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	NodeHelpers,
	UserError,
	type Workflow,
	type WorkflowExecuteMode,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
} from 'n8n-workflow';
import { getAdditionalKeys } from 'n8n-core';

import type { LoadedPackage } from './load-package';

export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

/** The id the harness gives the credential of each type on the node (`node.credentials[type].id`). */
export const testCredentialId = (type: string): string => `cred-${type}`;

/** What happened to credentials during a run; tests assert on it. */
export interface CredentialEvent {
	kind: 'getDecrypted' | 'preAuthentication' | 'update';
	type: string;
	/** preAuthentication only: whether n8n-core asked because the last request got a 401. */
	expired?: boolean;
}

/** Plain (unencrypted) stored credentials: the store's view of one row. */
class StoredCredentials extends ICredentials {
	constructor(
		details: INodeCredentialsDetails,
		type: string,
		private readonly store: Map<string, ICredentialDataDecryptedObject>,
	) {
		super(details, type);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return structuredClone(this.store.get(this.type) ?? {});
	}

	getDataToSave(): ICredentialsEncrypted {
		return {
			id: this.id,
			name: this.name,
			type: this.type,
			data: JSON.stringify(this.store.get(this.type) ?? {}),
		};
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.set(this.type, structuredClone(data));
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const next = {
			...(this.store.get(this.type) ?? {}),
			...toUpdate,
		} as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete next[key];
		this.store.set(this.type, next);
	}
}

export class TestCredentialsHelper extends ICredentialsHelper {
	/** Stored credential data per type, as a user saved it (plus what preAuthentication wrote back). */
	private readonly store = new Map<string, ICredentialDataDecryptedObject>();

	readonly events: CredentialEvent[] = [];

	constructor(
		private readonly pkg: LoadedPackage,
		credentials: TestCredentials = {},
	) {
		super();
		for (const [type, data] of Object.entries(credentials)) {
			this.pkg.getCredentialType(type); // fail early on a typo
			this.store.set(type, structuredClone(data));
		}
	}

	/** The stored data now (after any preAuthentication write-back), per type. */
	snapshot(): TestCredentials {
		return Object.fromEntries([...this.store].map(([type, data]) => [type, structuredClone(data)]));
	}

	private credentialType(type: string): ICredentialType {
		return this.pkg.getCredentialType(type);
	}

	getParentTypes(typeName: string): string[] {
		let type: ICredentialType;
		try {
			type = this.credentialType(typeName);
		} catch {
			return [];
		}
		const parents = type.extends ?? [];
		return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		let type: ICredentialType;
		try {
			type = this.credentialType(credentialType);
		} catch {
			return true;
		}
		if (!type.restrictToSupportedNodes) return true;
		const supported = this.pkg.loader.known.credentials[credentialType]?.supportedNodes ?? [];
		return supported.map((name) => this.pkg.fullNodeType(name)).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialType(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) {
				throw new Error('Workflow and node are required for declarative credential authentication');
			}
			requestOptions.headers ??= {};
			const target = requestOptions as unknown as Record<
				string,
				Record<string, unknown> | undefined
			>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					const keyResolved = resolveValue(key, credentials, workflow, node);
					const valueResolved = resolveValue(value, credentials, workflow, node);
					target[outerKey] ??= {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialType(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof credentialType.preAuthentication !== 'function')
			return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		this.events.push({ kind: 'preAuthentication', type: typeName, expired: credentialsExpired });
		const output = (await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		if (!node.credentials) return undefined;

		// Persist like the CLI: the expirable field always, other fields unless stored as expressions.
		const stored = this.store.get(typeName) ?? {};
		const toPersist: ICredentialDataDecryptedObject = { ...stored };
		for (const [key, value] of Object.entries(output)) {
			if (key === expirable.name || !isExpression(stored[key])) toPersist[key] = value;
		}
		await this.updateCredentials(node.credentials[typeName], typeName, toPersist);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.credentialType(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		const output = await preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return output as ICredentialDataDecryptedObject;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		this.assertStored(type);
		return new StoredCredentials(nodeCredentials, type, this.store);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		this.assertStored(type);
		this.events.push({ kind: 'getDecrypted', type });
		const original = structuredClone(this.store.get(type)!);
		if (raw === true) return original;

		let data = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			original as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		// n8n 2.x keeps these domain-allowlist fields even though no property declares them.
		for (const key of ['allowedHttpRequestDomains', 'allowedDomains', 'oauthTokenData']) {
			if (data[key] === undefined && original[key] !== undefined) data[key] = original[key];
		}

		if (expressionResolveValues && Object.values(data).some(isExpression)) {
			try {
				data = expressionResolveValues.workflow.expression.getParameterValue(
					data as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					getAdditionalKeys(additionalData, mode, null),
					executeData,
					false,
					data,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				(error as Error).message += ' [Error resolving credentials]';
				throw error;
			}
		}
		return data;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.events.push({ kind: 'update', type });
		this.store.set(type, structuredClone(data));
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.events.push({ kind: 'update', type });
		this.store.set(type, { ...(this.store.get(type) ?? {}), oauthTokenData: data.oauthTokenData });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialType(type);
		if (credentialType.extends === undefined) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	private assertStored(type: string): void {
		if (!this.store.has(type)) {
			throw new Error(
				`The test gave no credentials of type "${type}" (runNode({ credentials: { ${type}: {...} } }))`,
			);
		}
	}
}

function resolveValue(
	value: string,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): string {
	if (!isExpression(value)) return value;
	const resolved = workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
	return resolved ? resolved.toString() : '';
}

/** The CLI narrows the hook's helpers to `httpRequest` and applies the credential's own domain allowlist. */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	} as IHttpRequestHelper;
}
