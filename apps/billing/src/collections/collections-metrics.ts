import { Counter, register } from 'prom-client';

function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

/**
 * Dunning's events as billing applied them, by type and outcome: `applied` (or what it did:
 * `requested`, `remembered`, …), or why it was dropped (`unknown_invoice`, `not_open`, `in_flight`,
 * `stale_attempt`, `first_invoice`, …). A dropped event changes nothing and is logged.
 */
export const dunningEventsTotal = counter(
  'billing_dunning_events_total',
  "Dunning's events applied or dropped by billing, by type and outcome",
  ['type', 'outcome'],
);

/** Test clocks the dunning gate let go after TEST_CLOCK_STEP_TIMEOUT_MS without dunning's answers. */
export const dunningGateReleasesTotal = counter(
  'billing_dunning_gate_releases_total',
  "Test clock instants the dunning gate stopped holding after TEST_CLOCK_STEP_TIMEOUT_MS without dunning's answers",
  [],
);
