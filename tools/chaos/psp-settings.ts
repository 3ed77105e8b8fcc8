/**
 * The orchestrator's PSP timings in a chaos run with PSP-side faults (`--psp-faults`), scaled down
 * so every fault resolves within the run's settle time (quiescence waits 300 s by default): the
 * production defaults wait minutes to hours (docs/orchestrator.md). The fault windows are sized from
 * the same numbers (schedule.ts), so they meet what they are meant to: a late Adyen webhook arrives
 * after its operation is overdue, and a timeout window outlasts the unknown-outcome deadline.
 */
export const PSP_TIMINGS = Object.freeze({
  /** A PSP call's timeout: a held answer costs the worker this long. */
  pspTimeoutMs: 5_000,
  /** A waiting Stripe attempt is retrieved after this… */
  reconcileAfterMs: 5_000,
  /** …and again with backoff up to this. */
  reconcileMaxIntervalMs: 15_000,
  /** An Adyen operation without its notification is overdue (gauge, alert) after this. */
  notificationDeadlineMs: 20_000,
  /** How often the overdue gauge is refreshed from the attempts table. */
  overdueRefreshMs: 2_000,
  /** An unknown attempt is replayed with its key this often… */
  unknownRetryIntervalMs: 3_000,
  /** …and an unknown authorization is cancelled by reference this long after its first call. */
  unknownOutcomeDeadlineMs: 30_000,
});

/** The settings every service of the run gets (only the orchestrator reads them). */
export function pspTimingSettings(): Record<string, string> {
  return {
    PSP_TIMEOUT_MS: String(PSP_TIMINGS.pspTimeoutMs),
    PSP_RECONCILE_AFTER_MS: String(PSP_TIMINGS.reconcileAfterMs),
    PSP_RECONCILE_MAX_INTERVAL_MS: String(PSP_TIMINGS.reconcileMaxIntervalMs),
    PSP_NOTIFICATION_DEADLINE_MS: String(PSP_TIMINGS.notificationDeadlineMs),
    PSP_OVERDUE_REFRESH_MS: String(PSP_TIMINGS.overdueRefreshMs),
    UNKNOWN_RETRY_INTERVAL_MS: String(PSP_TIMINGS.unknownRetryIntervalMs),
    UNKNOWN_OUTCOME_DEADLINE_MS: String(PSP_TIMINGS.unknownOutcomeDeadlineMs),
  };
}
