import { Counter, register } from 'prom-client';

export const merchantEventsTotal =
  (register.getSingleMetric('intents_merchant_events_total') as Counter<string> | undefined) ??
  new Counter({
    name: 'intents_merchant_events_total',
    help: 'merchant.* events of the fee schedule projection: applied, or stale (not a newer version)',
    labelNames: ['type', 'outcome'],
  });
