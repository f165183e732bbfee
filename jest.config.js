/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	// test/e2e runs a real n8n: its own project, jest.e2e.config.js (npm run test:e2e).
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/'],
	// The real LiteLLM proxy (test/contract) is installed once into ~/.cache/n8n-nodes-litellm when missing.
	globalSetup: '<rootDir>/test/litellm-proxy/global-setup.ts',
	testTimeout: 30000,
};
