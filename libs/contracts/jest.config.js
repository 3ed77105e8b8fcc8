const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'contracts',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/contracts',
};
