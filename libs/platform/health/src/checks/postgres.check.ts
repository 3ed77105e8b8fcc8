import type { DataSource } from 'typeorm';
import type { ReadinessCheck } from '../readiness-check';
import { withTimeout } from '../with-timeout';

/**
 * Postgres answers `SELECT 1` through the service's pool. Shorter than the module's timeout so the
 * report names the real cause (an exhausted pool waits for a free connection rather than failing).
 */
export function postgresCheck(dataSource: DataSource, timeoutMs = 1_000): ReadinessCheck {
  return {
    name: 'postgres',
    check: async () => {
      if (!dataSource.isInitialized) return false;
      await withTimeout(dataSource.query('SELECT 1'), timeoutMs, 'SELECT 1');
      return true;
    },
  };
}
