/** First retry of a failed work row after this long, doubling on each failure. */
export const WORK_RETRY_BASE_MS = 1_000;
/** However often a row failed, it is tried again at least this often (never dropped). */
export const WORK_RETRY_MAX_MS = 300_000;

/**
 * Wall-clock delay before a row that failed `attempts` times is claimed again: exponential with
 * "equal jitter" (between half and all of base·2^(attempts−1)), capped, so a poison row neither
 * hot-loops the poller nor is ever given up on silently (it stays open, counted and logged).
 */
export function workRetryDelayMs(attempts: number, random: () => number = Math.random): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer: ${attempts}`);
  const ceiling = Math.min(WORK_RETRY_MAX_MS, WORK_RETRY_BASE_MS * 2 ** Math.min(attempts - 1, 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}
