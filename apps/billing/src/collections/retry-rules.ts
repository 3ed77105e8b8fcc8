import type { InvoiceRow } from '../invoices/invoice.row';

/** What billing does with `dunning.retry_due` for attempt n+1: request it, or why not. */
export type RetryOutcome = 'requested' | 'not_open' | 'first_invoice' | 'in_flight' | 'stale_attempt';

/**
 * `dunning.retry_due` asks for attempt `attempt` (n+1). Billing requests it only for an open
 * invoice whose last attempt is n with nothing in flight (DESIGN.md "Billing": later attempts are
 * dunning's), so a retry that arrives late (the invoice paid, voided or uncollectible meanwhile),
 * twice, or after another attempt (`POST /pay`, a new card) asks for nothing. A subscription's
 * first invoice never goes to dunning: a retry of one is a mistake, dropped too.
 */
export function retryOutcomeOf(
  invoice: Pick<InvoiceRow, 'status' | 'billing_reason' | 'payment_pending' | 'attempt_count'>,
  attempt: number,
): RetryOutcome {
  if (invoice.status !== 'open') return 'not_open';
  if (invoice.billing_reason === 'subscription_create') return 'first_invoice';
  if (invoice.payment_pending) return 'in_flight';
  if (invoice.attempt_count !== attempt - 1) return 'stale_attempt';
  return 'requested';
}
