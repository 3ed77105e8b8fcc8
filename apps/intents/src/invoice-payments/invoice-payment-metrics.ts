import { Counter, register } from 'prom-client';

export const invoicePaymentRequestsTotal =
  (register.getSingleMetric('intents_invoice_payment_requests_total') as Counter<string> | undefined) ??
  new Counter({
    name: 'intents_invoice_payment_requests_total',
    help: 'invoice.payment_requested commands: create, authorize, wait_for_merchant, duplicate, rejected_<reason>',
    labelNames: ['outcome'],
  });
