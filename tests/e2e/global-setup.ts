/**
 * End-to-end tests run the built services as real processes (as `npm start` does), on ports of
 * their own so a running `npm start` is not disturbed, against the test database and topics.
 */
// tools/ is workspace tooling, not a project: e2e starts the services exactly as `npm start` does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startPlatform, RunningPlatform } from '../../tools/dev/platform';

export const E2E_PORTS: Record<string, string> = {
  API_PORT: '18080',
  INTENTS_PORT: '18081',
  ORCHESTRATOR_PORT: '18082',
  LEDGER_PORT: '18083',
  WEBHOOKS_PORT: '18084',
  PSP_SIMULATOR_PORT: '18090',
};

export const E2E_SETTINGS: Record<string, string> = {
  ...E2E_PORTS,
  ADMIN_API_KEY: 'e2e-admin-key-0123456789',
  INTERNAL_API_TOKEN: 'e2e-internal-token-0123456789',
  SYNC_WAIT_MS: '1500',
  API_TIMEOUT: '10000',
  LOG_LEVEL: 'warn',
  REDIS_KEY_PREFIX: 'payflow:e2e:',
};

export default async function globalSetup(): Promise<void> {
  const platform = await startPlatform(E2E_SETTINGS);
  (globalThis as { __PAYFLOW__?: RunningPlatform }).__PAYFLOW__ = platform;
  for (const [name, url] of Object.entries(platform.urls)) {
    process.env[`E2E_${name.toUpperCase().replace(/-/g, '_')}_URL`] = url;
  }
  for (const [key, value] of Object.entries(E2E_SETTINGS)) process.env[`E2E_${key}`] = value;
}
