/** Exponential backoff of merchant deliveries (API.md: first retry after 5 s, configurable, for up to 24 h). */
export interface RetrySchedule {
  /** Delay after the first failed attempt; each later one doubles. */
  baseMs: number;
  /** Longest delay between two attempts. */
  maxDelayMs: number;
}

/** Jitter spreads retries of many deliveries that failed together (an endpoint's outage) over time. */
const MAX_JITTER = 0.25;

/**
 * Delay after the `failedAttempts`-th failure: base × 2^(n−1), capped, plus up to 25 % jitter —
 * added, never subtracted, so a retry never comes earlier than the schedule says and each delay is
 * strictly longer than the one before (until the cap).
 */
export function retryDelayMs(
  failedAttempts: number,
  schedule: RetrySchedule,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1)
    throw new RangeError('failedAttempts must be a positive integer');
  const exponential = Math.min(schedule.baseMs * 2 ** Math.min(failedAttempts - 1, 52), schedule.maxDelayMs);
  return Math.round(exponential * (1 + random() * MAX_JITTER));
}

/** When to try again after a failure, or null when the next try would fall after `retryUntil` (the delivery has failed). */
export function nextAttemptAt(
  failedAttempts: number,
  now: Date,
  retryUntil: Date,
  schedule: RetrySchedule,
  random: () => number = Math.random,
): Date | null {
  const at = new Date(now.getTime() + retryDelayMs(failedAttempts, schedule, random));
  return at.getTime() > retryUntil.getTime() ? null : at;
}
