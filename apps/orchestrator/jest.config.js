const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'orchestrator',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // cockatiel 4 ships only ES modules, which Jest's CommonJS registry cannot require (see the file).
  setupFiles: ['<rootDir>/test/support/cockatiel-for-jest.ts'],
  coverageDirectory: '../../coverage/apps/orchestrator',
};
