import { Client } from 'pg';
import { adminDatabaseUrl } from '@payflow/platform/testing';
import { LedgerFixture } from './ledger-fixture';
import { IntentStory, newId } from './money-events';

describe('the database guards the book', () => {
  const fx = new LedgerFixture();
  let admin: Client;
  let entryId: string;

  beforeAll(async () => {
    await fx.setUp(60);
    admin = new Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
    const story = new IntentStory(newId('mer'), 10_000, 'USD');
    const [booked] = await fx.book([story.captured(10_000)]);
    entryId = booked.entryId;
  });

  afterAll(async () => {
    await admin.end();
    await fx.tearDown();
  });

  it('refuses an unbalanced entry written without the code', async () => {
    const [account] = await fx.dataSource.query(`SELECT id FROM accounts LIMIT 1`);
    await expect(
      fx.dataSource.transaction(async (tx) => {
        const [entry] = await tx.query(
          `INSERT INTO entries (source_event_id, kind, merchant_id, occurred_at) VALUES (gen_random_uuid(), 'capture', 'mer_x', now()) RETURNING id`,
        );
        await tx.query(
          `INSERT INTO postings (entry_id, account_id, direction, amount, currency, pending)
           VALUES ($1, $2, 'debit', 100, 'USD', false), ($1, $2, 'credit', 99, 'USD', false)`,
          [entry.id, account.id],
        );
      }),
    ).rejects.toThrow(/unbalanced entry/);
  });

  it('refuses an entry with a single posting', async () => {
    const [account] = await fx.dataSource.query(`SELECT id FROM accounts LIMIT 1`);
    await expect(
      fx.dataSource.transaction(async (tx) => {
        const [entry] = await tx.query(
          `INSERT INTO entries (source_event_id, kind, merchant_id, occurred_at) VALUES (gen_random_uuid(), 'capture', 'mer_x', now()) RETURNING id`,
        );
        await tx.query(
          `INSERT INTO postings (entry_id, account_id, direction, amount, currency, pending) VALUES ($1, $2, 'debit', 0 + 1, 'USD', false)`,
          [entry.id, account.id],
        );
      }),
    ).rejects.toThrow(/unbalanced entry|fewer than two postings/);
  });

  it.each(['UPDATE ledger.postings SET amount = amount + 1 WHERE entry_id = $1', 'DELETE FROM ledger.postings WHERE entry_id = $1',
    'UPDATE ledger.entries SET merchant_id = \'mer_evil\' WHERE id = $1', 'DELETE FROM ledger.entries WHERE id = $1'])(
    'refuses %s to the ledger role (no such right) and to a superuser (trigger)',
    async (sql) => {
      await expect(fx.dataSource.query(sql, [entryId])).rejects.toThrow(/permission denied/);
      await expect(admin.query(sql, [entryId])).rejects.toThrow(/is immutable/);
    },
  );

  it('refuses TRUNCATE even to a superuser', async () => {
    await expect(admin.query('TRUNCATE ledger.postings')).rejects.toThrow(/immutable|cannot truncate/);
  });

  it('loses no update when 50 postings hit one hot account concurrently', async () => {
    const merchantId = newId('mer');
    const stories = Array.from({ length: 50 }, (_, i) => new IntentStory(merchantId, 1_000 + i, 'EUR', 'adyen'));
    await Promise.all(stories.map((story, i) => fx.book([story.captured(1_000 + i, 0, 0)])));
    const accounts = await fx.merchantAccounts(merchantId);
    const expected = stories.reduce((sum, _, i) => sum + BigInt(1_000 + i), 0n);
    expect(accounts['merchant_payable/EUR'].posted).toBe(expected);
    const report = await fx.verifier.verify();
    expect(report.violations).toEqual([]);
  });
});
