import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import type { Tx } from '@payflow/platform/database';
import { InvoiceWriter } from '../invoices/invoice-writer';
import { toSeconds } from '../invoices/invoice.row';
import { Invoicing } from '../invoices/invoicing';
import { SubscriptionStreams } from '../subscriptions/subscription-streams';
import { CustomerTime } from '../test-clocks/customer-time';
import { wakeTestClockSaga } from '../test-clocks/test-clocks.repository';
import { CaseInvoices, causeOf, countDunningEvent } from './case-invoices';
import { planFinalAction } from './final-action-rules';

/**
 * `dunning.exhausted`: dunning gave up on an invoice; billing applies the merchant's final action
 * (`planFinalAction`) at the customer's time, in the consumer's transaction. The subscription
 * changes only through SubscriptionStreams, the streams' one writer: `cancel` appends `canceled`
 * (then bills as the API's cancel does: nothing owed after now, no invoice at once), `mark_unpaid`
 * appends `status_changed` → `unpaid`; their `subscription.canceled` / `.status_changed` reach
 * merchants as `customer.subscription.deleted` / `.updated`. `mark_uncollectible` moves the open
 * invoice to `uncollectible` (`invoice.marked_uncollectible`), unless a payment is in flight.
 */
@Injectable()
export class FinalActions {
  private readonly logger = new Logger(FinalActions.name);

  constructor(
    private readonly cases: CaseInvoices,
    private readonly streams: SubscriptionStreams,
    private readonly invoicing: Invoicing,
    private readonly writer: InvoiceWriter,
    private readonly customerTime: CustomerTime,
  ) {}

  async exhausted(tx: Tx, event: EventOf<'dunning.exhausted'>): Promise<void> {
    const { final_action: finalAction, mark_uncollectible: markUncollectible, reason } = event.data;
    const invoice = await this.cases.lock(tx, event, event.data.invoice);
    if (!invoice) return;
    const loaded = invoice.subscription_id ? await this.streams.load(tx, invoice.subscription_id, { forUpdate: true }) : null;
    const now = await this.customerTime.nowFor(tx, invoice.customer_id);
    const plan = planFinalAction({ invoice, subscription: loaded?.state ?? null, finalAction, markUncollectible, now: toSeconds(now) });
    // Handled, applied or not: the test clock's dunning gate no longer holds the clock for it.
    await tx.query(
      `INSERT INTO dunning_final_actions (invoice_id, event_id, outcome) VALUES ($1, $2, $3) ON CONFLICT (invoice_id) DO NOTHING`,
      [invoice.id, event.id, plan.outcome],
    );
    if (invoice.test_clock_id) await wakeTestClockSaga(tx, invoice.test_clock_id);
    if (plan.outcome !== 'applied') {
      this.logger.log(`dunning.exhausted ${event.id} for invoice ${invoice.id} dropped (${plan.outcome}: ${invoice.status})`);
      return countDunningEvent(event, plan.outcome);
    }
    const cause = causeOf(event);
    if (loaded && plan.subscription.length > 0) {
      const streamCause = { correlationId: cause.correlation_id, causationId: cause.causation_id };
      await this.streams.append(tx, loaded.state.id, loaded.state.version, plan.subscription, streamCause);
      if (plan.subscription.some((e) => e.type === 'canceled')) {
        await this.invoicing.bill(tx, loaded.state.id, now, { finalizeNow: false, cause });
      }
    }
    if (plan.markUncollectible) {
      await this.writer.change(
        tx,
        invoice,
        { status: 'uncollectible', marked_uncollectible_at: now, next_payment_attempt: null },
        'invoice.marked_uncollectible',
        {},
        now,
        cause,
      );
    } else if (plan.uncollectibleInFlight) {
      this.logger.warn(`invoice ${invoice.id}: not marked uncollectible, a payment of it is in flight (its answer decides)`);
    }
    this.logger.log(
      `invoice ${invoice.id}: dunning exhausted (${reason}): ${finalAction}${plan.markUncollectible ? ', uncollectible' : ''}`,
    );
    countDunningEvent(event, plan.uncollectibleInFlight ? 'applied_uncollectible_in_flight' : 'applied');
  }
}
