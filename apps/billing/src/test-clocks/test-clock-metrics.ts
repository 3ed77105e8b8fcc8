import { Counter, Gauge, register } from 'prom-client';

// getSingleMetric: several app instances in one process (tests) share prom-client's registry.
function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (
    (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames })
  );
}

function gauge(name: string, help: string): Gauge<string> {
  return (register.getSingleMetric(name) as Gauge<string> | undefined) ?? new Gauge({ name, help });
}

/** Steps the advance saga took, by kind (`move`, `run_due`, `wait`, `finish`). */
export const testClockStepsTotal = counter(
  'billing_test_clock_steps_total',
  'Steps taken by the test clock advance saga, by kind (move, run_due, wait, finish)',
  ['kind'],
);

/**
 * Advancing clocks held at one instant longer than TEST_CLOCK_STEP_TIMEOUT_MS (a payment without an
 * answer, work that keeps failing). They keep waiting; this says someone should look.
 */
export const testClockWaiting = gauge(
  'billing_test_clock_waiting',
  'Advancing test clocks held at one instant longer than TEST_CLOCK_STEP_TIMEOUT_MS',
);

/** Clocks found held too long, counted once per clock and instant (with a warning in the log). */
export const testClockWaitTimeoutsTotal = counter(
  'billing_test_clock_wait_timeouts_total',
  'Test clocks found held at one instant longer than TEST_CLOCK_STEP_TIMEOUT_MS (once per clock and instant)',
  [],
);
