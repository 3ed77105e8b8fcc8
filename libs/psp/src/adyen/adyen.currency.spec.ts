import { CurrencyConversionError } from '../core/psp-currency';
import { ADYEN_CAPABILITIES } from './adyen.capabilities';
import { fromAdyenAmount, toAdyenAmount } from './adyen.currency';

describe('Adyen amounts', () => {
  it.each([
    ['EUR', 1050, 1050],
    ['JPY', 500, 500],
    ['KWD', 1_234, 1_234],
    // Adyen: 2 decimals where ISO has none.
    ['CLP', 990, 99_000],
    ['ISK', 5, 500],
    // Adyen: no decimals where ISO has two.
    ['CVE', 1_200, 12],
    ['IDR', 1_500_000, 15_000],
  ])('%s %i ISO minor units ↔ %i at Adyen', (currency, iso, adyen) => {
    expect(toAdyenAmount(iso, currency)).toBe(adyen);
    expect(fromAdyenAmount(adyen, currency)).toBe(iso);
  });

  it('refuses fractions Adyen cannot carry, and PSP amounts that are not whole ISO units', () => {
    expect(() => toAdyenAmount(1_250, 'IDR')).toThrow(CurrencyConversionError);
    expect(() => toAdyenAmount(1_201, 'CVE')).toThrow(CurrencyConversionError);
    expect(() => fromAdyenAmount(99_050, 'CLP')).toThrow(CurrencyConversionError);
  });

  it('declares the resulting amount steps in its capabilities', () => {
    expect(ADYEN_CAPABILITIES.amountStep).toEqual({ CVE: 100, IDR: 100 });
  });
});
