import { paymentRefusalOf } from './payment-refusal';

describe('paymentRefusalOf', () => {
  it('asks for a payment on a usable card for an amount a payment can carry', () => {
    expect(paymentRefusalOf({ paymentMethod: 'pm_card_visa', unusable: false, amountDue: 1 })).toBeNull();
    expect(paymentRefusalOf({ paymentMethod: 'pm_card_visa', unusable: false, amountDue: 99_999_999 })).toBeNull();
  });

  it('no card: payment_method_missing, whatever else', () => {
    for (const paymentMethod of [null, '']) {
      expect(paymentRefusalOf({ paymentMethod, unusable: true, amountDue: 0 })).toEqual({
        outcome: 'no_payment_method',
        code: 'payment_method_missing',
      });
    }
  });

  it('a card dunning marked unusable: payment_method_unusable, before the amount is looked at', () => {
    expect(paymentRefusalOf({ paymentMethod: 'pm_card_chargeDeclinedLostCard', unusable: true, amountDue: 2000 })).toEqual({
      outcome: 'payment_method_unusable',
      code: 'payment_method_unusable',
    });
    expect(paymentRefusalOf({ paymentMethod: 'pm_x', unusable: true, amountDue: 100_000_000 })?.code).toBe('payment_method_unusable');
  });

  it('an amount outside 1…99,999,999: amount_out_of_range', () => {
    for (const amountDue of [0, -1, 100_000_000, 1.5]) {
      expect(paymentRefusalOf({ paymentMethod: 'pm_card_visa', unusable: false, amountDue })?.code).toBe('amount_out_of_range');
    }
  });
});
