import type { SubscriptionStatus } from '@payflow/contracts';

/** What an invoice's payment outcome does to its subscription's status: the new status and why, or nothing. */
export type StatusChange = { status: SubscriptionStatus; reason: string } | null;

/**
 * An invoice of the subscription was paid (API.md "Subscription"; Stripe's lifecycle): the first
 * invoice makes an `incomplete` subscription `active`; paying a failed renewal makes a `past_due`
 * or `unpaid` one `active` again, once no other invoice of it is still open after a failure.
 */
export function statusAfterPaid(status: SubscriptionStatus, otherFailedOpen: boolean): StatusChange {
  if (status === 'incomplete') return { status: 'active', reason: 'first_invoice_paid' };
  if ((status === 'past_due' || status === 'unpaid') && !otherFailedOpen) return { status: 'active', reason: 'invoice_paid' };
  return null;
}

/**
 * A payment of an invoice failed: a renewal makes an `active` (or just-ended trial's) subscription
 * `past_due` — dunning takes it from there. A first invoice's failure leaves it `incomplete` (it
 * never opens a dunning case; the expiry job makes it `incomplete_expired` after 23 h). Anything
 * else (already past_due, unpaid, canceled, ended) keeps its status.
 */
export function statusAfterPaymentFailed(status: SubscriptionStatus): StatusChange {
  if (status === 'active' || status === 'trialing') return { status: 'past_due', reason: 'invoice_payment_failed' };
  return null;
}
