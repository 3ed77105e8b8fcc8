import { Counter, register } from 'prom-client';

function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

/** Invoices finalized, by what finalization left them: `open` (a payment is due) or `paid` (nothing due). */
export const invoicesFinalizedTotal = counter(
  'billing_invoices_finalized_total',
  'Invoices finalized, by resulting status (open: payment due; paid: nothing due)',
  ['status'],
);

/** Payment attempts billing asked for, or could not ask for (no payment method, a card dunning marked unusable, amount out of range). */
export const paymentRequestsTotal = counter(
  'billing_payment_requests_total',
  'Invoice payment attempts: requested, or failed at once without a request (no_payment_method, payment_method_unusable, amount_out_of_range)',
  ['outcome'],
);

/** The generator's invariants broke for a customer: it was parked and nothing was invoiced. */
export const invariantViolationsTotal = counter(
  'billing_invariant_violations_total',
  'Invoice invariant violations (the customer is parked, nothing is invoiced), by kind',
  ['kind'],
);

/** Invoice changes through the API (pay, void, mark_uncollectible). */
export const invoiceActionsTotal = counter(
  'billing_invoice_actions_total',
  'Invoice API actions applied, by action',
  ['action'],
);
