/** One node through the engine: `runWorkflow` with a single node, its results flattened. */
import type {
	ExecutionError,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	ITaskData,
} from 'n8n-workflow';

import type { LogEntry } from './capture-logs';
import type { CredentialEvent, TestCredentials } from './credentials-helper';
import type { LoadedPackage } from './load-package';
import { runWorkflow, type RunWorkflowOptions } from './run-workflow';

export interface RunNodeOptions {
	/** Short (`liteLlmChat`) or full (`n8n-nodes-litellm.liteLlmChat`) node type name. */
	nodeType: string;
	parameters: INodeParameters;
	/** Plain credential data per credential type name, e.g. `{ liteLlmApi: { baseUrl, apiKey } }`. */
	credentials?: TestCredentials;
	/** Input items. Default `[{ json: {} }]`. */
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	onError?: INode['onError'];
	/** Default: the node type's latest version. */
	typeVersion?: number;
	/** Default `{ id: 'wf-test', name: 'Engine test' }`. */
	workflow?: { id: string; name: string };
	/** Default `'exec-1'`. */
	executionId?: string;
	/** Workflow static data before the run; a node's own data is under `node:<Node name>`. */
	staticData?: IDataObject;
	/** A loaded package or its root path; default this repository (built dist/). */
	package?: LoadedPackage | string;
	/** Node name; default the type's `defaults.name`. */
	name?: string;
	/** Aborting cancels the execution (the node's `getExecutionCancelSignal()` aborts). */
	signal?: AbortSignal;
	/** A streaming run: every chunk the node sends, in order (see RunWorkflowOptions.onChunk). */
	onChunk?: RunWorkflowOptions['onChunk'];
}

export interface NodeRun {
	/** Main output 0. */
	items: INodeExecutionData[];
	/** All main outputs. */
	outputs: INodeExecutionData[][];
	/**
	 * The node's error as the engine stores it (plain object: name, message, description, httpCode, context,
	 * node, stack...; not an instance, check `error.name`), else the run's error.
	 */
	error?: ExecutionError;
	run: IRun;
	taskData?: ITaskData;
	/** Workflow static data after the run. */
	staticData: IDataObject;
	/** Credential store after the run (tokens that preAuthentication wrote back). */
	credentials: TestCredentials;
	credentialEvents: CredentialEvent[];
	aiEvents: Array<{ event: string; payload: unknown }>;
	/** What n8n logged during the run (not printed); scan it for secrets too. */
	logs: LogEntry[];
	/** The node's name in the workflow. */
	nodeName: string;
}

export async function runNode(options: RunNodeOptions): Promise<NodeRun> {
	const result = await runWorkflow({
		nodes: [
			{
				name: options.name,
				nodeType: options.nodeType,
				parameters: options.parameters,
				typeVersion: options.typeVersion,
				continueOnFail: options.continueOnFail,
				onError: options.onError,
			},
		],
		credentials: options.credentials,
		items: options.items,
		workflow: options.workflow,
		executionId: options.executionId,
		staticData: options.staticData,
		package: options.package,
		signal: options.signal,
		onChunk: options.onChunk,
	});
	const [node] = Object.values(result.nodes);
	return {
		items: node.items,
		outputs: node.outputs,
		error: node.error ?? result.error,
		run: result.run,
		taskData: node.taskData,
		staticData: result.staticData,
		credentials: result.credentials,
		credentialEvents: result.credentialEvents,
		aiEvents: result.aiEvents,
		logs: result.logs,
		nodeName: node.name,
	};
}
