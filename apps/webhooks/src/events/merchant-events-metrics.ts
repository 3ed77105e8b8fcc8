import { Counter, register } from 'prom-client';

export const merchantEventsTotal =
  (register.getSingleMetric('webhooks_merchant_events_total') as Counter<string> | undefined) ??
  new Counter({
    name: 'webhooks_merchant_events_total',
    help: 'Merchant events built from intents events, by type',
    labelNames: ['type'],
  });
