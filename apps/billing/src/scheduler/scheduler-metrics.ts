import { Counter, register } from 'prom-client';

function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

/** Scheduled work rows run to completion, by kind and by clock (`wall` or `test_clock`). */
export const scheduledWorkDoneTotal = counter(
  'billing_scheduled_work_done_total',
  'Scheduled work rows completed, by kind and clock (wall or test_clock)',
  ['kind', 'clock'],
);

/** Scheduled work rows whose handler failed (the row stays open and is retried with backoff). */
export const scheduledWorkFailedTotal = counter(
  'billing_scheduled_work_failed_total',
  'Scheduled work handler failures (retried with backoff), by kind',
  ['kind'],
);
