import { Counter, register } from 'prom-client';

function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  // getSingleMetric: several app instances in one process (tests) share prom-client's registry.
  return (
    (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames })
  );
}

export const intentTransitionsTotal = counter(
  'intents_transitions_total',
  'Payment intent transitions written, by status',
  ['from', 'to'],
);

export const intentResultsTotal = counter(
  'intents_results_total',
  'Orchestrator results consumed: applied, or ignored because the intent was already past them',
  ['type', 'outcome'],
);

export const intentSyncWaitTotal = counter(
  'intents_sync_wait_total',
  'Authorize/capture/cancel answers: settled within SYNC_WAIT_MS (200) or not (202)',
  ['command', 'outcome'],
);

export const intentIdempotencyTotal = counter(
  'intents_idempotency_total',
  'Durable idempotency outcomes: stored, replayed, fingerprint mismatch (422), in flight (409)',
  ['outcome'],
);

export const intentExpiredTotal = counter(
  'intents_authorizations_expired_total',
  'Authorizations voided by the expiry scheduler',
  [],
);
