/**
 * Runs the package's nodes inside n8n-core's real `WorkflowExecute` (as n8n's own node test harness does):
 * a `Workflow` of one node, or of several wired in a chain, the input items put on the node execution stack
 * of the first node (no trigger node: n8n-nodes-base is not installed), `processRunExecutionData`, and the
 * run data read back per node.
 */
import 'reflect-metadata';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	type ExecutionError,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeCredentials,
	type INodeExecutionData,
	type INodeParameters,
	type IRun,
	type ITaskData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type StructuredChunk,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';

import {
	type CredentialEvent,
	type TestCredentials,
	TestCredentialsHelper,
	testCredentialId,
} from './credentials-helper';
import { captureLogs, type LogEntry } from './capture-logs';
import { type LoadedPackage, loadPackage } from './load-package';

export interface WorkflowNodeSpec {
	/** Node name in the workflow; defaults to the node type's `defaults.name` (numbered when repeated). */
	name?: string;
	/** Short (`liteLlmChat`) or full (`n8n-nodes-litellm.liteLlmChat`) node type name. */
	nodeType: string;
	parameters: INodeParameters;
	/** Defaults to the node type's latest version. */
	typeVersion?: number;
	/** Sets `onError: 'continueRegularOutput'`, which is what the editor's "Continue" writes. */
	continueOnFail?: boolean;
	/** Overrides `continueOnFail`, e.g. `'continueErrorOutput'`. */
	onError?: INode['onError'];
	/** Credential types to attach; defaults to every given credential type this node type declares. */
	credentialTypes?: string[];
}

export interface RunWorkflowOptions {
	/** Run in this order; node i's main output 0 feeds node i+1. */
	nodes: WorkflowNodeSpec[];
	/** Plain credential data per credential type name (the helper stores them, as n8n's DB would). */
	credentials?: TestCredentials;
	/** Input of the first node. Default `[{ json: {} }]`. */
	items?: INodeExecutionData[];
	workflow?: { id: string; name: string };
	executionId?: string;
	/** Workflow static data before the run (node data lives under `node:<Node name>`). */
	staticData?: IDataObject;
	/** The package to load; default: this repository (its built dist/). */
	package?: LoadedPackage | string;
	/** Aborting it cancels the execution, like the Stop button (nodes see `getExecutionCancelSignal()` abort). */
	signal?: AbortSignal;
	/**
	 * Makes the run a streaming one, as n8n does for a Webhook in streaming mode: `streamingEnabled` is set
	 * and every chunk a node sends (`sendChunk`) is handed here, in order.
	 */
	onChunk?: (chunk: StructuredChunk) => void;
}

export interface NodeResult {
	name: string;
	/** Main output 0 of the node's first run ([] when it produced nothing or failed). */
	items: INodeExecutionData[];
	/** Every main output of that run. */
	outputs: INodeExecutionData[][];
	/**
	 * The node's error as the engine stores it in run data (and n8n persists it): a plain object with the
	 * thrown error's own fields (name, message, description, httpCode, context, node...) plus `stack`;
	 * not an instance, so check `error.name`, not `instanceof`.
	 */
	error?: ExecutionError;
	/** Undefined when the node never ran. */
	taskData?: ITaskData;
}

export interface WorkflowRun {
	run: IRun;
	nodes: Record<string, NodeResult>;
	/** The run's error (`run.data.resultData.error`), set when a node failed without continueOnFail. */
	error?: ExecutionError;
	/** Workflow static data after the run. */
	staticData: IDataObject;
	/** Credential store after the run (e.g. a token written back by preAuthentication). */
	credentials: TestCredentials;
	credentialEvents: CredentialEvent[];
	/** Calls of `additionalData.logAiEvent` (sub-nodes log usage here). */
	aiEvents: Array<{ event: string; payload: unknown }>;
	/** What n8n logged during the run (ErrorReporter lines for thrown errors among them); not printed. */
	logs: LogEntry[];
}

export const DEFAULT_WORKFLOW = { id: 'wf-test', name: 'Engine test' };
export const DEFAULT_EXECUTION_ID = 'exec-1';

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
	if (options.nodes.length === 0) throw new Error('runWorkflow needs at least one node');
	const pkg =
		typeof options.package === 'object'
			? options.package
			: await loadPackage(options.package ?? undefined);
	const credentialsGiven = options.credentials ?? {};
	const credentialsHelper = new TestCredentialsHelper(pkg, credentialsGiven);
	const wf = options.workflow ?? DEFAULT_WORKFLOW;
	const executionId = options.executionId ?? DEFAULT_EXECUTION_ID;

	const logs = captureLogs();
	const nodes = buildNodes(pkg, options.nodes, Object.keys(credentialsGiven));
	const connections: IConnections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}

	const workflow = new Workflow({
		id: wf.id,
		name: wf.name,
		nodes,
		connections,
		nodeTypes: pkg.nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
		staticData: JSON.parse(JSON.stringify(options.staticData ?? {})) as IDataObject,
	});

	const workflowData: IWorkflowBase = {
		id: wf.id,
		name: wf.name,
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	let announceEnd!: (run: IRun) => void;
	const ended = new Promise<IRun>((resolve) => (announceEnd = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => announceEnd(run));

	const aiEvents: WorkflowRun['aiEvents'] = [];
	const additionalData = buildAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId: wf.id,
		aiEvents,
	});
	if (options.onChunk) {
		const onChunk = options.onChunk;
		hooks.addHandler('sendChunk', (chunk) => onChunk(chunk));
		additionalData.streamingEnabled = true;
	}

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: workflow.getNode(nodes[0].name)!,
					data: { main: [options.items ?? [{ json: {} }]] },
					source: null,
				},
			],
		},
	});

	const execution = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	const onAbort = () => execution.cancel();
	if (options.signal?.aborted) onAbort();
	options.signal?.addEventListener('abort', onAbort, { once: true });
	let run: IRun;
	try {
		// A cancelled execution does not settle its promise; the after-hook carries the run data then.
		run = await Promise.race([execution, ended]);
	} finally {
		options.signal?.removeEventListener('abort', onAbort);
	}

	const results: Record<string, NodeResult> = {};
	for (const node of nodes) results[node.name] = nodeResult(node.name, run);
	return {
		run,
		nodes: results,
		error: run.data.resultData.error,
		// The workflow's static data is an observable proxy; hand back plain data.
		staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
		credentials: credentialsHelper.snapshot(),
		credentialEvents: credentialsHelper.events,
		aiEvents,
		logs,
	};
}

function buildNodes(
	pkg: LoadedPackage,
	specs: WorkflowNodeSpec[],
	credentialTypes: string[],
): INode[] {
	const taken = new Set<string>();
	return specs.map((spec, index) => {
		const type = pkg.fullNodeType(spec.nodeType);
		const nodeType = pkg.getNodeType(type);
		const typeVersion = spec.typeVersion ?? latestVersion(nodeType);
		const description = NodeHelpers.getVersionedNodeType(nodeType, typeVersion).description;
		const declared = new Set((description.credentials ?? []).map((c) => c.name));
		const attach = spec.credentialTypes ?? credentialTypes.filter((c) => declared.has(c));
		const credentials: INodeCredentials = {};
		for (const credentialType of attach) {
			credentials[credentialType] = {
				id: testCredentialId(credentialType),
				name: `${credentialType} (test)`,
			};
		}
		let name =
			spec.name ?? (description.defaults.name as string | undefined) ?? description.displayName;
		if (taken.has(name)) name = `${name}${index}`;
		taken.add(name);
		const onError = spec.onError ?? (spec.continueOnFail ? 'continueRegularOutput' : undefined);
		return {
			id: `node-${index + 1}`,
			name,
			type,
			typeVersion,
			position: [index * 220, 0] as [number, number],
			parameters: structuredClone(spec.parameters),
			...(Object.keys(credentials).length > 0 && { credentials }),
			...(onError && { onError }),
		};
	});
}

function latestVersion(nodeType: ReturnType<LoadedPackage['getNodeType']>): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

function nodeResult(name: string, run: IRun): NodeResult {
	const taskData = run.data.resultData.runData[name]?.[0];
	const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
	return { name, items: outputs[0] ?? [], outputs, error: taskData?.error, taskData };
}

/** The plain additionalData every engine test run uses (runners for sub-nodes and pollers too). */
export function buildAdditionalData(input: {
	credentialsHelper: TestCredentialsHelper;
	hooks: ExecutionLifecycleHooks;
	executionId: string;
	workflowId: string;
	aiEvents?: WorkflowRun['aiEvents'];
}): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new Error(`${what} is not supported by the engine test harness`);
	};
	// A plain object, not a jest-mock-extended deep mock: a mock answers every optional field with a truthy
	// function (evalLlmMockHandler, encryptedRunnerIdentity...), which switches on code paths n8n never takes.
	const additionalData = {
		credentialsHelper: input.credentialsHelper,
		hooks: input.hooks,
		executionId: input.executionId,
		workflowId: input.workflowId,
		userId: 'user-test',
		encryptedRunnerIdentity: undefined,
		currentNodeParameters: undefined,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		logAiEvent: (event: string, payload: unknown) => input.aiEvents?.push({ event, payload }),
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unsupported('startRunnerTask (Code node task runners)'),
	};
	return additionalData as unknown as IWorkflowExecuteAdditionalData;
}
