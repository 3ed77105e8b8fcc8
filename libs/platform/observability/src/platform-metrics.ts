import { Counter, Gauge, Histogram, Registry, register } from 'prom-client';

/**
 * Metrics of the platform mechanisms (outbox, inbox). They live in prom-client's default registry,
 * which `/metrics` serves; getOrCreate makes them safe to declare from several modules and tests.
 */
function getOrCreate<T>(name: string, create: () => T, registry: Registry = register): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export const outboxLagSeconds = getOrCreate(
  'outbox_lag_seconds',
  () =>
    new Gauge({
      name: 'outbox_lag_seconds',
      help: 'Age of the oldest outbox row not yet published, per service (0 when the outbox is drained)',
      labelNames: ['service'],
    }),
);

export const outboxPublishedTotal = getOrCreate(
  'outbox_published_total',
  () =>
    new Counter({
      name: 'outbox_published_total',
      help: 'Outbox rows published to Kafka',
      labelNames: ['service', 'topic'],
    }),
);

export const outboxPublishLatencySeconds = getOrCreate(
  'outbox_publish_latency_seconds',
  () =>
    new Histogram({
      name: 'outbox_publish_latency_seconds',
      help: 'Time from outbox insert to Kafka acknowledgement',
      labelNames: ['service'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
);

export const consumerProcessedTotal = getOrCreate(
  'consumer_processed_total',
  () =>
    new Counter({
      name: 'consumer_processed_total',
      help: 'Events applied by a consumer (duplicates skipped through the inbox are counted as duplicate)',
      labelNames: ['consumer', 'topic', 'outcome'],
    }),
);

export const consumerDeadLetteredTotal = getOrCreate(
  'consumer_dead_lettered_total',
  () =>
    new Counter({
      name: 'consumer_dead_lettered_total',
      help: 'Messages sent to a dead-letter topic after failing validation or every retry',
      labelNames: ['consumer', 'topic', 'reason'],
    }),
);

export const consumerInfrastructureWaiting = getOrCreate(
  'consumer_infrastructure_waiting',
  () =>
    new Gauge({
      name: 'consumer_infrastructure_waiting',
      help: 'A consumer partition paused while it waits out an infrastructure failure (database or broker unreachable): 1 while waiting, 0 otherwise',
      labelNames: ['consumer', 'topic', 'partition'],
    }),
);

export const consumerInfrastructureRetriesTotal = getOrCreate(
  'consumer_infrastructure_retries_total',
  () =>
    new Counter({
      name: 'consumer_infrastructure_retries_total',
      help: 'Retries of a consumer after an infrastructure failure (never counted toward CONSUMER_MAX_ATTEMPTS); operation is apply or dead_letter',
      labelNames: ['consumer', 'topic', 'operation'],
    }),
);

export const consumerRestartsTotal = getOrCreate(
  'consumer_restarts_total',
  () =>
    new Counter({
      name: 'consumer_restarts_total',
      help: 'Restarts of a Kafka consumer after it crashed (kafkajs retriable crash, or a non-retriable one the transport restarts itself)',
      labelNames: ['consumer', 'reason'],
    }),
);
