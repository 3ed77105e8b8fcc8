/**
 * Prepares the Postgres cluster named by DATABASE_URL (administrative role): the database itself,
 * and for each service its owner role, its runtime login role and its schema (owned by the owner;
 * the runtime role has rights on that schema's objects only, and owns nothing). Then checks
 * that max_connections fits every service's pool, and creates the Kafka topics with their retention
 * (KAFKA_EVENT_RETENTION_MS, default forever: replay needs every event). Idempotent.
 */
import { Client } from 'pg';
import { ALL_TOPICS, TOPIC_PARTITIONS, deadLetterTopicOf } from '@payflow/contracts';
import { SERVICES, ServiceName, serviceOwnerRole, serviceRole } from '@payflow/platform/config';
import { createKafka, ensureTopics } from '@payflow/platform/messaging';
import { applyRetention, eventRetentionMs } from './topic-retention';

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

/** CREATE ROLE that tolerates another bootstrap (another database of the cluster) creating it first. */
async function ensureRole(client: Client, role: string, attributes: string): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (rowCount) return;
  try {
    await client.query(`CREATE ROLE "${role}" ${attributes}`);
  } catch (error) {
    // 42710 duplicate_object, 23505 unique_violation: a concurrent bootstrap won the race.
    if (!['42710', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}

/** A service's runtime (login) role and its owner role, cluster-wide. */
async function ensureServiceRoles(client: Client, service: ServiceName): Promise<void> {
  const runtime = serviceRole(service);
  // Local password = role name; production provisions roles and <SERVICE>_DATABASE_URL from secrets.
  // An existing runtime role keeps its login and password: other databases of the cluster use it.
  await ensureRole(client, runtime, `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${runtime}'`);
  await ensureRole(client, serviceOwnerRole(service), 'NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE');
}

/**
 * One service's schema and the rights of its two roles on it. The owner role owns the schema and
 * every object in it and runs the migrations; the runtime role (what the service connects with) owns nothing and gets only
 * USAGE on the schema and DML on its tables, granted through default privileges of the owner, so
 * tables that later migrations create are covered too. A service may narrow its runtime role's
 * rights in its own migrations (the ledger does: its book is written only through a function).
 */
async function ensureServiceSchema(client: Client, database: string, service: ServiceName): Promise<void> {
  const runtime = serviceRole(service);
  const owner = serviceOwnerRole(service);
  const { rows } = await client.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
  // The tooling switches to the owner with SET ROLE, which a non-superuser may do only as a member.
  if (!rows[0].rolsuper) await client.query(`GRANT "${owner}" TO CURRENT_USER`);
  await client.query(`GRANT CONNECT ON DATABASE "${database}" TO "${runtime}", "${owner}"`);
  await client.query(`CREATE SCHEMA IF NOT EXISTS "${service}" AUTHORIZATION "${owner}"`);
  await upgradeRuntimeOwnedSchema(client, service, runtime, owner);
  await client.query(`ALTER SCHEMA "${service}" OWNER TO "${owner}"`);
  await client.query(`REVOKE ALL ON SCHEMA "${service}" FROM "${runtime}"`);
  await client.query(`GRANT USAGE ON SCHEMA "${service}" TO "${runtime}"`);
  await client.query(
    `ALTER DEFAULT PRIVILEGES FOR ROLE "${owner}" IN SCHEMA "${service}" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${runtime}"`,
  );
  await client.query(
    `ALTER DEFAULT PRIVILEGES FOR ROLE "${owner}" IN SCHEMA "${service}" GRANT USAGE, SELECT ON SEQUENCES TO "${runtime}"`,
  );
  await client.query(`ALTER ROLE "${runtime}" SET search_path = "${service}"`);
}

/**
 * Databases bootstrapped before owner roles existed have the schema and its objects owned by the
 * runtime role. Ownership moves to the owner once (inside this database only: REASSIGN OWNED acts on
 * the current database), and the runtime role gets back DML on the existing tables and sequences as
 * a grantee. Runs only while the runtime role still owns the schema, so it never re-grants what a
 * later migration revoked (the ledger's book tables).
 */
async function upgradeRuntimeOwnedSchema(client: Client, service: ServiceName, runtime: string, owner: string): Promise<void> {
  const { rows } = await client.query<{ owner: string }>(
    `SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = $1`,
    [service],
  );
  if (rows[0]?.owner !== runtime) return;
  await client.query(`REASSIGN OWNED BY "${runtime}" TO "${owner}"`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${service}" TO "${runtime}"`);
  await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "${service}" TO "${runtime}"`);
}

async function ensureRolesAndSchemas(client: Client, database: string): Promise<void> {
  // Roles are cluster-wide, so two bootstraps (e.g. npm start and npm test) may race to create one.
  await client.query(`SELECT pg_advisory_lock(hashtext('payflow.bootstrap'))`);
  try {
    for (const service of SERVICES) await ensureServiceRoles(client, service);
    // The schemas' ownership and grants change together or not at all.
    await client.query('BEGIN');
    for (const service of SERVICES) await ensureServiceSchema(client, database, service);
    // No service may create objects in public; each works in its own schema only.
    await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
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
  let retentionMs: string;
  try {
    retentionMs = eventRetentionMs();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(78);
  }
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
  const kafka = createKafka('payflow-bootstrap', brokers);
  await ensureTopics(kafka, topics, TOPIC_PARTITIONS, [{ name: 'retention.ms', value: retentionMs }]);
  const changed = await applyRetention(kafka, topics, retentionMs);
  process.stdout.write(
    `payflow bootstrap: ${SERVICES.length} schemas and roles, ${topics.length} topics ready (retention.ms ${retentionMs}` +
      `${changed.length > 0 ? `, set on ${changed.length} existing` : ''})\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`payflow bootstrap failed: ${(error as Error).message}\n`);
  process.exit(1);
});
