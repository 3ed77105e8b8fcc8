import { Counter, Gauge, Histogram, register } from 'prom-client';

function getOrCreate<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const deliveryAttemptsTotal = getOrCreate(
  'webhooks_delivery_attempts_total',
  () =>
    new Counter({
      name: 'webhooks_delivery_attempts_total',
      help: 'Merchant webhook attempts by outcome (succeeded, failed)',
      labelNames: ['outcome'],
    }),
);

export const deliveriesCompletedTotal = getOrCreate(
  'webhooks_deliveries_completed_total',
  () =>
    new Counter({
      name: 'webhooks_deliveries_completed_total',
      help: 'Merchant webhook deliveries that ended: succeeded, or failed after the retry window',
      labelNames: ['outcome'],
    }),
);

export const deliveryDurationSeconds = getOrCreate(
  'webhooks_delivery_duration_seconds',
  () =>
    new Histogram({
      name: 'webhooks_delivery_duration_seconds',
      help: 'Duration of one merchant webhook attempt (until the answer or the timeout)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
);

export const deliveriesInFlight = getOrCreate(
  'webhooks_deliveries_in_flight',
  () =>
    new Gauge({
      name: 'webhooks_deliveries_in_flight',
      help: 'Merchant webhook attempts in flight in this process',
    }),
);
