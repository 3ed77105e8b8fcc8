const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'declines',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/declines',
};
