import { Counter, register } from 'prom-client';

/**
 * Intents' answers to billing's payment requests, by event type and what billing did with it:
 * `applied`, `duplicate` (that attempt was answered already), `not_billing` (an intent without an
 * invoice), `unknown_invoice`, `invoice_closed` (paid, void or uncollectible: nothing to apply).
 */
export const paymentAnswersTotal =
  (register.getSingleMetric('billing_payment_answers_total') as Counter<string> | undefined) ??
  new Counter({
    name: 'billing_payment_answers_total',
    help: "Intents' answers to invoice payment requests, by type and outcome",
    labelNames: ['type', 'outcome'],
  });
