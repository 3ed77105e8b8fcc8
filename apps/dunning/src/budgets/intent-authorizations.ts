import { Injectable } from '@nestjs/common';
import type { EventOf, PaymentIntentObject } from '@payflow/contracts';
import { type Queryable, rowsOf } from '@payflow/platform/database';
import { CardAuthorizations } from './card-authorizations';
import { budgetAuthorizationsTotal } from './budget-metrics';

type ApprovalEvent = EventOf<'payment_intent.authorized'> | EventOf<'payment_intent.captured'>;
type DeclineEvent = EventOf<'payment_intent.authorization_failed'>;

/**
 * Intents' authorizations as budget entries (issue 12: a budget counts every authorization of the
 * card PayFlow sees, not only dunning's). A payment for an invoice belongs to that invoice's
 * customer; a merchant's own payment to no customer (it counts for every customer of the merchant
 * giving that card). Times are on the customer's clock: a test clock's customer's payment is at
 * the clock's latest synced step; the rest at the event's time.
 *
 * An invoice payment's declines are not taken from here: billing reports each as
 * `invoice.payment_failed` with its clock time, and the case's handler records it in the same
 * transaction as the decision, so the decision always counts its own failure. An approval whose
 * time cannot be placed is left out (leaving out an approval only makes budgets stricter).
 */
@Injectable()
export class IntentAuthorizations {
  constructor(private readonly store: CardAuthorizations) {}

  async approved(tx: Queryable, event: ApprovalEvent): Promise<void> {
    const { intent } = event.data;
    if (!intent.payment_method) return;
    const owner = await this.ownerOf(tx, intent, new Date(event.occurred_at));
    if (!owner) return count(event.type, 'time_unknown');
    const recorded = await this.store.record(tx, {
      merchant_id: event.merchant_id,
      customer_id: owner.customer_id,
      payment_method: intent.payment_method,
      at: owner.at,
      approved: true,
      network: null,
      invoice_id: intent.invoice ?? null,
      payment_intent: intent.id,
      source_event_id: event.id,
    });
    count(event.type, recorded ? 'recorded' : 'duplicate');
  }

  async declined(tx: Queryable, event: DeclineEvent): Promise<void> {
    const { intent, provider } = event.data;
    if (intent.invoice) return count(event.type, 'invoice_payment');
    // No provider: routing found none, nothing reached a card network.
    if (!intent.payment_method || provider === null) return count(event.type, 'not_sent');
    const recorded = await this.store.record(tx, {
      merchant_id: event.merchant_id,
      customer_id: null,
      payment_method: intent.payment_method,
      at: new Date(event.occurred_at),
      approved: false,
      network: event.data.network?.toLowerCase() ?? null,
      invoice_id: null,
      payment_intent: intent.id,
      source_event_id: event.id,
    });
    count(event.type, recorded ? 'recorded' : 'duplicate');
  }

  /** Whose card and when, or null when an invoice payment's customer or clock time is not known yet. */
  private async ownerOf(
    tx: Queryable,
    intent: PaymentIntentObject,
    occurredAt: Date,
  ): Promise<{ customer_id: string | null; at: Date } | null> {
    if (!intent.invoice) return { customer_id: null, at: occurredAt };
    const rows = rowsOf<{ customer_id: string; test_clock_id: string | null; frozen_time: Date | null }>(
      await tx.query(
        `SELECT c.id AS customer_id, c.test_clock_id, k.frozen_time
           FROM customers c LEFT JOIN clocks k ON k.id = c.test_clock_id
          WHERE c.id = COALESCE($1, (SELECT customer_id FROM invoices WHERE id = $2))`,
        [intent.metadata?.['customer'] ?? null, intent.invoice],
      ),
    );
    const customer = rows[0];
    if (!customer) return null;
    if (customer.test_clock_id === null) return { customer_id: customer.customer_id, at: occurredAt };
    return customer.frozen_time ? { customer_id: customer.customer_id, at: new Date(customer.frozen_time) } : null;
  }
}

function count(type: string, outcome: string): void {
  budgetAuthorizationsTotal.inc({ type, outcome });
}
