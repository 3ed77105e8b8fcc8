import { Counter, register } from 'prom-client';

/**
 * `idempotency_hits_total` (the seed's name): requests answered with a stored response. Declared
 * once per process (tests start several apps in one), in the default registry /metrics serves.
 */
export const idempotencyHitsTotal: Counter =
  (register.getSingleMetric('idempotency_hits_total') as Counter | undefined) ??
  new Counter({
    name: 'idempotency_hits_total',
    help: 'Requests answered by replaying the stored response of their Idempotency-Key',
  });
