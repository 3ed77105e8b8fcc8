import { DataSource, DataSourceOptions, EntityManager, MixedList, EntitySchema } from 'typeorm';
import type { Pool } from 'pg';
import { ServiceName } from '@payflow/platform/config';

export interface ServiceDataSourceOptions {
  service: ServiceName;
  /** The service's own connection string (its role), see serviceDatabaseUrl(). */
  url: string;
  poolMax: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
}

/**
 * One TypeORM data source per service: its own role, its own schema (first on the search_path, so
 * raw SQL names tables without a prefix), its own migrations table, a small pool, READ COMMITTED.
 */
export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
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
    extra: {
      max: options.poolMax,
      options: `-c search_path=${options.service}`,
      idleTimeoutMillis: 30_000,
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
