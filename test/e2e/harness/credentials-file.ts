/** Shapes of what the harness imports through the n8n CLI (`n8n import:credentials`: an array of `{id, name, type, data}`, `data` a plain object that n8n encrypts). */

/** One credential for `n8n import:credentials`: `data` as a plain object is encrypted with the instance key. */
export interface CredentialImport {
	/** Keep it stable so workflows can refer to it: `credentials: { liteLlmApi: { id, name } }`. */
	id: string;
	name: string;
	/** The credential type name, e.g. `liteLlmApi` (credential types carry no package prefix). */
	type: string;
	data: Record<string, unknown>;
}

/** A workflow as n8n exports it; only the fields the harness reads are typed. */
export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}
