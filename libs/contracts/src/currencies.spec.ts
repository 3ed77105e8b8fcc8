import {
  CURRENCY_CODES,
  CURRENCY_EXPONENTS,
  currencyExponent,
  isCurrencyCode,
  normalizeCurrency,
} from './currencies';

describe('currencies', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['ISK', 0],
    ['VND', 0],
    ['CLP', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['JOD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['LYD', 3],
    ['IQD', 3],
    ['CLF', 4],
    ['UYW', 4],
  ])('%s has exponent %i', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('reads codes in any case', () => {
    expect(currencyExponent('usd')).toBe(2);
    expect(currencyExponent('jPy')).toBe(0);
    expect(isCurrencyCode('kwd')).toBe(true);
    expect(normalizeCurrency('eur')).toBe('EUR');
  });

  it('rejects unknown, withdrawn and malformed codes', () => {
    for (const code of ['XYZ', 'HRK', 'XAU', 'US', 'USDD', '', 'constructor', 'toString']) {
      expect(isCurrencyCode(code)).toBe(false);
      expect(() => normalizeCurrency(code)).toThrow(RangeError);
      expect(() => currencyExponent(code)).toThrow(/unknown currency/);
    }
    expect(isCurrencyCode(840)).toBe(false);
    expect(isCurrencyCode(null)).toBe(false);
  });

  it('covers the whole active list with sane exponents', () => {
    expect(CURRENCY_CODES.length).toBeGreaterThanOrEqual(150);
    for (const code of CURRENCY_CODES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(CURRENCY_EXPONENTS[code]);
    }
  });
});
