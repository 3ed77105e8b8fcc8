import { CURRENCY_CODES } from '@payflow/contracts';
import { CurrencyConversionError } from '../core/psp-currency';
import { STRIPE_CAPABILITIES } from './stripe.capabilities';
import { fromStripeAmount, toStripeAmount } from './stripe.currency';

describe('Stripe amounts', () => {
  it.each([
    ['USD', 1050, 1050],
    ['EUR', 1, 1],
    ['JPY', 500, 500],
    ['KRW', 1000, 1000],
    ['CLP', 990, 990],
    // Two-decimal at Stripe "for backwards compatibility" while ISO says zero decimals.
    ['ISK', 5, 500],
    ['UGX', 1200, 120_000],
    // Zero-decimal at Stripe while ISO says two.
    ['MGA', 5_000, 50],
    // Same exponent as ISO for charges (only payouts are whole units).
    ['HUF', 17_550, 17_550],
    ['TWD', 12_345, 12_345],
    // Three decimals, last digit 0.
    ['KWD', 1_230, 1_230],
    ['BHD', 10, 10],
  ])('%s %i ISO minor units ↔ %i at Stripe', (currency, iso, stripe) => {
    expect(toStripeAmount(iso, currency)).toBe(stripe);
    expect(fromStripeAmount(stripe, currency)).toBe(iso);
  });

  it('accepts lower-case currencies as Stripe writes them', () => {
    expect(fromStripeAmount(500, 'isk')).toBe(5);
  });

  it('refuses what Stripe cannot represent', () => {
    expect(() => toStripeAmount(5_050, 'MGA')).toThrow(CurrencyConversionError);
    expect(() => toStripeAmount(1_234, 'KWD')).toThrow(CurrencyConversionError);
    expect(() => fromStripeAmount(550, 'ISK')).toThrow(CurrencyConversionError);
  });

  it('declares the resulting amount steps in its capabilities', () => {
    expect(STRIPE_CAPABILITIES.amountStep).toMatchObject({
      MGA: 100,
      KWD: 10,
      BHD: 10,
      JOD: 10,
      OMR: 10,
      TND: 10,
    });
    expect(STRIPE_CAPABILITIES.amountStep['ISK']).toBeUndefined();
    expect(STRIPE_CAPABILITIES.amountStep['USD']).toBeUndefined();
  });

  it('round-trips one unit step in every supported currency', () => {
    for (const currency of STRIPE_CAPABILITIES.currencies) {
      const step = STRIPE_CAPABILITIES.amountStep[currency] ?? 1;
      expect(fromStripeAmount(toStripeAmount(step * 3, currency), currency)).toBe(step * 3);
    }
    expect(STRIPE_CAPABILITIES.currencies.length).toBeLessThan(CURRENCY_CODES.length);
  });
});
