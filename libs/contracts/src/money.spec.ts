import {
  feeMinor,
  formatMinor,
  isValidAmountMinor,
  MAX_AMOUNT_MINOR,
  sumMinor,
  toMinorBigInt,
} from './money';

describe('isValidAmountMinor', () => {
  it('accepts integers from 1 to the maximum', () => {
    expect(isValidAmountMinor(1)).toBe(true);
    expect(isValidAmountMinor(MAX_AMOUNT_MINOR)).toBe(true);
  });

  it.each([0, -1, 1.5, MAX_AMOUNT_MINOR + 1, Number.NaN, Infinity, '100', 100n, null])(
    'rejects %p',
    (value) => {
      expect(isValidAmountMinor(value)).toBe(false);
    },
  );
});

describe('feeMinor', () => {
  it('adds the percentage and the fixed fee (290 bps + 30 on 10000 = 320)', () => {
    expect(feeMinor(10000, 290, 30)).toBe(320n);
  });

  it('rounds the percentage half-up', () => {
    expect(feeMinor(50, 290, 0)).toBe(1n); // 1.45 → 1
    expect(feeMinor(150, 290, 0)).toBe(4n); // 4.35 → 4
    expect(feeMinor(500, 290, 0)).toBe(15n); // 14.5 → 15
    expect(feeMinor(100, 50, 0)).toBe(1n); // 0.5 → 1
    expect(feeMinor(100, 49, 0)).toBe(0n); // 0.49 → 0
    expect(feeMinor(172, 290, 0)).toBe(5n); // 4.988 → 5
  });

  it('never exceeds the amount', () => {
    expect(feeMinor(20, 290, 30)).toBe(20n);
    expect(feeMinor(1, 10000, 0)).toBe(1n);
    expect(feeMinor(0, 290, 30)).toBe(0n);
  });

  it('has no fixed part where the schedule names none (JPY)', () => {
    expect(feeMinor(1000, 290, 0)).toBe(29n);
    expect(feeMinor(1000n, 290, 0n)).toBe(29n);
  });

  it('stays exact beyond 2^53', () => {
    expect(feeMinor(10n ** 20n, 290, 30)).toBe(29n * 10n ** 17n + 30n);
  });

  it('refuses invalid inputs instead of guessing', () => {
    expect(() => feeMinor(10.5, 290, 30)).toThrow(RangeError);
    expect(() => feeMinor(-1, 290, 30)).toThrow(RangeError);
    expect(() => feeMinor(100, 10001, 0)).toThrow(RangeError);
    expect(() => feeMinor(100, 2.5, 0)).toThrow(RangeError);
    expect(() => feeMinor(100, 290, -1)).toThrow(RangeError);
  });
});

describe('formatMinor', () => {
  it.each([
    [1050, 'USD', '10.50'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [-5, 'usd', '-0.05'],
    [5, 'JPY', '5'],
    [123456, 'JPY', '123456'],
    [1234, 'KWD', '1.234'],
    [7, 'KWD', '0.007'],
    [12345, 'CLF', '1.2345'],
  ])('%p %s → %s', (amount, currency, expected) => {
    expect(formatMinor(amount, currency)).toBe(expected);
  });

  it('is exact for bigint and string sums', () => {
    expect(formatMinor(123456789012345678901n, 'EUR')).toBe('1234567890123456789.01');
    expect(formatMinor('9007199254740993', 'USD')).toBe('90071992547409.93');
  });

  it('refuses fractions and unknown currencies', () => {
    expect(() => formatMinor(10.5, 'USD')).toThrow(RangeError);
    expect(() => formatMinor(100, 'XYZ')).toThrow(/unknown currency/);
  });
});

describe('sumMinor', () => {
  it('sums numbers, bigints and strings exactly as bigint', () => {
    expect(sumMinor([])).toBe(0n);
    expect(sumMinor([Number.MAX_SAFE_INTEGER, 2, 2n, '-1'])).toBe(9007199254740994n);
  });

  it('refuses values that are not whole minor units', () => {
    expect(() => sumMinor([1, 0.5])).toThrow(RangeError);
    expect(() => toMinorBigInt('1.5')).toThrow(RangeError);
    expect(() => toMinorBigInt(2 ** 53)).toThrow(RangeError);
  });
});
