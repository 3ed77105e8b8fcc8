import type { InvoiceBillingReason } from '@payflow/contracts';
import { boundaryKey } from '../invoice-generation';
import type { SubscriptionEvent } from '../subscriptions/subscription-stream';

/** What the reason of a subscription's invoice depends on: its stream's `created` event. */
export type CreatedEvent = Extract<SubscriptionEvent, { type: 'created' }>;

/**
 * Why an invoice exists (`billing_reason` on every `invoice.*` event; Stripe's field), from what
 * is stored and never changes: the invoice key and the subscription's `created` event.
 * - `subscription_create`: the invoice of the first period, made at creation, of a subscription
 *   created without a trial (it started `incomplete`): its key is the boundary at the creation
 *   instant. It never goes to dunning.
 * - `subscription_cycle`: any other boundary's invoice, the first paid period after a trial
 *   included (Stripe bills a trial's end as a cycle).
 * - `subscription_update`: a `now:` invoice, made at once by a change (`always_invoice`) or a
 *   cancellation (`invoice_now`).
 * - `manual`: an invoice without a subscription.
 */
export function billingReasonOf(invoiceKey: string, created: CreatedEvent | null): InvoiceBillingReason {
  if (!created) return 'manual';
  if (invoiceKey.startsWith('now:')) return 'subscription_update';
  if (invoiceKey === boundaryKey(created.at) && !startedWithTrial(created)) return 'subscription_create';
  return 'subscription_cycle';
}

/** A trial ending after the creation instant (foldSubscription's `trialing`); else it started `incomplete`. */
function startedWithTrial(created: CreatedEvent): boolean {
  return created.data.trial_end !== null && created.data.trial_end > created.at;
}

/** The stream's `created` event (its first), or null for an empty or malformed stream. */
export function createdEventOf(stream: readonly SubscriptionEvent[]): CreatedEvent | null {
  const first = stream[0];
  return first?.type === 'created' ? first : null;
}
