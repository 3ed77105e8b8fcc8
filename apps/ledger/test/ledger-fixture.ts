import { DataSource } from 'typeorm';
import { serviceDatabaseUrl } from '@payflow/platform/config';
import { createServiceDataSource, inTransaction } from '@payflow/platform/database';
import { OutboxWriter } from '@payflow/platform/outbox';
import { BookWriter } from '../src/book/book-writer';
import { MoneyEvent } from '../src/posting-rules';
import { VerifyService } from '../src/verify/verify.service';

/** The ledger's own role and schema, migrated by `npm test` before the suites run. */
export async function ledgerDataSource(poolMax = 10): Promise<DataSource> {
  return createServiceDataSource({ service: 'ledger', url: serviceDatabaseUrl('ledger'), poolMax }).initialize();
}

export class LedgerFixture {
  dataSource!: DataSource;
  writer = new BookWriter(new OutboxWriter('ledger'));
  verifier!: VerifyService;

  async setUp(poolMax = 10): Promise<void> {
    this.dataSource = await ledgerDataSource(poolMax);
    this.verifier = new VerifyService(this.dataSource);
  }

  book(events: MoneyEvent[]) {
    return inTransaction(this.dataSource, (tx) => this.writer.book(tx, events));
  }

  /** Balances of a merchant's accounts: { 'merchant_payable/USD': { posted, pending } }. */
  async merchantAccounts(merchantId: string): Promise<Record<string, { posted: bigint; pending: bigint }>> {
    const rows: { kind: string; currency: string; posted: string; pending: string }[] = await this.dataSource.query(
      `SELECT kind, currency, (credits_posted - debits_posted)::text AS posted, (credits_pending - debits_pending)::text AS pending
         FROM accounts WHERE merchant_id = $1`,
      [merchantId],
    );
    return Object.fromEntries(rows.map((r) => [`${r.kind}/${r.currency}`, { posted: BigInt(r.posted), pending: BigInt(r.pending) }]));
  }

  async entryCount(merchantId: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM entries WHERE merchant_id = $1`, [merchantId]);
    return row.n;
  }

  async tearDown(): Promise<void> {
    await this.dataSource?.destroy();
  }
}
