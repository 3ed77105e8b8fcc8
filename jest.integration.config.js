// Integration tests: real Postgres, Redis and Kafka (started by tools/infra/up.sh), one worker,
// because the suites share the broker and the database cluster.

const preset = require('./jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'integration',
  rootDir: '.',
  testMatch: ['<rootDir>/{apps,libs,tools}/**/test/**/*.integration-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
