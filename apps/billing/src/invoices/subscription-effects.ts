import { Injectable } from '@nestjs/common';
import type { Queryable } from '@payflow/platform/database';
import { SubscriptionStreams } from '../subscriptions/subscription-streams';
import type { Cause } from './invoice-events';
import { InvoiceRow, toSeconds } from './invoice.row';
import { InvoicesRepository } from './invoices.repository';
import { StatusChange, statusAfterPaid, statusAfterPaymentFailed } from './subscription-status';

/**
 * What an invoice's payment outcome does to its subscription, appended to the subscription's stream
 * as `status_changed` through SubscriptionStreams (the only writer of streams), in the caller's
 * transaction. The caller holds the subscription's lock (taken before the invoice's).
 */
@Injectable()
export class SubscriptionEffects {
  constructor(
    private readonly streams: SubscriptionStreams,
    private readonly invoices: InvoicesRepository,
  ) {}

  async invoicePaid(tx: Queryable, invoice: InvoiceRow, clockTime: Date, cause: Cause): Promise<void> {
    if (!invoice.subscription_id) return;
    const loaded = await this.streams.load(tx, invoice.subscription_id, { forUpdate: true });
    if (!loaded) return;
    const otherFailedOpen = await this.invoices.hasOtherFailedOpen(tx, invoice.subscription_id, invoice.id);
    await this.apply(tx, invoice.subscription_id, loaded.state.version, statusAfterPaid(loaded.state.status, otherFailedOpen), clockTime, cause);
  }

  async paymentFailed(tx: Queryable, invoice: InvoiceRow, clockTime: Date, cause: Cause): Promise<void> {
    if (!invoice.subscription_id) return;
    const loaded = await this.streams.load(tx, invoice.subscription_id, { forUpdate: true });
    if (!loaded) return;
    await this.apply(tx, invoice.subscription_id, loaded.state.version, statusAfterPaymentFailed(loaded.state.status), clockTime, cause);
  }

  private async apply(
    tx: Queryable,
    subscriptionId: string,
    version: number,
    change: StatusChange,
    clockTime: Date,
    cause: Cause,
  ): Promise<void> {
    if (!change) return;
    await this.streams.append(
      tx,
      subscriptionId,
      version,
      [{ type: 'status_changed', at: toSeconds(clockTime), data: change }],
      { correlationId: cause.correlation_id, causationId: cause.causation_id },
    );
  }
}
