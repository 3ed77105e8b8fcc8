const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'ledger',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/ledger',
};
