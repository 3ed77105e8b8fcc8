import { prorate, prorateBig } from './proration';

describe('prorate: integer, half-up once', () => {
  it.each([
    [1000, 1, 3, 333], // 333.33
    [1000, 2, 3, 667], // 666.67
    [1, 1, 2, 1], // 0.5 rounds up
    [3, 1, 2, 2], // 1.5 rounds up
    [5, 1, 4, 1], // 1.25
    [7, 1, 4, 2], // 1.75
    [999, 1, 1000, 1], // 0.999
    [1, 1, 3, 0], // 0.33
    [2_592_000, 1, 2_592_000, 1], // one second of a 30-day period at 1 per second
    [10_000, 1_296_000, 2_592_000, 5_000], // half of 30 days
  ])('prorate(%p, %p, %p) = %p', (amount, used, period, expected) => {
    expect(prorate(amount, used, period)).toBe(expected);
  });

  it('a credit is exactly minus the charge (half away from zero)', () => {
    expect(prorate(-1, 1, 2)).toBe(-1);
    expect(prorate(-1000, 1, 3)).toBe(-333);
    expect(prorate(-3, 1, 2)).toBe(-2);
    for (const [a, u, p] of [[12_345, 17, 31], [1, 1, 2], [99_999, 86_399, 86_400]]) {
      expect(prorate(-a, u, p)).toBe(-prorate(a, u, p));
    }
  });

  it('zero-length use is 0, whole period is the amount, never -0', () => {
    expect(prorate(12_345, 0, 2_678_400)).toBe(0);
    expect(Object.is(prorate(-12_345, 0, 2_678_400), 0)).toBe(true);
    expect(prorate(12_345, 2_678_400, 2_678_400)).toBe(12_345);
    expect(prorate(0, 5, 10)).toBe(0);
  });

  it('is exact where floating point is not: large amounts times long periods', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(prorate(max, 31_622_400, 31_622_400)).toBe(max);
    expect(prorate(max, 1, 2)).toBe(Math.ceil(max / 2)); // 4503599627370495.5 → …496
    expect(prorateBig(BigInt(max) * 3n, 1, 3)).toBe(max);
    expect(() => prorateBig(BigInt(max) * 3n, 2, 3)).toThrow(RangeError);
  });

  it('refuses what is not a proration', () => {
    expect(() => prorate(100, 1, 0)).toThrow(RangeError);
    expect(() => prorate(100, -1, 10)).toThrow(RangeError);
    expect(() => prorate(100, 11, 10)).toThrow(RangeError);
    expect(() => prorate(1.5, 1, 10)).toThrow(RangeError);
    expect(() => prorate(100, 0.5, 10)).toThrow(RangeError);
  });
});
