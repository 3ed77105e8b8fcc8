const preset = require('../../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'platform-clock',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../../coverage/libs/platform/clock',
};
