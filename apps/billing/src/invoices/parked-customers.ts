import { Injectable, Logger } from '@nestjs/common';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { invariantViolationsTotal } from './invoice-metrics';

export interface Violation {
  kind: string;
  detail: object;
}

/**
 * Kill Bill's parked accounts: when the generator's invariants break for a customer (a period
 * billed twice, a repair larger than what was billed, a total that does not add up, a line aimed at
 * a finalized invoice), billing writes no invoice for it, records why, counts it
 * (`billing_invariant_violations_total{kind}`) and logs it; nothing more is invoiced for that
 * customer until an operator has looked and removed the row.
 */
@Injectable()
export class ParkedCustomers {
  private readonly logger = new Logger(ParkedCustomers.name);

  /** Which of these customers are parked. */
  async parkedAmong(db: Queryable, customerIds: readonly string[]): Promise<Set<string>> {
    if (customerIds.length === 0) return new Set();
    const rows = rowsOf<{ customer_id: string }>(
      await db.query(`SELECT customer_id FROM parked_customers WHERE customer_id = ANY($1::text[])`, [
        customerIds,
      ]),
    );
    return new Set(rows.map((row) => row.customer_id));
  }

  async isParked(db: Queryable, customerId: string): Promise<boolean> {
    return (
      rowsOf(await db.query(`SELECT 1 FROM parked_customers WHERE customer_id = $1`, [customerId])).length > 0
    );
  }

  async park(
    tx: Queryable,
    customer: { id: string; merchant_id: string },
    subscriptionId: string,
    violations: readonly Violation[],
    at: Date,
  ): Promise<void> {
    for (const violation of violations) invariantViolationsTotal.inc({ kind: violation.kind });
    await tx.query(
      `INSERT INTO parked_customers (customer_id, merchant_id, violation, detail, parked_at)
       VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (customer_id) DO NOTHING`,
      [
        customer.id,
        customer.merchant_id,
        violations[0].kind,
        JSON.stringify({ subscription: subscriptionId, violations }),
        at,
      ],
    );
    this.logger.error(
      `customer ${customer.id} parked: invoice invariants broke for subscription ${subscriptionId} ` +
        `(${violations.map((v) => v.kind).join(', ')}); nothing is invoiced until it is unparked: ${JSON.stringify(violations)}`,
    );
  }
}
