/** Bounds of the retry schedule (from the configuration). */
export interface RetryLimits {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Calls of an attempt that surely did nothing before it fails (or, if an earlier call may have run, becomes unknown). */
  notExecutedMaxTries: number;
  /** Same-key calls with an indeterminate answer before the attempt is `unknown`. */
  indeterminateMaxTries: number;
  /** Replay interval of an `unknown` attempt. */
  unknownRetryIntervalMs: number;
}

/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * min(max, base·2^(n−1)). Jitter spreads retries of many attempts after one PSP outage; the lower
 * half keeps a floor so a retry never comes straight back.
 */
export function backoffDelayMs(
  tryNo: number,
  limits: Pick<RetryLimits, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, tryNo - 1);
  const ceiling = Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** Math.min(exponent, 30));
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}

/** An unknown attempt is replayed at its interval, with up to 20 % jitter so replays do not line up. */
export function unknownReplayDelayMs(
  limits: Pick<RetryLimits, 'unknownRetryIntervalMs'>,
  random: () => number = Math.random,
): number {
  return Math.round(limits.unknownRetryIntervalMs * (0.8 + 0.2 * random()));
}
