import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';

/** The administrative connection string the test run was started with (tools/dev/test.sh sets it). */
export function adminDatabaseUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is required for integration tests (npm test sets it)');
  return url;
}

export function kafkaBrokers(): string {
  return process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
}

/** The wire name of a logical topic in this test run (npm test sets KAFKA_TOPIC_PREFIX=test.). */
export function wireTopic(topic: string): string {
  return `${process.env['KAFKA_TOPIC_PREFIX'] ?? ''}${topic}`;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export interface TestSchema {
  schema: string;
  url: string;
  pool: Pool;
  dataSource: DataSource;
  drop(): Promise<void>;
}

/**
 * A throw-away schema reached through the admin role, created with `sql` (given the schema name),
 * for tests of platform mechanisms; services' own tests use their migrated schemas.
 */
export async function createTestSchema(prefix: string, sql: (schema: string) => string[] = () => []): Promise<TestSchema> {
  const schema = uniqueName(prefix);
  const url = adminDatabaseUrl();
  const pool = new Pool({ connectionString: url, max: 8, options: `-c search_path=${schema}` });
  // An idle client the server drops (a test that terminates backends) must not crash Jest.
  pool.on('error', () => undefined);
  await pool.query(`CREATE SCHEMA "${schema}"`);
  for (const statement of sql(schema)) await pool.query(statement);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema,
    extra: { max: 8, options: `-c search_path=${schema}` },
  });
  await dataSource.initialize();
  return {
    schema,
    url,
    pool,
    dataSource,
    async drop() {
      await dataSource.destroy();
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    },
  };
}
