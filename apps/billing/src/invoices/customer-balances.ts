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
      await tx.query(
        `SELECT balance FROM customer_balances WHERE customer_id = $1 AND currency = $2 FOR UPDATE`,
        [customerId, currency],
      ),
    );
    return Number(row.balance);
  }

  /**
   * `lock` for several (customer, currency) rows, in one order (customer, then currency) so two
   * batches never wait on each other crosswise; balances keyed `customer|currency`.
   */
  async lockMany(
    tx: Queryable,
    keys: readonly { customer_id: string; currency: string }[],
  ): Promise<Map<string, number>> {
    const unique = [...new Map(keys.map((k) => [`${k.customer_id}|${k.currency}`, k])).values()].sort(
      (a, b) =>
        a.customer_id === b.customer_id
          ? a.currency.localeCompare(b.currency)
          : a.customer_id < b.customer_id
            ? -1
            : 1,
    );
    const balances = new Map<string, number>();
    if (unique.length === 0) return balances;
    const params = [unique.map((k) => k.customer_id), unique.map((k) => k.currency)];
    await tx.query(
      `INSERT INTO customer_balances (customer_id, currency, balance)
       SELECT customer_id, currency, 0 FROM unnest($1::text[], $2::text[]) AS k(customer_id, currency)
       ON CONFLICT (customer_id, currency) DO NOTHING`,
      params,
    );
    const rows = rowsOf<{ customer_id: string; currency: string; balance: string }>(
      await tx.query(
        `SELECT b.customer_id, b.currency, b.balance FROM customer_balances b
           JOIN unnest($1::text[], $2::text[]) AS k(customer_id, currency)
             ON b.customer_id = k.customer_id AND b.currency = k.currency
          ORDER BY b.customer_id, b.currency FOR UPDATE OF b`,
        params,
      ),
    );
    for (const row of rows)
      balances.set(`${row.customer_id}|${String(row.currency).trim()}`, Number(row.balance));
    return balances;
  }

  /** Adds `delta` (negative: more credit) to a balance already locked by `lock`. */
  async add(tx: Queryable, customerId: string, currency: string, delta: number): Promise<void> {
    if (delta === 0) return;
    await tx.query(
      `UPDATE customer_balances SET balance = balance + $3 WHERE customer_id = $1 AND currency = $2`,
      [customerId, currency, delta],
    );
  }

  /** The current balance without locking (previews). */
  async read(db: Queryable, customerId: string, currency: string): Promise<number> {
    const [row] = rowsOf<{ balance: string }>(
      await db.query(`SELECT balance FROM customer_balances WHERE customer_id = $1 AND currency = $2`, [
        customerId,
        currency,
      ]),
    );
    return row ? Number(row.balance) : 0;
  }
}
