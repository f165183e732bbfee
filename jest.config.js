/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	// test/e2e runs a real n8n: its own project, jest.e2e.config.js (npm run test:e2e).
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/'],
	testTimeout: 30000,
};
