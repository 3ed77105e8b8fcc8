// End-to-end tests: every built service started as a process (tests/e2e/global-setup.ts), driven
// through the public gateway, on real Postgres, Redis and Kafka.
const preset = require('./jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'e2e',
  rootDir: '.',
  testMatch: ['<rootDir>/tests/e2e/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/tests/e2e/global-setup.ts',
  globalTeardown: '<rootDir>/tests/e2e/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 60_000,
};
