/** Jest runs the TypeScript sources through ts-jest (type-checking is `npm run build`'s job). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/support/globalSetup.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
