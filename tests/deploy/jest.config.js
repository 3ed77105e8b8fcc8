const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'deploy',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  coverageDirectory: '../../coverage/tests/deploy',
};
