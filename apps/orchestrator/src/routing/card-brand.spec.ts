import { cardBrandOf, paymentMethodTypeOf } from './card-brand';
import { stableBucket } from './stable-hash';

describe('card brand of a payment method token', () => {
  it.each([
    ['pm_card_visa', 'visa'],
    ['pm_card_visa_debit', 'visa'],
    ['pm_card_mastercard', 'mastercard'],
    ['pm_card_mc', 'mastercard'],
    ['pm_card_amex', 'amex'],
    ['pm_card_chargeDeclined', 'visa'],
    ['pm_card_chargeDeclinedLostCard', 'visa'],
    ['pm_card_timeout', 'visa'],
    ['pm_1NXWPnCo6bFb1', null],
    ['', null],
    [null, null],
  ])('%s → %s', (token, brand) => {
    expect(cardBrandOf(token)).toBe(brand);
  });

  it('reads every PayFlow token as a card', () => {
    expect(paymentMethodTypeOf('pm_card_visa')).toBe('card');
    expect(paymentMethodTypeOf('pm_123')).toBe('card');
  });
});

describe('stable bucket', () => {
  it('depends only on the key and stays in range', () => {
    for (let i = 0; i < 100; i++) {
      const bucket = stableBucket(`pi_${i}`, 7);
      expect(bucket).toBe(stableBucket(`pi_${i}`, 7));
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(7);
    }
  });

  it('refuses a bucket count that is not a positive integer', () => {
    expect(() => stableBucket('pi_x', 0)).toThrow(RangeError);
  });
});
