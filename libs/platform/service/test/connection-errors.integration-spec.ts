import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { serviceDatabaseUrl } from '@payflow/platform/config';
import { createServiceDataSource, pgPoolOf } from '@payflow/platform/database';
import { adminDatabaseUrl, waitFor } from '@payflow/platform/testing';

/**
 * A service's pool: every session carries the configured server-side timeouts, and a connection
 * the server ends (57P01, as in a failover or a restart) while a caller holds it idle is logged,
 * never thrown at the process — the webhooks service died of exactly that.
 */
describe('service data source sessions (real Postgres)', () => {
  const admin = new Pool({ connectionString: adminDatabaseUrl(), max: 1 });
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await createServiceDataSource({
      service: 'intents',
      url: serviceDatabaseUrl('intents'),
      poolMax: 2,
      timeouts: {
        connectTimeoutMs: 2_000,
        statementTimeoutMs: 1_500,
        lockTimeoutMs: 700,
        idleInTransactionTimeoutMs: 4_000,
      },
    }).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await admin.end();
  });

  afterEach(() => jest.restoreAllMocks());

  it('sets statement, lock and idle-in-transaction timeouts on every session', async () => {
    const [row] = await dataSource.query<{ statement_timeout: string; lock_timeout: string; idle: string }[]>(
      `SELECT current_setting('statement_timeout') AS statement_timeout, current_setting('lock_timeout') AS lock_timeout,
              current_setting('idle_in_transaction_session_timeout') AS idle`,
    );

    expect(row).toEqual({ statement_timeout: '1500ms', lock_timeout: '700ms', idle: '4s' });
    await expect(dataSource.query('SELECT pg_sleep(3)')).rejects.toMatchObject({
      driverError: { code: '57014' },
    });
  });

  it('survives the server terminating a connection a caller holds between queries (57P01)', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const client = await pgPoolOf(dataSource).connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');

    await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);

    // Without a listener the client's 'error' event would be an uncaught exception and fail this test.
    await waitFor(
      () => warn.mock.calls.some(([message]) => String(message).includes('Postgres connection lost (57P01)')),
      {
        what: 'the lost connection to be logged',
      },
    );
    client.release(true);
    await expect(dataSource.query('SELECT 1 AS ok')).resolves.toEqual([{ ok: 1 }]);
  });
});
