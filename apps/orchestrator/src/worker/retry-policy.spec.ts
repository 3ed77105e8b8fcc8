import { backoffDelayMs, unknownReplayDelayMs } from './retry-policy';

const limits = { baseDelayMs: 100, maxDelayMs: 5_000 };

describe('retry policy: exponential backoff with equal jitter', () => {
  it('stays between half and all of min(max, base·2^(n−1)) for every try', () => {
    for (let tryNo = 1; tryNo <= 12; tryNo++) {
      const ceiling = Math.min(5_000, 100 * 2 ** (tryNo - 1));
      expect(backoffDelayMs(tryNo, limits, () => 0)).toBe(Math.round(ceiling / 2));
      expect(backoffDelayMs(tryNo, limits, () => 0.999999)).toBeLessThanOrEqual(ceiling);
      for (let i = 0; i < 20; i++) {
        const delay = backoffDelayMs(tryNo, limits);
        expect(delay).toBeGreaterThanOrEqual(Math.round(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('doubles per try until the cap, then stays capped', () => {
    const upper = (tryNo: number) => backoffDelayMs(tryNo, limits, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(upper)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(upper(1_000)).toBe(5_000); // no overflow for absurd try numbers
  });

  it('replays unknown outcomes at their interval, jittered by at most 20 % downwards', () => {
    expect(unknownReplayDelayMs({ unknownRetryIntervalMs: 1_000 }, () => 0)).toBe(800);
    expect(unknownReplayDelayMs({ unknownRetryIntervalMs: 1_000 }, () => 1)).toBe(1_000);
  });
});
