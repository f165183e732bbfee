/**
 * The engine test harness: the package's built nodes (dist/, via n8n-core's PackageDirectoryLoader) inside
 * n8n-core's real WorkflowExecute, with a credentials helper that behaves like n8n's CLI one.
 *
 *   const result = await runNode({
 *   	nodeType: 'liteLlmChat',
 *   	parameters: { model: 'gpt-4o-mini', prompt: 'Hi' },
 *   	credentials: { liteLlmApi: { baseUrl: sim.url, apiKey: 'sk-test-1234' } },
 *   	items: [{ json: { q: 'a' } }],
 *   	continueOnFail: true,
 *   });
 *   result.items; result.error?.name; result.error?.httpCode;
 *   expect(scanForSecrets([result.items, result.error, result.logs, result.run], ['sk-test-1234'])).toEqual([]);
 *
 * `npm run build` first: the default package is this repository's built dist/.
 */
export { loadPackage, REPO_ROOT, type LoadedPackage } from './load-package';
export { runNode, type NodeRun, type RunNodeOptions } from './run-node';
export {
	buildAdditionalData,
	runWorkflow,
	DEFAULT_EXECUTION_ID,
	DEFAULT_WORKFLOW,
	type NodeResult,
	type RunWorkflowOptions,
	type WorkflowNodeSpec,
	type WorkflowRun,
} from './run-workflow';
export {
	TestCredentialsHelper,
	testCredentialId,
	type CredentialEvent,
	type TestCredentials,
} from './credentials-helper';
export { captureLogs, type LogEntry } from './capture-logs';
export { scanForSecrets, serialise } from './scan-for-secrets';
