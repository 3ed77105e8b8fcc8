import { Injectable, Logger } from '@nestjs/common';
import type { Tx } from '@payflow/platform/database';
import type { Cause } from '../invoices/invoice-events';
import type { InvoiceRow } from '../invoices/invoice.row';
import { InvoicesRepository } from '../invoices/invoices.repository';
import { dunningEventsTotal } from './collections-metrics';

/** What the handlers need of a consumed dunning event. */
export interface DunningEventRef {
  id: string;
  type: string;
  merchant_id: string;
  correlation_id: string | null;
}

/**
 * The invoice a dunning event is about, locked as every writer of invoices locks it: its
 * subscription's read model row first, then the invoice. Null — logged and counted as
 * `unknown_invoice` — when billing has no such invoice for the event's merchant.
 *
 * A customer on a test clock: the clock's row is taken first, FOR SHARE. A step of the advance saga
 * holds it FOR UPDATE while it reads its gates in several statements; without this, a retry's
 * payment request committing between the payments gate's read and the dunning gate's let the clock
 * move on with that payment in flight (bench:dunning found it). Now the request commits before the
 * step reads, or after the step is over; the step skips a clock a request holds (SKIP LOCKED).
 */
@Injectable()
export class CaseInvoices {
  private readonly logger = new Logger(CaseInvoices.name);

  constructor(private readonly invoices: InvoicesRepository) {}

  async lock(tx: Tx, event: DunningEventRef, invoiceId: string): Promise<InvoiceRow | null> {
    const peek = await this.invoices.find(tx, invoiceId);
    if (!peek || peek.merchant_id !== event.merchant_id) {
      this.logger.warn(`${event.type} ${event.id} names invoice ${invoiceId}, which billing does not know for ${event.merchant_id}`);
      dunningEventsTotal.inc({ type: event.type, outcome: 'unknown_invoice' });
      return null;
    }
    if (peek.test_clock_id) {
      await tx.query(`SELECT 1 FROM test_clocks WHERE id = $1 FOR SHARE`, [peek.test_clock_id]);
    }
    if (peek.subscription_id) {
      await tx.query(`SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE`, [peek.subscription_id]);
    }
    return this.invoices.find(tx, invoiceId, 'update');
  }
}

/** The cause of what a consumed event changes (invoice events' shape). */
export const causeOf = (event: DunningEventRef): Cause => ({ correlation_id: event.correlation_id, causation_id: event.id });

/** Counts what billing did with a dunning event. */
export const countDunningEvent = (event: { type: string }, outcome: string): void => {
  dunningEventsTotal.inc({ type: event.type, outcome });
};
