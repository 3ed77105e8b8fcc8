const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'psp',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/psp',
};
