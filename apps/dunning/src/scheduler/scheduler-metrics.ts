import { Counter, register } from 'prom-client';

function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

/** Due items (a retry, an expired wait) whose handling failed; they stay due and are tried again next pass. */
export const schedulerFailuresTotal = counter(
  'dunning_scheduler_failures_total',
  'Due dunning work that failed (left due, tried again on the next pass)',
  [],
);

/** `dunning.clock_synced` written, one per `test_clock.advanced` handled. */
export const clockSyncsTotal = counter('dunning_clock_syncs_total', 'Test clock steps synced (dunning.clock_synced)', []);
