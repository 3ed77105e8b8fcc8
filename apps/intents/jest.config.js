const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'intents',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/intents',
};
