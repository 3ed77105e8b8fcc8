import { isPositiveDuration, parseDurationMs } from './duration';

describe('parseDurationMs', () => {
  it.each([
    ['7d', 7 * 86_400_000],
    ['168h', 7 * 86_400_000],
    ['1h', 3_600_000],
    ['90m', 5_400_000],
    ['45s', 45_000],
    ['1500ms', 1_500],
    ['2d', 172_800_000],
    [' 1h ', 3_600_000],
  ])('reads %p as %p ms whatever the bare unit', (value, ms) => {
    expect(parseDurationMs(value, 's')).toBe(ms);
    expect(parseDurationMs(value, 'ms')).toBe(ms);
  });

  it('reads a bare number in the unit the variable states', () => {
    expect(parseDurationMs('604800', 's')).toBe(604_800_000);
    expect(parseDurationMs('3600000', 'ms')).toBe(3_600_000);
  });

  it.each(['', '0', '0h', '0d', '-1h', '1.5h', '1w', 'h', 'd', '1 h', '7 days', '99999999999999999999d'])(
    'refuses %p',
    (value) => {
      expect(() => parseDurationMs(value, 's')).toThrow(RangeError);
      expect(isPositiveDuration(value, 'ms')).toBe(false);
    },
  );

  it('only accepts strings as a config value', () => {
    expect(isPositiveDuration(3600, 's')).toBe(false);
    expect(isPositiveDuration('1h', 's')).toBe(true);
  });
});
