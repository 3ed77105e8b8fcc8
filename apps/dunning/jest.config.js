const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'dunning',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/dunning',
};
