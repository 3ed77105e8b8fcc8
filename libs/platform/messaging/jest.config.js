const preset = require('../../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'platform-messaging',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../../coverage/libs/platform/messaging',
};
