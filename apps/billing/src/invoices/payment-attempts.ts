import { Injectable } from '@nestjs/common';
import { Queryable, rowsOf } from '@payflow/platform/database';
import type { Cause } from './invoice-events';
import { paymentRequestsTotal } from './invoice-metrics';
import type { InvoiceRow } from './invoice.row';
import { InvoiceWriter } from './invoice-writer';
import { paymentRefusalOf } from './payment-refusal';
import type { InvoiceChanges } from './invoices.repository';
import { SubscriptionEffects } from './subscription-effects';

/** One failed attempt, as `invoice.payment_failed` reports it (the decline exactly as the PSP gave it). */
export interface PaymentFailure {
  attempt: number;
  payment_intent: string | null;
  payment_method: string | null;
  code: string;
  decline_code: string | null;
  network: string | null;
  advice_code: string | null;
}

/**
 * An open invoice's payment attempts (DESIGN.md "Billing"): asking intents for one
 * (`invoice.payment_requested`, the command it acts on, idempotent on (invoice, attempt)), and
 * recording its answer — paid, or failed — with what that does to the subscription. Every method
 * runs in the caller's transaction, which holds the subscription's and then the invoice's locks.
 */
@Injectable()
export class PaymentAttempts {
  constructor(
    private readonly writer: InvoiceWriter,
    private readonly effects: SubscriptionEffects,
  ) {}

  /**
   * Requests attempt `attempt` of an open invoice and marks it in flight. A customer without a
   * payment method, whose card dunning marked unusable (`payment_method.unusable`), or an amount no
   * payment can carry, is not asked for anything: the attempt is recorded as failed at once
   * (`paymentRefusalOf`), so it goes to dunning as a failure waiting for a new card.
   */
  async request(tx: Queryable, invoice: InvoiceRow, attempt: number, clockTime: Date, cause: Cause): Promise<InvoiceRow> {
    const { payment_method: paymentMethod, unusable } = await this.chargeableMethodOf(tx, invoice.customer_id);
    const refusal = paymentRefusalOf({ paymentMethod, unusable, amountDue: invoice.amount_due });
    if (refusal || !paymentMethod) {
      paymentRequestsTotal.inc({ outcome: refusal?.outcome ?? 'no_payment_method' });
      return this.failed(
        tx,
        invoice,
        {
          attempt,
          payment_intent: null,
          payment_method: paymentMethod,
          code: refusal?.code ?? 'payment_method_missing',
          decline_code: null,
          network: null,
          advice_code: null,
        },
        clockTime,
        cause,
      );
    }
    paymentRequestsTotal.inc({ outcome: 'requested' });
    return this.writer.change(
      tx,
      invoice,
      { attempt_count: attempt, payment_pending: true, next_payment_attempt: null },
      'invoice.payment_requested',
      {
        attempt,
        payment_method: paymentMethod,
        amount: invoice.amount_due,
        currency: invoice.currency,
        customer: invoice.customer_id,
        off_session: true,
      },
      clockTime,
      cause,
    );
  }

  /** The attempt failed: recorded once, the invoice stays open, the subscription may go past_due. */
  async failed(tx: Queryable, invoice: InvoiceRow, failure: PaymentFailure, clockTime: Date, cause: Cause): Promise<InvoiceRow> {
    return this.recordFailure(
      tx,
      invoice,
      {
        attempt_count: Math.max(invoice.attempt_count, failure.attempt),
        payment_intent_id: failure.payment_intent ?? invoice.payment_intent_id,
      },
      failure,
      clockTime,
      cause,
    );
  }

  /** The invoice's payment succeeded: paid, and the subscription may become active. */
  async paid(
    tx: Queryable,
    invoice: InvoiceRow,
    payment: { payment_intent: string; amount: number },
    clockTime: Date,
    cause: Cause,
  ): Promise<InvoiceRow> {
    const after = await this.writer.change(
      tx,
      invoice,
      {
        status: 'paid',
        amount_paid: payment.amount,
        paid_at: clockTime,
        payment_pending: false,
        payment_intent_id: payment.payment_intent,
        next_payment_attempt: null,
      },
      'invoice.paid',
      {},
      clockTime,
      cause,
    );
    await this.effects.invoicePaid(tx, after, clockTime, cause);
    return after;
  }

  /**
   * The PSP took back a capture that had paid the invoice (Adyen `CAPTURE_FAILED` after `CAPTURE`):
   * no money arrived, so the invoice is `open` again with that attempt failed (code
   * `capture_reversed`, one of PayFlow's own: dunning retries it as technical), and the
   * subscription follows as after any failed payment. The only way back from `paid`
   * (docs/billing.md); `amount_paid` returns to 0.
   */
  async reversed(tx: Queryable, invoice: InvoiceRow, failure: PaymentFailure, clockTime: Date, cause: Cause): Promise<InvoiceRow> {
    return this.recordFailure(tx, invoice, { status: 'open', amount_paid: 0, paid_at: null }, failure, clockTime, cause);
  }

  /** `invoice.payment_failed` for the attempt, no longer in flight, and the subscription's status after it. */
  private async recordFailure(
    tx: Queryable,
    invoice: InvoiceRow,
    changes: InvoiceChanges,
    failure: PaymentFailure,
    clockTime: Date,
    cause: Cause,
  ): Promise<InvoiceRow> {
    const after = await this.writer.change(
      tx,
      invoice,
      // The retry dunning had scheduled has happened: its next one comes with its next decision.
      { ...changes, last_failed_attempt: failure.attempt, payment_pending: false, next_payment_attempt: null },
      'invoice.payment_failed',
      { ...failure, failed_at: clockTime.toISOString() },
      clockTime,
      cause,
    );
    await this.effects.paymentFailed(tx, after, clockTime, cause);
    return after;
  }

  /** The customer's payment method now (null: none). */
  async paymentMethodOf(db: Queryable, customerId: string): Promise<string | null> {
    return (await this.chargeableMethodOf(db, customerId)).payment_method;
  }

  /**
   * The customer's payment method now and whether dunning marked it unusable (a hard decline:
   * `unusable_payment_methods`, written by the collections module). A card stays unusable; the
   * customer's next card is another row, so it is usable.
   */
  async chargeableMethodOf(db: Queryable, customerId: string): Promise<{ payment_method: string | null; unusable: boolean }> {
    const [row] = rowsOf<{ payment_method: string | null; unusable: boolean }>(
      await db.query(
        `SELECT c.payment_method,
                EXISTS (SELECT 1 FROM unusable_payment_methods u
                         WHERE u.customer_id = c.id AND u.payment_method = c.payment_method) AS unusable
           FROM customers c WHERE c.id = $1`,
        [customerId],
      ),
    );
    return { payment_method: row?.payment_method ?? null, unusable: row?.unusable ?? false };
  }
}
