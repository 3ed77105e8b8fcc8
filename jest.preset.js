// Shared Jest settings. ts-jest only transpiles (isolatedModules): `npm run typecheck` checks types
// once for the whole workspace, which is far faster than type-checking per test file.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: `${__dirname}/tsconfig.spec.json` }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: `${__dirname}/` }),
  coverageReporters: ['text-summary', 'lcov'],
};
