import { TestClock } from '@payflow/platform/clock';
import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('forgets an entry once its time to live has passed', () => {
    const clock = new TestClock();
    const cache = new TtlCache<string, number>(clock, 30_000, 10);
    cache.set('a', 1);
    clock.advance(29_999);
    expect(cache.get('a')).toBe(1);
    clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new TtlCache<string, number>(new TestClock(), 30_000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
  });

  it('caches nothing with a zero time to live', () => {
    const cache = new TtlCache<string, number>(new TestClock(), 0, 2);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });
});
