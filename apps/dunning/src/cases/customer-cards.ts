import { Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { type Queryable, rowsOf } from '@payflow/platform/database';

export interface CustomerRow {
  id: string;
  merchant_id: string;
  test_clock_id: string | null;
  /** The customer's card now, as far as dunning knows (null: not known). */
  payment_method: string | null;
  /** The aggregate_version of the `customer.payment_method_updated` that set it (-1: learned otherwise). */
  payment_method_version: number;
}

export interface CustomerRef {
  customer_id: string;
  merchant_id: string;
  test_clock_id: string | null;
}

/**
 * What dunning knows of a customer's cards: the current one (from `customer.payment_method_updated`,
 * else the card of a failure) and the hard-declined ones. The customer's row is the lock that
 * orders a card change against a failure of the same customer (they arrive on different
 * partitions): whichever commits second sees the other, so an update that overtook the failure
 * still makes the case try the new card.
 */
@Injectable()
export class CustomerCards {
  constructor(private readonly clock: Clock) {}

  /** The customer's row, created at first sight, locked until the caller's transaction ends. */
  async lock(tx: Queryable, ref: CustomerRef): Promise<CustomerRow> {
    await this.ensure(tx, ref);
    const rows = rowsOf<CustomerRow>(
      await tx.query(
        `SELECT id, merchant_id, test_clock_id, payment_method, payment_method_version::float8 AS payment_method_version
           FROM customers WHERE id = $1 FOR UPDATE`,
        [ref.customer_id],
      ),
    );
    return rows[0];
  }

  /** The customer's card as far as dunning knows (null: not known), without a lock. */
  async currentOf(tx: Queryable, customerId: string): Promise<string | null> {
    const rows = rowsOf<{ payment_method: string | null }>(
      await tx.query(`SELECT payment_method FROM customers WHERE id = $1`, [customerId]),
    );
    return rows[0]?.payment_method ?? null;
  }

  /** Records the customer (and its clock, which never changes) if it is new. */
  async ensure(tx: Queryable, ref: CustomerRef): Promise<void> {
    await tx.query(
      `INSERT INTO customers AS c (id, merchant_id, test_clock_id, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET test_clock_id = EXCLUDED.test_clock_id
         WHERE c.test_clock_id IS NULL AND EXCLUDED.test_clock_id IS NOT NULL`,
      [ref.customer_id, ref.merchant_id, ref.test_clock_id, this.clock.now()],
    );
  }

  /** The card a customer changed to (`version`: the event's, newer than the stored one). */
  async changeTo(tx: Queryable, customerId: string, paymentMethod: string, version: number): Promise<void> {
    await tx.query(
      `UPDATE customers SET payment_method = $2, payment_method_version = $3, updated_at = $4 WHERE id = $1`,
      [customerId, paymentMethod, version, this.clock.now()],
    );
    // Giving a card again is the customer's word that it works now (billing forgets its mark too).
    await tx.query(`DELETE FROM unusable_payment_methods WHERE customer_id = $1 AND payment_method = $2`, [
      customerId,
      paymentMethod,
    ]);
  }

  /** A failure's card is the customer's current one when no card change told otherwise. */
  async learnFromFailure(tx: Queryable, customer: CustomerRow, paymentMethod: string | null): Promise<CustomerRow> {
    if (customer.payment_method !== null || paymentMethod === null) return customer;
    await tx.query(`UPDATE customers SET payment_method = $2, updated_at = $3 WHERE id = $1 AND payment_method IS NULL`, [
      customer.id,
      paymentMethod,
      this.clock.now(),
    ]);
    return { ...customer, payment_method: paymentMethod };
  }

  /** Marks a hard-declined card; false when it was marked already (nothing new to announce). */
  async markUnusable(
    tx: Queryable,
    mark: { customer_id: string; merchant_id: string; payment_method: string; invoice_id: string; reason: string; declined_at: Date },
  ): Promise<boolean> {
    const rows = rowsOf(
      await tx.query(
        `INSERT INTO unusable_payment_methods (customer_id, payment_method, merchant_id, invoice_id, reason, declined_at, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (customer_id, payment_method) DO NOTHING
         RETURNING payment_method`,
        [mark.customer_id, mark.payment_method, mark.merchant_id, mark.invoice_id, mark.reason, mark.declined_at, this.clock.now()],
      ),
    );
    return rows.length > 0;
  }

  async unusableOf(tx: Queryable, customerId: string): Promise<string[]> {
    const rows = rowsOf<{ payment_method: string }>(
      await tx.query(`SELECT payment_method FROM unusable_payment_methods WHERE customer_id = $1 ORDER BY payment_method`, [customerId]),
    );
    return rows.map((row) => row.payment_method);
  }
}
