import type { SubscriptionObject } from '@payflow/contracts';
import type { SubscriptionState } from './subscription-stream';

/** Epoch seconds (the pure code's time) ↔ Date (the services' and the database's). */
export const toSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
export const fromSeconds = (seconds: number): Date => new Date(seconds * 1000);
export const isoOf = (seconds: number): string => fromSeconds(seconds).toISOString();

/**
 * The public subscription (API.md "Subscription") of a folded stream. `latest_invoice` is not in
 * the stream (invoices are derived from it): the caller passes the subscription's newest invoice.
 */
export function toSubscriptionObject(state: SubscriptionState, latestInvoice: string | null): SubscriptionObject {
  return {
    id: state.id,
    object: 'subscription',
    customer: state.customer_id,
    status: state.status,
    items: state.items.map((item) => ({ price: item.price.id, quantity: item.quantity })),
    billing_cycle_anchor: isoOf(state.billing_cycle_anchor),
    current_period_start: isoOf(state.current_period_start),
    current_period_end: isoOf(state.current_period_end),
    trial_end: state.trial_end === null ? null : isoOf(state.trial_end),
    cancel_at_period_end: state.cancel_at_period_end,
    canceled_at: state.canceled_at === null ? null : isoOf(state.canceled_at),
    latest_invoice: latestInvoice,
    created: isoOf(state.created),
  };
}
