import { nextAttemptAt, retryDelayMs } from './retry-schedule';

const schedule = { baseMs: 5_000, maxDelayMs: 3_600_000 };

describe('retryDelayMs', () => {
  it('waits the base delay after the first failure, then doubles', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, schedule, noJitter))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000,
    ]);
  });

  it('adds at most 25 % jitter, never less than the schedule, so delays always grow until the cap', () => {
    expect(retryDelayMs(1, schedule, () => 0.999_999)).toBe(6_250);
    for (let n = 1; n < 10; n++) {
      const longestNow = retryDelayMs(n, schedule, () => 0.999_999);
      const shortestNext = retryDelayMs(n + 1, schedule, () => 0);
      expect(shortestNext).toBeGreaterThan(longestNow);
    }
  });

  it('caps the delay, however many attempts failed', () => {
    expect(retryDelayMs(12, schedule, () => 0)).toBe(3_600_000);
    expect(retryDelayMs(1_000, schedule, () => 0)).toBe(3_600_000);
  });

  it('refuses a non-positive attempt count', () => {
    expect(() => retryDelayMs(0, schedule)).toThrow(RangeError);
  });
});

describe('nextAttemptAt', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('schedules the retry while it falls within the retry window', () => {
    const until = new Date(now.getTime() + 86_400_000);
    expect(nextAttemptAt(1, now, until, schedule, () => 0)).toEqual(new Date(now.getTime() + 5_000));
  });

  it('gives up when the next try would fall after the window (24 h of retries)', () => {
    const until = new Date(now.getTime() + 4_000);
    expect(nextAttemptAt(1, now, until, schedule, () => 0)).toBeNull();
  });

  it('makes about 30 attempts over 24 h with the defaults', () => {
    let at = now;
    const until = new Date(now.getTime() + 86_400_000);
    let attempts = 1;
    for (
      let next = nextAttemptAt(1, at, until, schedule, () => 0);
      next;
      next = nextAttemptAt(attempts, at, until, schedule, () => 0)
    ) {
      at = next;
      attempts++;
    }
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(40);
  });
});
