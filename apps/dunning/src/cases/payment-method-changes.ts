import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import type { Queryable } from '@payflow/platform/database';
import { CustomerClocks } from '../clocks/customer-clocks';
import { CaseDecisions } from './case-decisions';
import { CasesRepository } from './cases.repository';
import { CustomerCards } from './customer-cards';
import { causeOf } from './event-cause';
import { RetriesRepository } from './retries.repository';

/**
 * `customer.payment_method_updated` (DESIGN.md "Collections and dunning"): the customer's new card
 * is remembered (an update that overtakes a failure still reaches that failure's case, which finds
 * the card changed), it is no longer marked unusable, and each open case of the customer tries it
 * once, at once, within its budget — unless the case's next attempt is already with billing, whose
 * outcome is then decided knowing the new card.
 */
@Injectable()
export class PaymentMethodChanges {
  private readonly logger = new Logger(PaymentMethodChanges.name);

  constructor(
    private readonly customers: CustomerCards,
    private readonly clocks: CustomerClocks,
    private readonly cases: CasesRepository,
    private readonly retries: RetriesRepository,
    private readonly decisions: CaseDecisions,
  ) {}

  async updated(tx: Queryable, event: EventOf<'customer.payment_method_updated'>): Promise<void> {
    const data = event.data;
    const ref = { customer_id: data.customer, merchant_id: event.merchant_id, test_clock_id: data.test_clock ?? null };
    const customer = await this.customers.lock(tx, ref);
    if (event.aggregate_version <= customer.payment_method_version) {
      this.logger.log(`${data.customer}: card change ${event.id} is older than the one applied; nothing to do`);
      return;
    }
    await this.customers.changeTo(tx, customer.id, data.payment_method, event.aggregate_version);
    const clockId = customer.test_clock_id ?? ref.test_clock_id;
    const now = await this.clocks.nowForDecision(
      tx,
      clockId,
      event.merchant_id,
      data.clock_time ? new Date(data.clock_time) : null,
    );
    const cause = causeOf(event);
    for (const c of await this.cases.lockOpenOfCustomer(tx, customer.id)) {
      if (await this.retries.isIssued(tx, c.invoice_id, c.last_attempt + 1)) continue;
      await this.decisions.tryNewPaymentMethod(tx, c, c.last_attempt, data.payment_method, {
        now,
        cause,
        trigger: 'new_payment_method',
      });
    }
  }
}
