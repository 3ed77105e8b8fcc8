import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Module boundaries are errors, not warnings: an app never imports another app, a service uses only
// its own scope and `scope:shared`, and `contracts` depends on nothing of ours.
export default [
  { ignores: ['**/node_modules', '**/dist', '**/coverage', '.infra', '.tools', '.nx', 'tools/kafka/target', '**/webpack.config.js', 'tools/build/*.js', 'jest.preset.js', '**/jest.config.js', 'jest.integration.config.js', 'jest.e2e.config.js'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:api', 'type:platform', 'type:psp', 'type:domain'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            // The public API's request DTOs build on the contracts (currencies, amount limits).
            { sourceTag: 'type:api', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
            { sourceTag: 'type:psp', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:psp'] },
            // Pure domain rules shared by services (the decline classifier): contracts only, no I/O.
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared'] },
            // End-to-end tests drive the services as processes over HTTP and Kafka, never by import.
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
            ...['gateway', 'intents', 'orchestrator', 'ledger', 'webhooks', 'billing', 'dunning', 'psp-simulator'].map((s) => ({
              sourceTag: `scope:${s}`,
              onlyDependOnLibsWithTags: [`scope:${s}`, 'scope:shared'],
            })),
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
