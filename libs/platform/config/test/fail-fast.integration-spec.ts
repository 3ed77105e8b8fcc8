import { spawnSync } from 'node:child_process';
import path from 'node:path';

const workspaceRoot = path.resolve(__dirname, '../../../..');

/** A real service process, started without DATABASE_URL, must stop at once and name the variable. */
describe('fail fast on bad configuration', () => {
  function startLedger(env: Record<string, string>) {
    const { PATH, HOME } = process.env;
    return spawnSync('npx', ['tsx', 'apps/ledger/src/main.ts'], {
      cwd: workspaceRoot,
      env: { PATH: PATH!, HOME: HOME!, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it('stops with a message naming a missing DATABASE_URL', () => {
    const result = startLedger({ KAFKA_BROKERS: '127.0.0.1:9092', INTERNAL_API_TOKEN: 'a-long-enough-internal-token' });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/DATABASE_URL is required/);
  });

  it('stops with a message naming a malformed variable', () => {
    const result = startLedger({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/payflow_test',
      KAFKA_BROKERS: '127.0.0.1:9092',
      INTERNAL_API_TOKEN: 'a-long-enough-internal-token',
      DB_POOL_MAX: 'many',
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/DB_POOL_MAX/);
  });
});
