import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import { Tx, rowsOf } from '@payflow/platform/database';
import { CustomerTime } from '../test-clocks/customer-time';
import { countDunningEvent } from './case-invoices';

/**
 * `payment_method.unusable`: dunning saw a hard decline of this customer's card. Billing remembers
 * (customer, payment method) in `unusable_payment_methods`, and `PaymentAttempts.request` asks no
 * payment on it from then on — a renewal's attempt fails at once with `payment_method_unusable`,
 * so its invoice goes straight into a case waiting for a new card. The customer's next card is
 * usable; this one stays unusable (a card declined as lost or stolen does not come back).
 */
@Injectable()
export class UnusablePaymentMethods {
  private readonly logger = new Logger(UnusablePaymentMethods.name);

  constructor(private readonly customerTime: CustomerTime) {}

  async remember(tx: Tx, event: EventOf<'payment_method.unusable'>): Promise<void> {
    const { customer, payment_method: paymentMethod, invoice, reason } = event.data;
    const [known] = rowsOf<{ merchant_id: string }>(
      await tx.query(`SELECT merchant_id FROM customers WHERE id = $1`, [customer]),
    );
    if (!known || known.merchant_id !== event.merchant_id) {
      this.logger.warn(`payment_method.unusable ${event.id} names customer ${customer}, which billing does not know for ${event.merchant_id}`);
      return countDunningEvent(event, 'unknown_customer');
    }
    const inserted = rowsOf<unknown>(
      await tx.query(
        `INSERT INTO unusable_payment_methods (customer_id, payment_method, merchant_id, invoice_id, reason, marked_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (customer_id, payment_method) DO NOTHING
         RETURNING 1`,
        [customer, paymentMethod, event.merchant_id, invoice, reason, await this.customerTime.nowFor(tx, customer)],
      ),
    );
    if (inserted.length === 0) return countDunningEvent(event, 'duplicate');
    this.logger.log(`customer ${customer}: payment method ${paymentMethod} is unusable (${reason}); no payment is asked on it`);
    countDunningEvent(event, 'remembered');
  }
}
