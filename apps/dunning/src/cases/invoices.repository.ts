import { Injectable } from '@nestjs/common';
import type { InvoiceBillingReason } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { type Queryable, rowsOf } from '@payflow/platform/database';
import type { CaseSubject } from '../events/dunning-publisher';

export type KnownInvoiceStatus = 'open' | 'paid' | 'void' | 'uncollectible';

export interface InvoiceRow {
  id: string;
  merchant_id: string;
  customer_id: string;
  subscription_id: string | null;
  test_clock_id: string | null;
  billing_reason: InvoiceBillingReason | null;
  status: KnownInvoiceStatus;
  paid_attempt: number | null;
}

/**
 * Invoices as billing's `invoice.*` events told them, whatever order they arrive in: a status only
 * moves forward (open → uncollectible → paid or void), so a late `invoice.finalized` never reopens
 * a paid invoice. The one way back, a paid invoice whose payment was reversed, is `reopen`.
 */
@Injectable()
export class InvoicesRepository {
  constructor(private readonly clock: Clock) {}

  /**
   * Records what an event says of the invoice, locked: facts it did not know (billing reason,
   * clock) are filled in, and `status` (when the event sets one) applies if it is further on.
   */
  async record(
    tx: Queryable,
    subject: CaseSubject,
    billingReason: InvoiceBillingReason | null,
    status: KnownInvoiceStatus | null,
    paidAttempt: number | null = null,
  ): Promise<InvoiceRow> {
    const now = this.clock.now();
    const rows = rowsOf<InvoiceRow>(
      await tx.query(
        `INSERT INTO invoices AS i (id, merchant_id, customer_id, subscription_id, test_clock_id, billing_reason, status,
                                    paid_attempt, recorded_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, 'open'), $8, $9, $9)
         ON CONFLICT (id) DO UPDATE SET
           billing_reason = COALESCE(i.billing_reason, EXCLUDED.billing_reason),
           test_clock_id = COALESCE(i.test_clock_id, EXCLUDED.test_clock_id),
           subscription_id = COALESCE(i.subscription_id, EXCLUDED.subscription_id),
           status = CASE WHEN $7::text IS NOT NULL AND ${rank('$7::text')} > ${rank('i.status')} THEN $7::text ELSE i.status END,
           paid_attempt = CASE WHEN $7::text = 'paid' AND i.status <> 'paid' THEN EXCLUDED.paid_attempt ELSE i.paid_attempt END,
           updated_at = EXCLUDED.updated_at
         RETURNING id, merchant_id, customer_id, subscription_id, test_clock_id, billing_reason, status, paid_attempt`,
        [
          subject.invoice_id,
          subject.merchant_id,
          subject.customer_id,
          subject.subscription_id,
          subject.test_clock_id,
          billingReason,
          status,
          paidAttempt,
          now,
        ],
      ),
    );
    return rows[0];
  }

  /** A paid invoice open again (its payment reversed, and billing reported the attempt failed). */
  async reopen(tx: Queryable, invoiceId: string): Promise<void> {
    await tx.query(`UPDATE invoices SET status = 'open', paid_attempt = NULL, updated_at = $2 WHERE id = $1 AND status = 'paid'`, [
      invoiceId,
      this.clock.now(),
    ]);
  }

  /** The merchant's invoice, or null (unknown, or another merchant's: the same 404). */
  async findOfMerchant(db: Queryable, merchantId: string, invoiceId: string): Promise<InvoiceRow | null> {
    const rows = rowsOf<InvoiceRow>(
      await db.query(
        `SELECT id, merchant_id, customer_id, subscription_id, test_clock_id, billing_reason, status, paid_attempt
           FROM invoices WHERE id = $1 AND merchant_id = $2`,
        [invoiceId, merchantId],
      ),
    );
    return rows[0] ?? null;
  }
}

/** How far on a status is: it never moves back (but through `reopen`). */
function rank(status: string): string {
  return `(CASE ${status} WHEN 'open' THEN 0 WHEN 'uncollectible' THEN 1 ELSE 2 END)`;
}
