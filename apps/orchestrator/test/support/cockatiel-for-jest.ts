/**
 * cockatiel 4 is published as ES modules only. The built service loads it with Node 24's native
 * `require(esm)`, but Jest's CommonJS module registry cannot (it needs `--experimental-vm-modules`
 * or a transform of node_modules, which the shared jest preset does not configure). So under Jest
 * the module is handed over from Node's own loader: the same code, loaded outside Jest's registry.
 * Imported (first) by every orchestrator test entry point: the unit config's `setupFiles` and the
 * integration fixture.
 */
jest.mock('cockatiel', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeModule = require('node:module') as { Module: { _load(request: string): unknown } };
  return nodeModule.Module._load(require.resolve('cockatiel'));
});
