import { Injectable } from '@nestjs/common';
import type { Queryable } from '@payflow/platform/database';
import { CustomerTime } from '../test-clocks/customer-time';
import { CustomerBalances } from './customer-balances';
import { Cause, NO_CAUSE } from './invoice-events';
import { invoicesFinalizedTotal } from './invoice-metrics';
import { sequenceOf } from './invoice-number';
import { InvoiceNumbers } from './invoice-numbers';
import { settle, subtotalOf } from './invoice-totals';
import type { InvoiceRow } from './invoice.row';
import { InvoiceWriter } from './invoice-writer';
import { InvoicesRepository } from './invoices.repository';
import { PaymentAttempts } from './payment-attempts';
import { SubscriptionEffects } from './subscription-effects';

/**
 * Finalization (DESIGN.md "Billing"), in one transaction under the invoice's row lock: the lines
 * are summed, the customer's credit applied (its balance row locked), the next number of the
 * merchant's gapless sequence drawn (its row locked until commit), the invoice opened and
 * `invoice.finalized` written; then either its first payment attempt is requested, or — nothing
 * being due — it is paid at once (`invoice.paid`, a negative total having become credit).
 *
 * Locks are always taken in one order: subscription, invoice, customer balance, number sequence.
 */
@Injectable()
export class InvoiceFinalization {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly customerTime: CustomerTime,
    private readonly balances: CustomerBalances,
    private readonly numbers: InvoiceNumbers,
    private readonly writer: InvoiceWriter,
    private readonly attempts: PaymentAttempts,
    private readonly effects: SubscriptionEffects,
  ) {}

  /** Finalizes a draft (the `invoice.finalize` work): anything else is left as it is (idempotent). */
  async finalize(tx: Queryable, invoiceId: string, cause: Cause = NO_CAUSE): Promise<InvoiceRow | null> {
    const peek = await this.invoices.find(tx, invoiceId);
    if (!peek || peek.status !== 'draft') return peek;
    if (peek.subscription_id) {
      await tx.query(`SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE`, [peek.subscription_id]);
    }
    const draft = await this.invoices.find(tx, invoiceId, 'update');
    if (!draft || draft.status !== 'draft') return draft;
    return this.finalizeLocked(tx, draft, cause);
  }

  /** Finalizes a draft whose subscription and row the caller has locked. */
  async finalizeLocked(tx: Queryable, draft: InvoiceRow, cause: Cause): Promise<InvoiceRow> {
    const now = await this.customerTime.nowFor(tx, draft.customer_id);
    const subtotal = subtotalOf(await this.invoices.lines(tx, draft.id));
    const balance = await this.balances.lock(tx, draft.customer_id, draft.currency);
    const settlement = settle(subtotal, balance);
    await this.balances.add(tx, draft.customer_id, draft.currency, settlement.ending_balance - balance);
    const number = await this.numbers.next(tx, draft.merchant_id, sequenceOf(draft.test_clock_id));
    const paidNow = settlement.amount_due === 0;

    let row = await this.writer.change(
      tx,
      draft,
      {
        status: paidNow ? 'paid' : 'open',
        number,
        subtotal: settlement.subtotal,
        total: settlement.total,
        starting_balance: settlement.starting_balance,
        amount_due: settlement.amount_due,
        finalized_at: now,
        finalize_at: null,
        paid_at: paidNow ? now : null,
      },
      'invoice.finalized',
      {},
      now,
      cause,
    );
    invoicesFinalizedTotal.inc({ status: row.status });
    if (paidNow) {
      row = await this.writer.change(tx, row, {}, 'invoice.paid', {}, now, cause);
      await this.effects.invoicePaid(tx, row, now, cause);
      return row;
    }
    return this.attempts.request(tx, row, 1, now, cause);
  }
}
