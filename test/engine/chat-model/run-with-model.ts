/**
 * Runs [Probe root node] ← ai_languageModel ← [LiteLLM Chat Model] in n8n-core's WorkflowExecute. The
 * shared harness (test/engine/harness) wires main chains only; this adds the sub-node connection and the
 * probe node type, and reuses the harness's package loader, credentials helper and log capture.
 */
import 'reflect-metadata';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	type ExecutionError,
	type INode,
	type INodeParameters,
	type INodeTypes,
	type IRun,
	type ITaskData,
	type IWorkflowBase,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';

import { captureLogs, type LogEntry } from '../harness/capture-logs';
import {
	type TestCredentials,
	TestCredentialsHelper,
	testCredentialId,
} from '../harness/credentials-helper';
import { loadPackage } from '../harness/load-package';
import { buildAdditionalData } from '../harness/run-workflow';
import { ChatModelProbe, PROBE_TYPE } from './probe-root';

export const MODEL_NODE = 'LiteLLM Chat Model';
export const PROBE_NODE = 'Probe';
export const WORKFLOW = { id: 'wf-engine-7', name: 'Agent engine test' };
export const EXECUTION_ID = 'exec-engine-1';

export interface ModelRunInput {
	modelParameters: INodeParameters;
	credentials: TestCredentials;
	probe?: { mode?: 'invoke' | 'agent'; prompt?: string };
}

export interface ModelRun {
	run: IRun;
	error?: ExecutionError;
	probe?: ITaskData;
	/** The sub-node's run data: n8n's tracing writes its input (messages) and output (response, tokenUsage). */
	model?: ITaskData[];
	logs: LogEntry[];
	aiEvents: Array<{ event: string; payload: unknown }>;
}

export async function runWithModel(input: ModelRunInput): Promise<ModelRun> {
	const pkg = await loadPackage();
	const probe = new ChatModelProbe();
	const nodeTypes: INodeTypes = {
		getByName: (name) => (name === PROBE_TYPE ? probe : pkg.nodeTypes.getByName(name)),
		getByNameAndVersion: (name, version) =>
			name === PROBE_TYPE
				? probe
				: NodeHelpers.getVersionedNodeType(pkg.getNodeType(name), version),
		getKnownTypes: () => pkg.nodeTypes.getKnownTypes(),
	};
	// The node's credential slots: each credential type the test gives (both with failover).
	const slots = Object.fromEntries(
		Object.keys(input.credentials).map((type) => [
			type,
			{ id: testCredentialId(type), name: `${type} (test)` },
		]),
	);
	const nodes: INode[] = [
		{
			id: 'node-probe',
			name: PROBE_NODE,
			type: PROBE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { mode: input.probe?.mode ?? 'invoke', prompt: input.probe?.prompt ?? 'Hello' },
		},
		{
			id: 'node-model',
			name: MODEL_NODE,
			type: pkg.fullNodeType('liteLlmChatModel'),
			typeVersion: 1,
			position: [0, 200],
			parameters: structuredClone(input.modelParameters),
			credentials: slots,
		},
	];
	const connections = {
		[MODEL_NODE]: {
			ai_languageModel: [[{ node: PROBE_NODE, type: 'ai_languageModel' as const, index: 0 }]],
		},
	};
	const workflow = new Workflow({
		...WORKFLOW,
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
	});
	const workflowData: IWorkflowBase = {
		...WORKFLOW,
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};

	const logs = captureLogs();
	const hooks = new ExecutionLifecycleHooks('manual', EXECUTION_ID, workflowData);
	const aiEvents: ModelRun['aiEvents'] = [];
	const additionalData = buildAdditionalData({
		credentialsHelper: new TestCredentialsHelper(pkg, input.credentials),
		hooks,
		executionId: EXECUTION_ID,
		workflowId: WORKFLOW.id,
		aiEvents,
	});

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: workflow.getNode(PROBE_NODE)!, data: { main: [[{ json: {} }]] }, source: null },
			],
		},
	});
	const run = await new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	const runData = run.data.resultData.runData;
	return {
		run,
		error: run.data.resultData.error,
		probe: runData[PROBE_NODE]?.[0],
		model: runData[MODEL_NODE],
		logs,
		aiEvents,
	};
}
