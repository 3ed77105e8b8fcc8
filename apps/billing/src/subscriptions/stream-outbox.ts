import type { SubscriptionStatus } from '@payflow/contracts';
import type { SubscriptionEvent } from './subscription-stream';

export type SubscriptionOutboxType =
  | 'subscription.created'
  | 'subscription.updated'
  | 'subscription.canceled'
  | 'subscription.status_changed';

/**
 * Which `subscription.*` event a stream event publishes (BILLING-INTERFACES), and its reason.
 * `trial_ended` is an update (Stripe sends `customer.subscription.updated` when a trial ends);
 * consumers see the status move in `previous_status` → `subscription.status`.
 */
export function outboxTypeOf(event: Pick<SubscriptionEvent, 'type'>): SubscriptionOutboxType {
  switch (event.type) {
    case 'created':
      return 'subscription.created';
    case 'items_changed':
    case 'cancel_scheduled':
    case 'cancel_unscheduled':
    case 'trial_ended':
      return 'subscription.updated';
    case 'canceled':
      return 'subscription.canceled';
    case 'status_changed':
      return 'subscription.status_changed';
  }
}

/** `reason` of the published event: the status change's own, else the stream event's type. */
export function outboxReasonOf(event: SubscriptionEvent): string {
  return event.type === 'status_changed' ? event.data.reason : event.type;
}

/** `previous_status`: the status before the event (null for a creation, there was none). */
export function previousStatusOf(event: SubscriptionEvent, before: SubscriptionStatus | null): SubscriptionStatus | null {
  return event.type === 'created' ? null : before;
}
