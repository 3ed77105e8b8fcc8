import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions, EntityManager, MixedList, EntitySchema } from 'typeorm';
import { Client, type ClientConfig, type Pool } from 'pg';
import { ServiceName } from '@payflow/platform/config';

/** Connection and server-side timeouts of a service's sessions (BaseServiceConfig's DB_*_MS). */
export interface DbTimeouts {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/** The DB_* timeouts of a service's config, in the shape the data source and sessions take. */
export function dbTimeoutsOf(config: {
  DB_CONNECT_TIMEOUT_MS: number;
  DB_STATEMENT_TIMEOUT_MS: number;
  DB_LOCK_TIMEOUT_MS: number;
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: number;
}): DbTimeouts {
  return {
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
}

const connectionLogger = new Logger('Postgres');

/**
 * A pg client that can never crash the process: a connection error that arrives while no query is
 * running (57P01 admin shutdown, a reset socket) is emitted as 'error', and an 'error' without a
 * listener is an uncaught exception. pg-pool only listens while a client is idle, so a client a
 * caller checked out and holds between queries would otherwise take the service down. The pool
 * discards the broken client on release; its next user gets a fresh connection.
 */
export class ResilientClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', (error: Error & { code?: string }) =>
      connectionLogger.warn(
        `Postgres connection lost${error.code ? ` (${error.code})` : ''}: ${error.message}`,
      ),
    );
  }
}

/**
 * Client options of a session outside the pool (LISTEN, the relay's leader session): bounded
 * connect and TCP keepalive, so a dead peer is noticed instead of waited on for hours.
 */
export function sessionClientConfig(
  connectionString: string,
  applicationName: string,
  connectTimeoutMs = 5_000,
): ClientConfig {
  return {
    connectionString,
    application_name: applicationName,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 5_000,
  };
}

export interface ServiceDataSourceOptions {
  service: ServiceName;
  /** The service's own connection string (its role), see serviceDatabaseUrl(). */
  url: string;
  poolMax: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
  /**
   * Services pass their config's timeouts; without them (migrations, `verify`) statements may run
   * as long as they need, and only the connect timeout applies.
   */
  timeouts?: DbTimeouts;
}

/**
 * One TypeORM data source per service: its own role, its own schema (first on the search_path, so
 * raw SQL names tables without a prefix), its own migrations table, a small pool, READ COMMITTED.
 * Every session has a connect timeout and TCP keepalive; with `timeouts`, the server also ends a
 * statement, a lock wait or an idle transaction that runs too long. Connection errors are logged,
 * never thrown at the process (see ResilientClient).
 */
export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  const { timeouts } = options;
  const config: DataSourceOptions = {
    type: 'postgres',
    url: options.url,
    schema: options.service,
    entities: options.entities ?? [],
    migrations: options.migrations ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: options.service,
    connectTimeoutMS: timeouts?.connectTimeoutMs ?? 5_000,
    // Idle pool clients' errors reach the pool as well; ResilientClient has logged them already.
    poolErrorHandler: () => undefined,
    extra: {
      Client: ResilientClient,
      max: options.poolMax,
      options: `-c search_path=${options.service}`,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      ...(timeouts && {
        statement_timeout: timeouts.statementTimeoutMs,
        lock_timeout: timeouts.lockTimeoutMs,
        idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
      }),
    },
  };
  return new DataSource(config);
}

/** The pg pool under a data source, for the few hot paths that use raw multi-row SQL. */
export function pgPoolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/** A transaction that other writers (the outbox, the inbox) join by taking its EntityManager. */
export type Tx = EntityManager;

/** Runs `work` in one READ COMMITTED transaction; commits if it resolves, rolls back if it throws. */
export function inTransaction<T>(dataSource: DataSource, work: (tx: Tx) => Promise<T>): Promise<T> {
  return dataSource.transaction('READ COMMITTED', work);
}
