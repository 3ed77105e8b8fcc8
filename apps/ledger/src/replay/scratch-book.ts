import { DataSource, MigrationInterface } from 'typeorm';
import { createMessagingTablesSql } from '@payflow/platform/outbox';
// The book's own migrations, the very ones that built the live `ledger` schema. They name no
// schema (they work in current_schema()), unlike the messaging ones, which name `ledger` and are
// replaced here by the same tables created in the scratch schema. The migrations project has no
// import alias (only the tooling imports it); this command-line tool is not part of the service bundle.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { LedgerBook1764230400001 } from '../../../../migrations/ledger/1764230400001-ledger-book';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { LedgerBookFunction1764921600100 } from '../../../../migrations/ledger/1764921600100-ledger-book-function';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { PspLastWord1765000000000 } from '../../../../migrations/ledger/1765000000000-psp-last-word';
import { BookAccount, BookContents, BookEntry } from './compare-books';

const BOOK_MIGRATIONS: (new () => MigrationInterface)[] = [
  LedgerBook1764230400001,
  LedgerBookFunction1764921600100,
  PspLastWord1765000000000,
];

/** A data source on the admin connection whose search_path is the given schema only. */
export function schemaDataSource(adminUrl: string, schema: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url: adminUrl,
    schema,
    applicationName: 'replay-ledger',
    extra: { max: 2, options: `-c search_path=${schema}` },
  });
}

/** Creates `schema` with the ledger's book (accounts, entries, postings, book_batch) and an outbox. */
export async function createScratchBook(dataSource: DataSource, schema: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of createMessagingTablesSql(schema)) await runner.query(sql);
    for (const Migration of BOOK_MIGRATIONS) await new Migration().up(runner);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

/** Reads a book's entries with their postings and its accounts, from any schema of that shape. */
export async function readBook(dataSource: DataSource, schema: string): Promise<BookContents> {
  const s = `"${schema.replace(/"/g, '""')}"`;
  const entries: {
    source_event_id: string;
    kind: string;
    merchant_id: string;
    intent_id: string | null;
    voids: string | null;
    postings:
      { account: string; currency: string; direction: string; amount: string; pending: boolean }[] | null;
  }[] = await dataSource.query(
    `SELECT e.source_event_id::text, e.kind, e.merchant_id, e.intent_id, v.source_event_id::text AS voids,
            (SELECT json_agg(json_build_object('account', a.code, 'currency', p.currency, 'direction', p.direction,
                                               'amount', p.amount::text, 'pending', p.pending) ORDER BY p.id)
               FROM ${s}.postings p LEFT JOIN ${s}.accounts a ON a.id = p.account_id WHERE p.entry_id = e.id) AS postings
       FROM ${s}.entries e LEFT JOIN ${s}.entries v ON v.id = e.voids_entry_id
      ORDER BY e.id`,
  );
  const accounts: { code: string; currency: string; dp: string; cp: string; dpe: string; cpe: string }[] =
    await dataSource.query(
      `SELECT code, currency, debits_posted::text AS dp, credits_posted::text AS cp, debits_pending::text AS dpe, credits_pending::text AS cpe
       FROM ${s}.accounts ORDER BY code, currency`,
    );
  return {
    entries: entries.map((row): BookEntry => ({
      sourceEventId: row.source_event_id,
      kind: row.kind,
      merchantId: row.merchant_id,
      intentId: row.intent_id,
      voidsSourceEventId: row.voids,
      postings: (row.postings ?? []).map((p) => ({ ...p, account: p.account ?? '(no account)' })),
    })),
    accounts: accounts.map((row): BookAccount => ({
      code: row.code,
      currency: row.currency,
      debitsPosted: row.dp,
      creditsPosted: row.cp,
      debitsPending: row.dpe,
      creditsPending: row.cpe,
    })),
  };
}
