import { isPositiveDuration, parseDurationMs } from './duration';

describe('parseDurationMs', () => {
  it.each([
    ['3600000', 3_600_000],
    ['1500ms', 1_500],
    ['45s', 45_000],
    ['90m', 5_400_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    [' 1h ', 3_600_000],
  ])('reads %p as %p ms', (value, ms) => expect(parseDurationMs(value)).toBe(ms));

  it.each(['', '0', '0h', '-1h', '1.5h', '1w', 'h', '1 h', '99999999999999999999d'])('refuses %p', (value) => {
    expect(() => parseDurationMs(value)).toThrow(RangeError);
    expect(isPositiveDuration(value)).toBe(false);
  });

  it('only accepts strings as a config value', () => {
    expect(isPositiveDuration(3600)).toBe(false);
    expect(isPositiveDuration('1h')).toBe(true);
  });
});
