/** The e2e harness: a real n8n 2.41.1 with the packed package installed. See test/e2e/README.md. */
export { type CredentialImport, type WorkflowJson } from './credentials-file';
export { parseRunFromStdout } from './execute-output';
export { type FileHit, findInFiles } from './find-in-files';
export { freePort, freePorts } from './free-port';
export {
	type CredentialTestResult,
	DEFAULT_OWNER,
	E2E_ENCRYPTION_KEY,
	type ExecuteResult,
	type ExportedNodeType,
	type HttpResult,
	N8nInstance,
	type N8nInstanceOptions,
	type N8nOwner,
} from './n8n-instance';
export {
	buildIfStale,
	E2E_WORK_DIR,
	installPackage,
	packageRoot,
	packPackage,
	type PackageTypes,
	readPackageTypes,
	REPO_ROOT,
} from './package-under-test';
export { N8nWorker } from './n8n-worker';
export { N8N_OFFLINE_ENV } from './offline-env';
export { type PostgresServer, startPostgres } from './postgres';
export {
	type ExecutionRecord,
	type QueueMode,
	type QueueModeOptions,
	setupQueueMode,
} from './queue-mode';
export { ensureQueueServices } from './queue-services';
export { type RedisServer, startRedis } from './redis';
export { runCommand, type CommandResult } from './run-command';
export {
	ensureRuntime,
	N8N_VERSION,
	NODE_VERSION,
	type N8nRuntime,
	runtimeCacheDir,
	runtimePaths,
} from './runtime';
export { type N8nSuite, prepareE2e, preparedE2e, setupN8n } from './suite';
