const preset = require('../../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'platform-database',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../../coverage/libs/platform/database',
};
