import { parseDurationMs } from './duration';

describe('parseDurationMs (AUTHORIZATION_TTL)', () => {
  it.each([
    ['7d', 7 * 86_400_000],
    ['168h', 7 * 86_400_000],
    ['90m', 5_400_000],
    ['45s', 45_000],
    ['1500ms', 1_500],
    ['604800', 604_800_000],
  ])('%s', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', '7 days', '-1d', '1.5h', '0', '0d', 'd'])('refuses %p', (text) => {
    expect(() => parseDurationMs(text)).toThrow(RangeError);
  });
});
