import {
  CurrencyConversionError,
  fromPspAmount,
  isoAmountStep,
  pspExponent,
  toPspAmount,
  type PspCurrencyRules,
} from './psp-currency';

const rules: PspCurrencyRules = {
  exponentOverrides: { ISK: 2, IDR: 0 },
  pspUnitStep: { KWD: 10 },
};

describe('PSP currency conversion', () => {
  it('keeps ISO amounts where the PSP agrees with ISO', () => {
    expect(pspExponent(rules, 'usd')).toBe(2);
    expect(toPspAmount(rules, 1050, 'USD')).toBe(1050);
    expect(fromPspAmount(rules, 1050, 'USD')).toBe(1050);
    expect(toPspAmount(rules, 7, 'JPY')).toBe(7);
  });

  it('scales up where the PSP has more decimals, and back', () => {
    expect(toPspAmount(rules, 5, 'ISK')).toBe(500);
    expect(fromPspAmount(rules, 500, 'ISK')).toBe(5);
    expect(() => fromPspAmount(rules, 550, 'ISK')).toThrow(CurrencyConversionError);
  });

  it('scales down where the PSP has fewer decimals, refusing fractions instead of rounding', () => {
    expect(toPspAmount(rules, 150_000, 'IDR')).toBe(1_500);
    expect(fromPspAmount(rules, 1_500, 'IDR')).toBe(150_000);
    expect(() => toPspAmount(rules, 150_050, 'IDR')).toThrow(/cannot represent/);
  });

  it('enforces the PSP unit step', () => {
    expect(toPspAmount(rules, 1_230, 'KWD')).toBe(1_230);
    expect(() => toPspAmount(rules, 1_234, 'KWD')).toThrow(/multiple of 10/);
  });

  it('refuses amounts that are not whole minor units', () => {
    expect(() => toPspAmount(rules, 10.5, 'USD')).toThrow(CurrencyConversionError);
    expect(() => toPspAmount(rules, -1, 'USD')).toThrow(CurrencyConversionError);
    expect(() => toPspAmount(rules, 1, 'XYZ')).toThrow(/unknown currency/);
  });

  it('round-trips every representable amount', () => {
    for (const currency of ['USD', 'ISK', 'IDR', 'KWD', 'JPY']) {
      const step = isoAmountStep(rules, currency);
      for (const amount of [step, step * 7, step * 12_345]) {
        expect(fromPspAmount(rules, toPspAmount(rules, amount, currency), currency)).toBe(amount);
      }
    }
  });

  it('derives the smallest chargeable ISO step', () => {
    expect(isoAmountStep(rules, 'USD')).toBe(1);
    expect(isoAmountStep(rules, 'ISK')).toBe(1);
    expect(isoAmountStep(rules, 'IDR')).toBe(100);
    expect(isoAmountStep(rules, 'KWD')).toBe(10);
  });
});
