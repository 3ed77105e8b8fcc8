import { Counter, register } from 'prom-client';

function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

/** Decisions applied to cases, by decision and by what asked for it (failure, new card, wait expiry). */
export const decisionsTotal = counter('dunning_decisions_total', 'Dunning decisions applied, by decision and trigger', [
  'decision',
  'trigger',
]);

/** `dunning.retry_due` written, by clock (`wall` or `test_clock`). */
export const retriesIssuedTotal = counter('dunning_retries_issued_total', 'Retries issued (dunning.retry_due), by clock', ['clock']);

/** `invoice.payment_failed` handled, by outcome (decided, first_invoice, duplicate, invoice_closed, …). */
export const failuresTotal = counter('dunning_failures_total', 'Invoice payment failures handled, by outcome', ['outcome']);

/** Cases ended, by how (paid, voided, uncollectible, exhausted). */
export const casesEndedTotal = counter('dunning_cases_ended_total', 'Dunning cases ended, by reason', ['reason']);

/** Cards announced unusable after a hard decline (`payment_method.unusable`). */
export const unusableCardsTotal = counter('dunning_payment_methods_unusable_total', 'Cards marked unusable after a hard decline', []);
