import { InterruptibleSleeper, jitteredBackoffMs, settlesWithin } from './backoff';

describe('jitteredBackoffMs', () => {
  it('doubles from the base and lies between half and all of the ceiling', () => {
    expect(jitteredBackoffMs(100, 1, 5_000, () => 0)).toBe(50);
    expect(jitteredBackoffMs(100, 1, 5_000, () => 1)).toBe(100);
    expect(jitteredBackoffMs(100, 3, 5_000, () => 0)).toBe(200);
    expect(jitteredBackoffMs(100, 3, 5_000, () => 1)).toBe(400);
  });

  it('never exceeds the cap, however many tries (no overflow to Infinity)', () => {
    for (const attempt of [7, 50, 1_000, 1e6]) {
      expect(jitteredBackoffMs(100, attempt, 5_000, () => 1)).toBe(5_000);
      expect(jitteredBackoffMs(100, attempt, 5_000, () => 0)).toBe(2_500);
    }
  });
});

describe('InterruptibleSleeper', () => {
  it('wakes every sleeper at once', async () => {
    const sleeper = new InterruptibleSleeper();
    const started = Date.now();
    const sleeps = Promise.all([sleeper.sleep(60_000), sleeper.sleep(60_000)]);
    sleeper.wakeAll();
    await sleeps;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends a sleep on its own after its time', async () => {
    const sleeper = new InterruptibleSleeper();
    const started = Date.now();
    await sleeper.sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});

describe('settlesWithin', () => {
  it('is true for work that settles in time, resolved or rejected', async () => {
    expect(await settlesWithin(Promise.resolve(), 1_000)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error('broker gone')), 1_000)).toBe(true);
  });

  it('is false, on time, for work that never settles', async () => {
    const started = Date.now();
    expect(await settlesWithin(new Promise(() => undefined), 50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
