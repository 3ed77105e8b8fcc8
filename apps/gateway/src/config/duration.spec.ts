import { parseDurationMs } from './duration';

describe('parseDurationMs', () => {
  it('reads the seed format and plain milliseconds', () => {
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('10000')).toBe(10_000);
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs(' 5s ')).toBe(5_000);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 's', '1.5s', '-1', '10h', 'ten', '30 s'])
      expect(parseDurationMs(bad)).toBeUndefined();
  });
});
