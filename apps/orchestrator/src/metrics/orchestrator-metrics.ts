import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * The orchestrator's metrics, in prom-client's default registry (served on /metrics). getOrCreate:
 * several app instances in one process (tests) share the registry.
 */
function getOrCreate<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** Every PSP call, by how it ended: succeeded, pending, declined, or the error class. */
export const pspCallsTotal = getOrCreate(
  'psp_calls_total',
  () =>
    new Counter({
      name: 'psp_calls_total',
      help: 'PSP calls by provider, operation and outcome (succeeded, pending, declined, not_executed, indeterminate, breaker_open)',
      labelNames: ['provider', 'operation', 'outcome'],
    }),
);

/** Share of PSP calls that failed (not executed or indeterminate) over a sliding window; declines are answers, not errors. */
export const pspErrorRate = getOrCreate(
  'psp_error_rate',
  () =>
    new Gauge({
      name: 'psp_error_rate',
      help: 'Failed PSP calls (not executed or indeterminate) / all PSP calls, per provider, over PSP_ERROR_RATE_WINDOW_MS',
      labelNames: ['provider'],
    }),
);

/** 0 closed, 1 half-open, 2 open. */
export const circuitBreakerState = getOrCreate(
  'circuit_breaker_state',
  () =>
    new Gauge({
      name: 'circuit_breaker_state',
      help: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open',
      labelNames: ['provider'],
    }),
);

export const paymentAuthorizeLatencyMs = getOrCreate(
  'payment_authorize_latency_ms',
  () =>
    new Histogram({
      name: 'payment_authorize_latency_ms',
      help: 'Duration of PSP authorization calls in milliseconds',
      labelNames: ['provider', 'outcome'],
      buckets: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000],
    }),
);

/** Attempts by how they ended (or moved on): succeeded, declined, failed, unknown, failover, retried, awaiting_notification. */
export const paymentAttemptsTotal = getOrCreate(
  'payment_attempts_total',
  () =>
    new Counter({
      name: 'payment_attempts_total',
      help: 'Attempt outcomes by operation: succeeded, declined, failed, unknown, failover, retried, awaiting_notification, voided, lease_lapsed',
      labelNames: ['operation', 'outcome'],
    }),
);

export const pspNotificationsTotal = getOrCreate(
  'orchestrator_notifications_total',
  () =>
    new Counter({
      name: 'orchestrator_notifications_total',
      help: 'PSP notifications by kind and decision: applied, pending (kept until an attempt can take it), duplicate, ignored',
      labelNames: ['kind', 'decision'],
    }),
);

/**
 * Attempts awaiting a PSP's notification past PSP_NOTIFICATION_DEADLINE_MS (PSPs without a read
 * call: Adyen), by provider and operation. Refreshed from the attempts table by the worker, so it
 * survives restarts; alert `PspOperationOverdue` (docker/prometheus/alerts.yml).
 */
export const pspOperationsOverdue = getOrCreate(
  'psp_operations_overdue',
  () =>
    new Gauge({
      name: 'psp_operations_overdue',
      help: 'Attempts awaiting a PSP notification past PSP_NOTIFICATION_DEADLINE_MS, by provider and operation',
      labelNames: ['provider', 'operation'],
    }),
);
