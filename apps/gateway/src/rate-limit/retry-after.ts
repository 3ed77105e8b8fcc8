/**
 * `Retry-After` in whole seconds, rounded up so a client that waits exactly that long finds a
 * token, and at least 1: `Retry-After: 0` would invite an immediate retry that is refused again.
 */
export function retryAfterSeconds(msBeforeNext: number): number {
  if (!Number.isFinite(msBeforeNext) || msBeforeNext <= 0) return 1;
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}
