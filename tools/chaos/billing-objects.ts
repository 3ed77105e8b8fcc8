/**
 * Billing's and dunning's public objects as the billing workload and its invariants read them
 * (API.md "Subscriptions and invoices"; only the fields used), and where a renewal stands. Pure.
 */

export interface InvoiceObject {
  id: string;
  status: string;
  subscription: string | null;
  amount_due: number;
  amount_paid: number;
  attempt_count: number;
  payment_intent: string | null;
  period_start: string;
}

/** One entry of `GET /v1/invoices/{id}/payment_attempts` (dunning). */
export interface PaymentAttempt {
  attempt: number;
  payment_intent: string | null;
  status: 'failed' | 'succeeded';
  code: string | null;
  decline_code: string | null;
  network: string | null;
  advice_code: string | null;
  decision: string | null;
  reason: string | null;
  at: string;
}

/** A subscription's invoices, oldest period first: [0] the first invoice, [1] the first renewal. */
export function byPeriod(invoices: readonly InvoiceObject[]): InvoiceObject[] {
  return [...invoices].sort(
    (a, b) => a.period_start.localeCompare(b.period_start) || a.id.localeCompare(b.id),
  );
}

/**
 * Where a renewal stands, from its invoice and dunning's attempts:
 * - `missing`: not invoiced yet; `paid`;
 * - `in_flight`: an attempt requested and not answered, or answered and not decided yet;
 * - otherwise the last attempt's decision: `retry_scheduled` (on the clock: an advance runs it),
 *   `wait_for_payment_method`, `exhausted`.
 */
export type RenewalState =
  'missing' | 'paid' | 'in_flight' | 'retry_scheduled' | 'wait_for_payment_method' | 'exhausted';

export function renewalState(
  invoice: InvoiceObject | undefined,
  attempts: readonly PaymentAttempt[],
): RenewalState {
  if (!invoice || invoice.status === 'draft') return 'missing';
  if (invoice.status === 'paid') return 'paid';
  if (invoice.status !== 'open') return 'exhausted'; // void or uncollectible: dunning's final action
  const last = attempts.reduce<PaymentAttempt | undefined>(
    (a, b) => (!a || b.attempt > a.attempt ? b : a),
    undefined,
  );
  if (!last || last.attempt < invoice.attempt_count || last.decision === null) return 'in_flight';
  if (last.status === 'succeeded') return 'in_flight'; // paid at the PSP, billing not told yet
  switch (last.decision) {
    case 'retry_scheduled':
    case 'wait_for_payment_method':
    case 'exhausted':
      return last.decision;
    default:
      return 'in_flight'; // `paid` on an open invoice: billing has not applied it yet
  }
}
