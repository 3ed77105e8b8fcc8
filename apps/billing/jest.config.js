const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'billing',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/billing',
};
