/**
 * Prepares the Postgres cluster named by DATABASE_URL (administrative role): the database itself,
 * and for each service its login role and its schema, with rights on that schema only. Then checks
 * that max_connections fits every service's pool, and creates the Kafka topics. Idempotent.
 */
import { Client } from 'pg';
import { ALL_TOPICS, TOPIC_PARTITIONS, deadLetterTopicOf } from '@payflow/contracts';
import { SERVICES, serviceRole } from '@payflow/platform/config';
import { createKafka, ensureTopics } from '@payflow/platform/messaging';

/** Connections a service may open besides its pool: the relay's session and a LISTEN session. */
const EXTRA_CONNECTIONS_PER_SERVICE = 2;
/** Head-room for the tooling (migrations, bootstrap, psql). */
const TOOLING_CONNECTIONS = 5;

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${name} is required\n`);
    process.exit(78);
  }
  return value;
}

async function ensureDatabase(adminUrl: URL): Promise<void> {
  const database = adminUrl.pathname.slice(1);
  const maintenance = new URL(adminUrl);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

async function ensureRolesAndSchemas(client: Client, database: string): Promise<void> {
  // Roles are cluster-wide, so two bootstraps (e.g. npm start and npm test) may race to create one.
  await client.query(`SELECT pg_advisory_lock(hashtext('payflow.bootstrap'))`);
  try {
    for (const service of SERVICES) {
      const role = serviceRole(service);
      const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (!rowCount) {
        // Local password = role name; production provisions roles and <SERVICE>_DATABASE_URL from secrets.
        await client.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${role}'`);
      }
      await client.query(`GRANT CONNECT ON DATABASE "${database}" TO "${role}"`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${service}" AUTHORIZATION "${role}"`);
      await client.query(`ALTER ROLE "${role}" SET search_path = "${service}"`);
    }
    // No service may create objects in public; each works in its own schema only.
    await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('payflow.bootstrap'))`);
  }
}

async function checkConnectionBudget(client: Client): Promise<void> {
  const poolMax = Number(process.env['DB_POOL_MAX'] ?? 5);
  const { rows } = await client.query<{ max: string; reserved: string }>(
    `SELECT current_setting('max_connections') AS max, current_setting('superuser_reserved_connections') AS reserved`,
  );
  const available = Number(rows[0].max) - Number(rows[0].reserved);
  const needed = SERVICES.length * (poolMax + EXTRA_CONNECTIONS_PER_SERVICE) + TOOLING_CONNECTIONS;
  if (needed > available) {
    throw new Error(
      `Postgres max_connections leaves ${available} connections but ${SERVICES.length} services with DB_POOL_MAX=${poolMax} need ${needed}: lower DB_POOL_MAX or raise max_connections`,
    );
  }
}

async function main(): Promise<void> {
  const adminUrl = new URL(required('DATABASE_URL'));
  const brokers = required('KAFKA_BROKERS');
  await ensureDatabase(adminUrl);
  const client = new Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await ensureRolesAndSchemas(client, adminUrl.pathname.slice(1));
    await checkConnectionBudget(client);
  } finally {
    await client.end();
  }
  const prefix = process.env['KAFKA_TOPIC_PREFIX'] ?? '';
  const topics = ALL_TOPICS.flatMap((topic) => [topic, deadLetterTopicOf(topic)]).map((topic) => `${prefix}${topic}`);
  await ensureTopics(createKafka('payflow-bootstrap', brokers), topics, TOPIC_PARTITIONS);
  process.stdout.write(`payflow bootstrap: ${SERVICES.length} schemas and roles, ${topics.length} topics ready\n`);
}

main().catch((error) => {
  process.stderr.write(`payflow bootstrap failed: ${(error as Error).message}\n`);
  process.exit(1);
});
