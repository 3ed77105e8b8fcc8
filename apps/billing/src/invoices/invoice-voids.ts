import { Injectable } from '@nestjs/common';
import type { Queryable } from '@payflow/platform/database';
import { CustomerBalances } from './customer-balances';
import type { Cause } from './invoice-events';
import { balanceRestoredByVoid } from './invoice-totals';
import type { InvoiceRow } from './invoice.row';
import { InvoiceWriter } from './invoice-writer';
import { InvoicesRepository } from './invoices.repository';

/**
 * Voiding an open invoice: by the merchant (`POST /v1/invoices/{id}/void`), or by billing when a
 * subscription expires `incomplete` (Stripe voids the first invoice of an `incomplete_expired`
 * subscription, so nothing is left to collect for a subscription that never started). The credit
 * balance its finalization applied is given back (Stripe). The caller holds the subscription's and
 * the invoice's locks and has checked that no payment is in flight: one could still succeed.
 */
@Injectable()
export class InvoiceVoids {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly writer: InvoiceWriter,
    private readonly balances: CustomerBalances,
  ) {}

  async voidLocked(tx: Queryable, invoice: InvoiceRow, clockTime: Date, cause: Cause): Promise<InvoiceRow> {
    await this.balances.lock(tx, invoice.customer_id, invoice.currency);
    await this.balances.add(tx, invoice.customer_id, invoice.currency, balanceRestoredByVoid(invoice.total, invoice.starting_balance));
    return this.writer.change(
      tx,
      invoice,
      { status: 'void', voided_at: clockTime, next_payment_attempt: null },
      'invoice.voided',
      {},
      clockTime,
      cause,
    );
  }

  /**
   * The subscription has expired `incomplete`: its open invoices with no payment in flight are
   * voided now; one whose payment is in flight is voided when that payment fails
   * (`PaymentAnswers`), or paid if it succeeds, so no payment is ever left without its invoice.
   */
  async voidOpenOfExpired(tx: Queryable, subscriptionId: string, clockTime: Date, cause: Cause): Promise<void> {
    for (const invoice of await this.invoices.ofStatusLocked(tx, subscriptionId, 'open')) {
      if (!invoice.payment_pending) await this.voidLocked(tx, invoice, clockTime, cause);
    }
  }
}
