import { SystemClock, TestClock } from './clock';

describe('TestClock', () => {
  it('stands still until moved', () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-03-01T10:00:00.000Z');
    clock.advance(7 * 24 * 3600 * 1000);
    expect(clock.now().toISOString()).toBe('2026-03-08T10:00:00.000Z');
  });

  it('refuses to move backwards', () => {
    expect(() => new TestClock().advance(-1)).toThrow(RangeError);
  });
});

describe('SystemClock', () => {
  it('reads the real time', () => {
    const before = Date.now();
    const now = new SystemClock().nowMs();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
