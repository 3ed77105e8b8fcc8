const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'webhooks',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/webhooks',
};
