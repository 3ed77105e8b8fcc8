import { Injectable } from '@nestjs/common';
import { Queryable, rowsOf } from '@payflow/platform/database';

/**
 * `customer_balances` as finalization uses it: the row of the invoice's currency, locked FOR UPDATE
 * (created at 0 when the customer has none), so two invoices of one customer finalized at once
 * apply its credit one after the other and never both.
 */
@Injectable()
export class CustomerBalances {
  async lock(tx: Queryable, customerId: string, currency: string): Promise<number> {
    await tx.query(
      `INSERT INTO customer_balances (customer_id, currency, balance) VALUES ($1, $2, 0)
       ON CONFLICT (customer_id, currency) DO NOTHING`,
      [customerId, currency],
    );
    const [row] = rowsOf<{ balance: string }>(
      await tx.query(`SELECT balance FROM customer_balances WHERE customer_id = $1 AND currency = $2 FOR UPDATE`, [
        customerId,
        currency,
      ]),
    );
    return Number(row.balance);
  }

  /** Adds `delta` (negative: more credit) to a balance already locked by `lock`. */
  async add(tx: Queryable, customerId: string, currency: string, delta: number): Promise<void> {
    if (delta === 0) return;
    await tx.query(`UPDATE customer_balances SET balance = balance + $3 WHERE customer_id = $1 AND currency = $2`, [
      customerId,
      currency,
      delta,
    ]);
  }

  /** The current balance without locking (previews). */
  async read(db: Queryable, customerId: string, currency: string): Promise<number> {
    const [row] = rowsOf<{ balance: string }>(
      await db.query(`SELECT balance FROM customer_balances WHERE customer_id = $1 AND currency = $2`, [customerId, currency]),
    );
    return row ? Number(row.balance) : 0;
  }
}
