import type { DunningFinalAction } from '@payflow/contracts';
import type { InvoiceRow } from '../invoices/invoice.row';
import { NewSubscriptionEvent, decideCancel } from '../subscriptions/subscription-rules';
import type { SubscriptionState } from '../subscriptions/subscription-stream';

/** The reason of the `status_changed` that `mark_unpaid` appends (and of its `subscription.status_changed`). */
export const DUNNING_EXHAUSTED_REASON = 'dunning_exhausted';

/** What `dunning.exhausted` does: to the subscription, to the invoice, or why nothing. */
export type FinalActionPlan =
  | { outcome: 'not_open' | 'first_invoice' }
  | {
      outcome: 'applied';
      /** Appended to the subscription's stream (none for `leave_past_due`, or nothing left to do). */
      subscription: NewSubscriptionEvent[];
      /** `mark_uncollectible` asked for, and possible: the invoice is open and no payment in flight. */
      markUncollectible: boolean;
      /** `mark_uncollectible` asked for while a payment is in flight: left open (its answer decides). */
      uncollectibleInFlight: boolean;
    };

/**
 * The merchant's final action once dunning has given up on an invoice (DESIGN.md "Collections and
 * dunning"; API.md "Dunning settings"). Only for an invoice still open: one paid, voided or
 * uncollectible meanwhile closed its case, so a late exhaustion does nothing; a subscription's
 * first invoice never goes to dunning (a mistake: nothing).
 * - `cancel`: the subscription canceled now, as the API's immediate cancel decides it
 *   (`decideCancel`: no proration, no invoice now; nothing for a subscription already ended).
 * - `mark_unpaid`: a `past_due` (or `active`) subscription becomes `unpaid` (`status_changed`,
 *   reason `dunning_exhausted`); its invoices stay open and a payment makes it `active` again.
 * - `leave_past_due`: nothing.
 * `mark_uncollectible` moves the invoice to `uncollectible`, unless a payment of it is in flight.
 */
export function planFinalAction(input: {
  invoice: Pick<InvoiceRow, 'status' | 'billing_reason' | 'payment_pending'>;
  subscription: SubscriptionState | null;
  finalAction: DunningFinalAction;
  markUncollectible: boolean;
  now: number;
}): FinalActionPlan {
  const { invoice, subscription, now } = input;
  if (invoice.status !== 'open') return { outcome: 'not_open' };
  if (invoice.billing_reason === 'subscription_create') return { outcome: 'first_invoice' };
  return {
    outcome: 'applied',
    subscription: subscription ? subscriptionEventsOf(subscription, input.finalAction, now) : [],
    markUncollectible: input.markUncollectible && !invoice.payment_pending,
    uncollectibleInFlight: input.markUncollectible && invoice.payment_pending,
  };
}

function subscriptionEventsOf(state: SubscriptionState, action: DunningFinalAction, now: number): NewSubscriptionEvent[] {
  switch (action) {
    case 'cancel': {
      const decided = decideCancel({ state, atPeriodEnd: false, prorate: false, invoiceNow: false, now });
      return decided.ok ? decided.value : [];
    }
    case 'mark_unpaid':
      if (state.status !== 'past_due' && state.status !== 'active') return [];
      return [{ type: 'status_changed', at: now, data: { status: 'unpaid', reason: DUNNING_EXHAUSTED_REASON } }];
    case 'leave_past_due':
      return [];
  }
}
