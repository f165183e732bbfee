/**
 * Active polls of a polling trigger through n8n-core: the harness's package loader and credentials helper, a
 * `Workflow` of the one trigger node, a real `PollContext` in 'trigger' mode (what ActiveWorkflows builds on each
 * poll tick) and `TriggersAndPollers.runPollFunction`, n8n's own poll call. The workflow object lives across
 * polls, so the node's static data carries from one poll to the next as it does for an active workflow.
 * (The harness's runNode covers manual mode: WorkflowExecute calls poll with a manual PollContext.)
 */
import 'reflect-metadata';

import { ExecutionLifecycleHooks, PollContext, TriggersAndPollers } from 'n8n-core';
import {
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	Workflow,
} from 'n8n-workflow';

import {
	buildAdditionalData,
	type LoadedPackage,
	type TestCredentials,
	TestCredentialsHelper,
	testCredentialId,
} from '../harness';

export interface Poller {
	poll(): Promise<INodeExecutionData[][] | null>;
	/** The node's static data now (plain copy). */
	nodeStaticData(): IDataObject;
	credentialsHelper: TestCredentialsHelper;
}

export function poller(
	pkg: LoadedPackage,
	nodeType: string,
	parameters: INodeParameters,
	credentials: TestCredentials,
): Poller {
	const credentialsHelper = new TestCredentialsHelper(pkg, credentials);
	const node: INode = {
		id: 'node-1',
		name: 'LiteLLM Budget Trigger',
		type: pkg.fullNodeType(nodeType),
		typeVersion: 1,
		position: [0, 0],
		parameters: structuredClone(parameters),
		credentials: Object.fromEntries(
			Object.keys(credentials).map((t) => [t, { id: testCredentialId(t), name: `${t} (test)` }]),
		),
	};
	const wf = { id: 'wf-budget-trigger', name: 'Budget trigger test' };
	const workflow = new Workflow({
		...wf,
		nodes: [node],
		connections: {},
		nodeTypes: pkg.nodeTypes,
		active: true,
		settings: { executionOrder: 'v1' },
		staticData: {},
	});
	const hooks = new ExecutionLifecycleHooks('trigger', 'exec-poll', {
		...wf,
		active: true,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [node],
		connections: {},
		settings: { executionOrder: 'v1' },
	});
	const additionalData = buildAdditionalData({
		credentialsHelper,
		hooks,
		executionId: 'exec-poll',
		workflowId: wf.id,
	});
	// No constructor dependencies; the DI container would hand out the same kind of instance.
	const runner = new TriggersAndPollers();
	return {
		credentialsHelper,
		async poll() {
			const context = new PollContext(
				workflow,
				workflow.getNode(node.name)!,
				additionalData,
				'trigger',
				'activate',
			);
			return await runner.runPollFunction(workflow, workflow.getNode(node.name)!, context);
		},
		nodeStaticData: () =>
			JSON.parse(JSON.stringify(workflow.staticData[`node:${node.name}`] ?? {})) as IDataObject,
	};
}
