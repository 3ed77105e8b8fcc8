import { Client } from 'pg';
import { serviceDatabaseUrl } from '@payflow/platform/config';
import { adminDatabaseUrl } from '@payflow/platform/testing';
import { LedgerFixture } from './ledger-fixture';
import { IntentStory, newId } from './money-events';

/** A book_batch argument with one entry; `postings` default to a balanced capture of 100 USD. */
function batchOf(entry: Record<string, unknown>, postings?: Record<string, unknown>[]): string {
  const merchant = 'mer_guard';
  return JSON.stringify({
    accounts: [
      { code: 'psp_receivable:stripe', currency: 'USD', kind: 'psp_receivable', type: 'asset', merchant_id: null, provider: 'stripe' },
      { code: `merchant_payable:${merchant}`, currency: 'USD', kind: 'merchant_payable', type: 'liability', merchant_id: merchant, provider: null },
    ],
    entries: [
      {
        source_event_id: crypto.randomUUID(),
        kind: 'capture',
        merchant_id: merchant,
        intent_id: newId('pi'),
        occurred_at: new Date().toISOString(),
        postings: postings ?? [
          { account: 'psp_receivable:stripe', currency: 'USD', direction: 'debit', amount: '100', pending: false },
          { account: `merchant_payable:${merchant}`, currency: 'USD', direction: 'credit', amount: '100', pending: false },
        ],
        ...entry,
      },
    ],
  });
}

/**
 * The book's rules hold for the ledger's own runtime role whatever SQL it sends: it may only read
 * the book and call book_batch(), which refuses anything that breaks a rule. Triggers refuse
 * changes to entries and postings even to a superuser.
 */
describe('the database guards the book', () => {
  const fx = new LedgerFixture();
  let admin: Client;
  let runtime: Client;
  let entryId: string;
  let accountId: string;

  beforeAll(async () => {
    await fx.setUp(60);
    admin = new Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
    runtime = new Client({ connectionString: serviceDatabaseUrl('ledger') });
    await runtime.connect();
    const story = new IntentStory(newId('mer'), 10_000, 'USD');
    const [booked] = await fx.book([story.captured(10_000)]);
    entryId = booked.entryId;
    [{ id: accountId }] = await fx.dataSource.query(`SELECT id::text FROM accounts WHERE currency = 'USD' LIMIT 1`);
  });

  afterAll(async () => {
    await runtime.end();
    await admin.end();
    await fx.tearDown();
  });

  describe('the runtime role writes the book only through book_batch()', () => {
    it.each([
      ['add a posting to an existing entry', `INSERT INTO postings (entry_id, account_id, direction, amount, currency, pending) VALUES ($1, $2, 'debit', 1, 'USD', false)`],
      ['insert an entry', `INSERT INTO entries (source_event_id, kind, merchant_id, occurred_at) SELECT gen_random_uuid(), 'capture', 'mer_x', now() WHERE $1::bigint > 0 AND $2::bigint > 0`],
      ['change a running total', `UPDATE accounts SET credits_posted = credits_posted + 1 WHERE id = $2 AND $1::bigint > 0`],
      ['open an account', `INSERT INTO accounts (code, currency, kind, type, provider) SELECT 'psp_receivable:evil', 'USD', 'psp_receivable', 'asset', 'evil' WHERE $1::bigint > 0 AND $2::bigint > 0`],
      ['update a posting', `UPDATE postings SET amount = amount + 1 WHERE entry_id = $1 AND $2::bigint > 0`],
      ['delete a posting', `DELETE FROM postings WHERE entry_id = $1 AND $2::bigint > 0`],
      ['update an entry', `UPDATE entries SET merchant_id = 'mer_evil' WHERE id = $1 AND $2::bigint > 0`],
      ['delete an entry', `DELETE FROM entries WHERE id = $1 AND $2::bigint > 0`],
      ['close an intent by hand', `INSERT INTO closed_intents (intent_id, closed_by_event_id, closed_as) SELECT 'pi_x', gen_random_uuid(), 'captured' WHERE $1::bigint > 0 AND $2::bigint > 0`],
      ['draw entry ids', `SELECT nextval('entries_id_seq') WHERE $1::bigint > 0 AND $2::bigint > 0`],
    ])('refuses to %s', async (_what, sql) => {
      await expect(runtime.query(sql, [entryId, accountId])).rejects.toThrow(/permission denied/);
    });

    it.each(['TRUNCATE postings', 'TRUNCATE entries', 'TRUNCATE accounts'])('refuses %s', async (sql) => {
      await expect(runtime.query(sql)).rejects.toThrow(/permission denied/);
    });

    it.each([
      'DROP TRIGGER postings_balanced ON postings',
      'DROP TRIGGER entries_immutable ON entries',
      'DROP TABLE postings',
      'ALTER TABLE postings DISABLE TRIGGER ALL',
      'CREATE OR REPLACE FUNCTION book_batch(p_batch jsonb) RETURNS TABLE (booked_event_id uuid, booked_entry_id bigint) LANGUAGE sql AS $$ SELECT NULL::uuid, NULL::bigint $$',
    ])('refuses %s (it owns nothing)', async (sql) => {
      await expect(runtime.query(sql)).rejects.toThrow(/must be owner|permission denied/);
    });
  });

  describe('book_batch() refuses what breaks a rule, called by the runtime role', () => {
    const call = (batch: string) => runtime.query('SELECT * FROM book_batch($1::jsonb)', [batch]);

    it('books a valid entry', async () => {
      await expect(call(batchOf({}))).resolves.toMatchObject({ rowCount: 1 });
    });

    it('refuses postings for an entry that already exists', async () => {
      const [{ source_event_id }] = await fx.dataSource.query(`SELECT source_event_id::text FROM entries WHERE id = $1`, [entryId]);
      await expect(call(batchOf({ source_event_id }))).rejects.toThrow(/duplicate key/);
      const [{ n }] = await fx.dataSource.query(`SELECT count(*)::int AS n FROM postings WHERE entry_id = $1`, [entryId]);
      expect(n).toBe(3);
    });

    it('refuses an unbalanced entry', async () => {
      const batch = batchOf({}, [
        { account: 'psp_receivable:stripe', currency: 'USD', direction: 'debit', amount: '100', pending: false },
        { account: 'merchant_payable:mer_guard', currency: 'USD', direction: 'credit', amount: '99', pending: false },
      ]);
      await expect(call(batch)).rejects.toThrow(/unbalanced entry/);
    });

    it('refuses an entry balanced only across phases', async () => {
      const batch = batchOf({}, [
        { account: 'psp_receivable:stripe', currency: 'USD', direction: 'debit', amount: '100', pending: false },
        { account: 'merchant_payable:mer_guard', currency: 'USD', direction: 'credit', amount: '100', pending: true },
      ]);
      await expect(call(batch)).rejects.toThrow(/unbalanced entry/);
    });

    it.each([0, 1])('refuses an entry with %d posting(s)', async (count) => {
      const postings = [{ account: 'psp_receivable:stripe', currency: 'USD', direction: 'debit', amount: '100', pending: false }].slice(0, count);
      await expect(call(batchOf({}, postings))).rejects.toThrow(/fewer than two postings/);
    });

    it('refuses a posting to an account that does not exist in its currency', async () => {
      const batch = batchOf({}, [
        { account: 'psp_receivable:stripe', currency: 'USD', direction: 'debit', amount: '100', pending: false },
        { account: 'merchant_payable:mer_guard', currency: 'EUR', direction: 'credit', amount: '100', pending: false },
      ]);
      await expect(call(batch)).rejects.toThrow(/account_id|null value/);
    });

    it('refuses a void of something that is not a hold of the intent', async () => {
      await expect(call(batchOf({ voids_entry_id: entryId }))).rejects.toThrow(/voids no authorization hold/);
    });

    it('refuses a hold on an intent already captured', async () => {
      const [{ intent_id }] = await fx.dataSource.query(`SELECT intent_id FROM entries WHERE id = $1`, [entryId]);
      const hold = batchOf({ kind: 'authorization_hold', intent_id }, [
        { account: 'psp_receivable:stripe', currency: 'USD', direction: 'debit', amount: '100', pending: true },
        { account: 'merchant_payable:mer_guard', currency: 'USD', direction: 'credit', amount: '100', pending: true },
      ]);
      await expect(call(hold)).rejects.toThrow(/already closed/);
    });
  });

  describe('the triggers hold even for a superuser', () => {
    it('refuses a posting in a currency other than its account', async () => {
      await admin.query('BEGIN');
      try {
        const { rows } = await admin.query(
          `INSERT INTO ledger.entries (source_event_id, kind, merchant_id, occurred_at) VALUES (gen_random_uuid(), 'capture', 'mer_x', now()) RETURNING id`,
        );
        await expect(
          admin.query(
            `INSERT INTO ledger.postings (entry_id, account_id, direction, amount, currency, pending)
             VALUES ($1, $2, 'debit', 100, 'EUR', false), ($1, $2, 'credit', 100, 'EUR', false)`,
            [rows[0].id, accountId],
          ),
        ).rejects.toThrow(/to an account in USD/);
      } finally {
        await admin.query('ROLLBACK');
      }
    });

    it('refuses a posting without its entry', async () => {
      await expect(
        admin.query(
          `INSERT INTO ledger.postings (entry_id, account_id, direction, amount, currency, pending)
           VALUES (-1, $1, 'debit', 100, 'USD', false), (-1, $1, 'credit', 100, 'USD', false)`,
          [accountId],
        ),
      ).rejects.toThrow(/posting without its entry/);
    });

    it.each([
      'UPDATE ledger.postings SET amount = amount + 1 WHERE entry_id = $1',
      'DELETE FROM ledger.postings WHERE entry_id = $1',
      `UPDATE ledger.entries SET merchant_id = 'mer_evil' WHERE id = $1`,
      'DELETE FROM ledger.entries WHERE id = $1',
    ])('refuses %s', async (sql) => {
      await expect(admin.query(sql, [entryId])).rejects.toThrow(/is immutable/);
    });

    it('refuses TRUNCATE', async () => {
      await expect(admin.query('TRUNCATE ledger.postings')).rejects.toThrow(/immutable|cannot truncate/);
    });
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
