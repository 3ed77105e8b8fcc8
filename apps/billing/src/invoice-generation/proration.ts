/**
 * Proration in integer arithmetic (DESIGN.md "Billing"): amount × used ÷ period, rounded half-up
 * once per line, computed in BigInt so no intermediate product loses precision (a safe amount
 * times a year of seconds exceeds 2^53). Negative amounts (credits) round half away from zero, so
 * the credit for some time is exactly minus the charge for it.
 */
export function prorate(amountPerPeriod: number, secondsUsed: number, secondsInPeriod: number): number {
  if (!Number.isSafeInteger(amountPerPeriod)) throw new RangeError(`amount must be a safe integer, got ${amountPerPeriod}`);
  return prorateBig(BigInt(amountPerPeriod), secondsUsed, secondsInPeriod);
}

/** The same for an amount that may not fit a number yet (unit_amount × quantity). */
export function prorateBig(amountPerPeriod: bigint, secondsUsed: number, secondsInPeriod: number): number {
  if (!Number.isSafeInteger(secondsInPeriod) || secondsInPeriod <= 0) {
    throw new RangeError(`secondsInPeriod must be a positive integer, got ${secondsInPeriod}`);
  }
  if (!Number.isSafeInteger(secondsUsed) || secondsUsed < 0 || secondsUsed > secondsInPeriod) {
    throw new RangeError(`secondsUsed must be an integer in [0, ${secondsInPeriod}], got ${secondsUsed}`);
  }
  const negative = amountPerPeriod < 0n;
  const magnitude = negative ? -amountPerPeriod : amountPerPeriod;
  const period = BigInt(secondsInPeriod);
  // floor((2·a·u + p) / 2p) = a·u/p rounded half-up.
  const rounded = (2n * magnitude * BigInt(secondsUsed) + period) / (2n * period);
  const result = Number(negative ? -rounded : rounded);
  if (!Number.isSafeInteger(result)) throw new RangeError(`prorated amount ${rounded} exceeds the safe integer range`);
  return result === 0 ? 0 : result; // never -0
}
