/**
 * End-to-end tests run the built services as real processes (as `npm start` does), on ports of
 * their own so a running `npm start` is not disturbed, against the test database and topics.
 */
// tools/ is workspace tooling, not a project: e2e starts the services exactly as `npm start` does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startPlatform, RunningPlatform } from '../../tools/dev/platform';
import { Pool } from 'pg';

export const E2E_PORTS: Record<string, string> = {
  API_PORT: '18080',
  INTENTS_PORT: '18081',
  ORCHESTRATOR_PORT: '18082',
  LEDGER_PORT: '18083',
  WEBHOOKS_PORT: '18084',
  BILLING_PORT: '18085',
  DUNNING_PORT: '18086',
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

/**
 * The integration suites share this database: attempts they left due or watched are not the e2e
 * platform's to run (its orchestrator would call the e2e simulator for them and spend the faults a
 * test injects). The schema may not exist yet on a new database.
 */
async function parkEarlierAttempts(): Promise<void> {
  const admin = new Pool({ connectionString: process.env['DATABASE_URL'], max: 1 });
  try {
    await admin.query(`UPDATE orchestrator.attempts SET next_attempt_at = NULL, verify_at = NULL
                        WHERE next_attempt_at IS NOT NULL OR verify_at IS NOT NULL`);
  } catch (error) {
    // A database the integration tests never used has no attempts table yet: nothing to park.
    if ((error as { code?: string }).code !== '42P01') throw error;
  } finally {
    await admin.end();
  }
}

export default async function globalSetup(): Promise<void> {
  await parkEarlierAttempts();
  const platform = await startPlatform(E2E_SETTINGS);
  (globalThis as { __PAYFLOW__?: RunningPlatform }).__PAYFLOW__ = platform;
  for (const [name, url] of Object.entries(platform.urls)) {
    process.env[`E2E_${name.toUpperCase().replace(/-/g, '_')}_URL`] = url;
  }
  for (const [key, value] of Object.entries(E2E_SETTINGS)) process.env[`E2E_${key}`] = value;
}
