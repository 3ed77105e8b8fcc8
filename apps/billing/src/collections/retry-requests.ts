import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import type { Tx } from '@payflow/platform/database';
import { PaymentAttempts } from '../invoices/payment-attempts';
import { CustomerTime } from '../test-clocks/customer-time';
import { wakeTestClockSaga } from '../test-clocks/test-clocks.repository';
import { CaseInvoices, causeOf, countDunningEvent } from './case-invoices';
import { retryOutcomeOf } from './retry-rules';

/**
 * `dunning.retry_due`: dunning's retry of an invoice, due now on the customer's clock. Billing
 * requests attempt n+1 (`PaymentAttempts.request`: `invoice.payment_requested`, or a failure at
 * once when the card is missing or unusable) only for an open invoice whose last attempt is n and
 * nothing in flight; anything else is dropped, logged and counted (`retryOutcomeOf`).
 */
@Injectable()
export class RetryRequests {
  private readonly logger = new Logger(RetryRequests.name);

  constructor(
    private readonly cases: CaseInvoices,
    private readonly attempts: PaymentAttempts,
    private readonly customerTime: CustomerTime,
  ) {}

  async retryDue(tx: Tx, event: EventOf<'dunning.retry_due'>): Promise<void> {
    const { invoice: invoiceId, attempt, reason } = event.data;
    const invoice = await this.cases.lock(tx, event, invoiceId);
    if (!invoice) return;
    const outcome = retryOutcomeOf(invoice, attempt);
    if (outcome !== 'requested') {
      this.logger.log(
        `dunning.retry_due ${event.id} for attempt ${attempt} of invoice ${invoice.id} dropped (${outcome}: ` +
          `${invoice.status}, attempt ${invoice.attempt_count}${invoice.payment_pending ? ' in flight' : ''})`,
      );
      return countDunningEvent(event, outcome);
    }
    const now = await this.customerTime.nowFor(tx, invoice.customer_id);
    await this.attempts.request(tx, invoice, attempt, now, causeOf(event));
    this.logger.debug(`invoice ${invoice.id}: attempt ${attempt} requested (${reason})`);
    // The clock's saga waits for this retry (the dunning gate): wake it at commit.
    if (invoice.test_clock_id) await wakeTestClockSaga(tx, invoice.test_clock_id);
    countDunningEvent(event, outcome);
  }
}
