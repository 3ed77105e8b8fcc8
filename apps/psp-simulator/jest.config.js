const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'psp-simulator',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/psp-simulator',
};
