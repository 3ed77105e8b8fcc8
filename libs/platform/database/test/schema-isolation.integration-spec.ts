import { Client } from 'pg';
import { SERVICES, serviceDatabaseUrl, serviceRole } from '@payflow/platform/config';
import { adminDatabaseUrl } from '@payflow/platform/testing';

/**
 * Each service's runtime role has rights on its own schema's objects only, and owns nothing: its
 * owner role owns the schema and every object in it (bootstrap + migrations ran before).
 */
describe('schema isolation between services', () => {
  let ledger: Client;
  let admin: Client;

  beforeAll(async () => {
    ledger = new Client({ connectionString: serviceDatabaseUrl('ledger') });
    await ledger.connect();
    admin = new Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
  });

  afterAll(async () => {
    await ledger.end();
    await admin.end();
  });

  it('lets a service read and write its own operational tables', async () => {
    await expect(ledger.query('SELECT count(*) FROM ledger.outbox')).resolves.toBeDefined();
    await ledger.query('BEGIN');
    try {
      await ledger.query(`INSERT INTO ledger.inbox (consumer, event_id, event_type) VALUES ('isolation-test', gen_random_uuid(), 'x')`);
      await ledger.query(`DELETE FROM ledger.inbox WHERE consumer = 'isolation-test'`);
    } finally {
      await ledger.query('ROLLBACK');
    }
  });

  it.each([
    ['read', 'SELECT * FROM intents.outbox'],
    ['write', `INSERT INTO intents.inbox (consumer, event_id, event_type) VALUES ('x', gen_random_uuid(), 'x')`],
    ['create in', 'CREATE TABLE intents.evil (id int)'],
    ['create in public', 'CREATE TABLE public.evil (id int)'],
  ])('refuses to %s another schema', async (_what, sql) => {
    await expect(ledger.query(sql)).rejects.toThrow(/permission denied/);
  });

  it('refuses to create anything in its own schema', async () => {
    await expect(ledger.query('CREATE TABLE ledger.scratch (id int)')).rejects.toThrow(/permission denied/);
  });

  it.each([
    ['drop a table', 'DROP TABLE ledger.outbox'],
    ['drop a trigger', 'DROP TRIGGER postings_balanced ON ledger.postings'],
    ['alter a table', 'ALTER TABLE ledger.inbox ADD COLUMN evil int'],
  ])('refuses to %s of its own schema (it owns none)', async (_what, sql) => {
    await expect(ledger.query(sql)).rejects.toThrow(/must be owner/);
  });

  it.each(SERVICES.map((service) => [serviceRole(service)]))('%s owns nothing in the database', async (role) => {
    const { rows } = await admin.query(
      `SELECT n.nspname AS name FROM pg_namespace n WHERE pg_get_userbyid(n.nspowner) = $1
       UNION ALL SELECT c.oid::regclass::text FROM pg_class c WHERE pg_get_userbyid(c.relowner) = $1
       UNION ALL SELECT p.oid::regprocedure::text FROM pg_proc p WHERE pg_get_userbyid(p.proowner) = $1
       UNION ALL SELECT t.oid::regtype::text FROM pg_type t WHERE pg_get_userbyid(t.typowner) = $1`,
      [role],
    );
    expect(rows).toEqual([]);
  });
});
