// Unit tests of the chaos harness's pure parts (PRNG, options, schedule, plan, invariants).
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'chaos',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  coverageDirectory: '../../coverage/tools/chaos',
};
