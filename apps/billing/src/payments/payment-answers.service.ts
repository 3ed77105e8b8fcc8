import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import type { Tx } from '@payflow/platform/database';
import { CustomerTime } from '../test-clocks/customer-time';
import { wakeTestClockSaga } from '../test-clocks/test-clocks.repository';
import type { Cause } from '../invoices/invoice-events';
import type { InvoiceRow } from '../invoices/invoice.row';
import { InvoiceVoids } from '../invoices/invoice-voids';
import { InvoicesRepository } from '../invoices/invoices.repository';
import { SubscriptionStreams } from '../subscriptions/subscription-streams';
import { PaymentAttempts } from '../invoices/payment-attempts';
import { paymentAnswersTotal } from './payment-answer-metrics';
import { declineFactsOf } from './payment-failure';

type FailureEvent = EventOf<'payment_intent.authorization_failed'> | EventOf<'payment_intent.capture_failed'>;

/**
 * Applies intents' answers to billing's payment requests (DESIGN.md "Billing": every command gets
 * an answer), each in the consumer's inbox transaction. Idempotent beyond the inbox: a paid invoice
 * is not paid again, an attempt's failure is recorded once (`last_failed_attempt`), and a rejection
 * only clears the attempt it names. Every answer clears `payment_pending`, which the test clock
 * saga waits on. Locks: the subscription first, then the invoice (the order of every writer).
 */
@Injectable()
export class PaymentAnswers {
  private readonly logger = new Logger(PaymentAnswers.name);

  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly attempts: PaymentAttempts,
    private readonly customerTime: CustomerTime,
    private readonly streams: SubscriptionStreams,
    private readonly voids: InvoiceVoids,
  ) {}

  async captured(tx: Tx, event: EventOf<'payment_intent.captured'>): Promise<void> {
    const invoice = await this.lockInvoiceOf(tx, event, event.data.intent.invoice);
    if (!invoice) return;
    if (invoice.status === 'paid') return this.count(event, 'duplicate');
    if (invoice.status !== 'open' && invoice.status !== 'uncollectible') {
      // Money was taken for an invoice that no longer wants it: the merchant refunds it (API.md
      // lets merchants refund an invoice's payment); billing says so loudly and changes nothing.
      this.logger.error(
        `payment ${event.data.intent.id} captured ${event.data.amount_captured} for invoice ${invoice.id}, which is ${invoice.status}: refund it`,
      );
      return this.count(event, 'invoice_closed');
    }
    if (event.data.amount_captured !== invoice.amount_due) {
      this.logger.warn(
        `invoice ${invoice.id}: captured ${event.data.amount_captured} of an amount due of ${invoice.amount_due}`,
      );
    }
    const now = await this.customerTime.nowFor(tx, invoice.customer_id);
    await this.attempts.paid(
      tx,
      invoice,
      { payment_intent: event.data.intent.id, amount: event.data.amount_captured },
      now,
      this.causeOf(event),
    );
    await this.answered(tx, invoice);
    this.count(event, 'applied');
  }

  async failed(tx: Tx, event: FailureEvent): Promise<void> {
    const invoice = await this.lockInvoiceOf(tx, event, event.data.intent.invoice);
    if (!invoice) return;
    if (invoice.status !== 'open') return this.count(event, 'invoice_closed');
    // The answer is to the attempt in flight (one intent per invoice, its events in order): an
    // attempt whose failure is already recorded is a repeated answer.
    if (invoice.attempt_count === 0 || invoice.last_failed_attempt >= invoice.attempt_count) {
      return this.count(event, 'duplicate');
    }
    const now = await this.customerTime.nowFor(tx, invoice.customer_id);
    const cause = this.causeOf(event);
    const after = await this.attempts.failed(
      tx,
      invoice,
      {
        attempt: invoice.attempt_count,
        payment_intent: event.data.intent.id,
        payment_method: event.data.intent.payment_method,
        ...declineFactsOf(event.type, event.data),
      },
      now,
      cause,
    );
    // The subscription expired while this attempt was in flight: nothing is left to collect.
    if (await this.subscriptionExpired(tx, invoice)) await this.voids.voidLocked(tx, after, now, cause);
    await this.answered(tx, invoice);
    this.count(event, 'applied');
  }

  /**
   * The PSP reversed the capture that paid the invoice: the invoice is open again with the attempt
   * failed (`PaymentAttempts.reversed`). A reversal of any other payment (not the one that paid
   * this invoice, or an invoice not paid) changes nothing.
   */
  async captureReversed(tx: Tx, event: EventOf<'payment_intent.capture_reversed'>): Promise<void> {
    const invoice = await this.lockInvoiceOf(tx, event, event.data.intent.invoice);
    if (!invoice) return;
    if (invoice.status !== 'paid' || invoice.payment_intent_id !== event.data.intent.id) {
      return this.count(event, 'not_paid_by_it');
    }
    this.logger.warn(`invoice ${invoice.id}: the capture of ${event.data.intent.id} that paid it was reversed by the PSP`);
    const now = await this.customerTime.nowFor(tx, invoice.customer_id);
    await this.attempts.reversed(
      tx,
      invoice,
      {
        attempt: invoice.attempt_count,
        payment_intent: event.data.intent.id,
        payment_method: event.data.intent.payment_method,
        code: 'capture_reversed',
        decline_code: null,
        network: null,
        advice_code: null,
      },
      now,
      this.causeOf(event),
    );
    this.count(event, 'applied');
  }

  /**
   * Intents could not apply the request (the intent is mid-flight, already paid, …): the attempt is
   * no longer in flight. Nothing else changes; the invoice's state comes from the intent's own
   * events when there are any.
   */
  async rejected(tx: Tx, event: EventOf<'invoice.payment_request_rejected'>): Promise<void> {
    const invoice = await this.lockInvoiceOf(tx, event, event.data.invoice);
    if (!invoice) return;
    this.logger.warn(
      `invoice ${invoice.id}: intents rejected payment attempt ${event.data.attempt} (${event.data.reason})`,
    );
    if (!invoice.payment_pending || event.data.attempt !== invoice.attempt_count) return this.count(event, 'duplicate');
    await this.invoices.update(tx, invoice.id, {
      payment_pending: false,
      payment_intent_id: invoice.payment_intent_id ?? event.data.payment_intent ?? null,
    });
    await this.answered(tx, invoice);
    this.count(event, 'applied');
  }

  /**
   * The invoice an answer is about, locked after its subscription; null (and counted) when the
   * event is not about a billing invoice of this merchant.
   */
  private async lockInvoiceOf(
    tx: Tx,
    event: { type: string; merchant_id: string },
    invoiceId: string | null | undefined,
  ): Promise<InvoiceRow | null> {
    if (!invoiceId) {
      this.count(event, 'not_billing');
      return null;
    }
    const peek = await this.invoices.find(tx, invoiceId);
    if (!peek || peek.merchant_id !== event.merchant_id) {
      this.logger.warn(`${event.type} names invoice ${invoiceId}, which billing does not know for ${event.merchant_id}`);
      this.count(event, 'unknown_invoice');
      return null;
    }
    if (peek.subscription_id) {
      await tx.query(`SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE`, [peek.subscription_id]);
    }
    return this.invoices.find(tx, invoiceId, 'update');
  }

  private async subscriptionExpired(tx: Tx, invoice: InvoiceRow): Promise<boolean> {
    if (!invoice.subscription_id) return false;
    const loaded = await this.streams.load(tx, invoice.subscription_id);
    return loaded?.state.status === 'incomplete_expired';
  }

  /** A clock's advance waits for this answer: wake its saga at commit instead of at its next poll. */
  private async answered(tx: Tx, invoice: InvoiceRow): Promise<void> {
    if (invoice.test_clock_id) await wakeTestClockSaga(tx, invoice.test_clock_id);
  }

  private causeOf(event: { id: string; correlation_id: string | null }): Cause {
    return { correlation_id: event.correlation_id, causation_id: event.id };
  }

  private count(event: { type: string }, outcome: string): void {
    paymentAnswersTotal.inc({ type: event.type, outcome });
  }
}
