/**
 * The end-to-end scenarios in a real n8n (`npm run test:e2e`): one n8n, one tracking server and the
 * local stand-ins for the SMS provider and the user's endpoint, shared by the scenarios in order.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['@swc/jest'] },
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	testTimeout: 120_000,
	maxWorkers: 1,
};
