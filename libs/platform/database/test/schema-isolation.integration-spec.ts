import { Client } from 'pg';
import { serviceDatabaseUrl } from '@payflow/platform/config';

/** Each service's role has rights on its own schema only (bootstrap + migrations ran before). */
describe('schema isolation between services', () => {
  let ledger: Client;

  beforeAll(async () => {
    ledger = new Client({ connectionString: serviceDatabaseUrl('ledger') });
    await ledger.connect();
  });

  afterAll(() => ledger.end());

  it('lets a service read and write its own schema', async () => {
    await expect(ledger.query('SELECT count(*) FROM ledger.outbox')).resolves.toBeDefined();
    await ledger.query('BEGIN');
    await ledger.query('CREATE TABLE ledger.scratch (id int)');
    await ledger.query('ROLLBACK');
  });

  it.each([
    ['read', 'SELECT * FROM intents.outbox'],
    ['write', `INSERT INTO intents.inbox (consumer, event_id, event_type) VALUES ('x', gen_random_uuid(), 'x')`],
    ['create in', 'CREATE TABLE intents.evil (id int)'],
    ['create in public', 'CREATE TABLE public.evil (id int)'],
  ])('refuses to %s another schema', async (_what, sql) => {
    await expect(ledger.query(sql)).rejects.toThrow(/permission denied/);
  });
});
