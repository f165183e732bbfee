/**
 * The e2e project: a real n8n 2.41.1 (installed once into ~/.cache/n8n-nodes-litellm) runs the packed
 * package. Kept apart from jest.config.js so the fast suites never start n8n; one worker, because each
 * test file starts its own n8n and the machines have two cores.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/.work/'],
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	maxWorkers: 1,
	// A cold runtime install (first run on a machine) happens in globalSetup, which has no timeout.
	testTimeout: 10 * 60_000,
	slowTestThreshold: 120,
};
