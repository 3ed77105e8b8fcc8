import { cardForRoute, planMerchants, planPayments } from './workload-plan';

describe('the seeded workload plan', () => {
  const payments = planPayments(11, 2000, 6);

  it('is the same for the same seed', () => {
    expect(planPayments(11, 2000, 6)).toEqual(payments);
    expect(planMerchants(11)).toEqual(planMerchants(11));
  });

  it('uses both PSPs, several merchants, every lifecycle and declines', () => {
    const merchants = planMerchants(11);
    expect(new Set(merchants.flatMap((m) => m.providers))).toEqual(new Set(['stripe', 'adyen']));
    expect(new Set(payments.map((p) => p.merchant)).size).toBe(6);
    expect(new Set(payments.map((p) => p.after))).toEqual(
      new Set(['capture_full', 'capture_partial', 'cancel', 'hold']),
    );
    expect(new Set(payments.map((p) => p.captureMethod))).toEqual(new Set(['manual', 'automatic']));
    expect(payments.some((p) => p.paymentMethod.startsWith('pm_card_chargeDeclined'))).toBe(true);
    expect(payments.some((p) => p.refunds.length === 2)).toBe(true);
  });

  it('never captures or refunds more than the payment allows', () => {
    for (const payment of payments) {
      const captured = payment.captureAmount ?? payment.amount;
      expect(captured).toBeLessThanOrEqual(payment.amount);
      expect(captured).toBeGreaterThan(0);
      expect(payment.refunds.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(captured);
      for (const refund of payment.refunds) expect(refund).toBeGreaterThan(0);
      if (payment.captureMethod === 'automatic') expect(payment.after).toBe('capture_full');
      if (payment.after === 'cancel' || payment.after === 'hold') expect(payment.refunds).toEqual([]);
    }
  });

  it('keeps the cards of before without --psp-faults', () => {
    const cards = new Set(payments.map((p) => p.paymentMethod));
    expect(cards).toEqual(
      new Set([
        'pm_card_visa',
        'pm_card_mastercard',
        'pm_card_chargeDeclined',
        'pm_card_chargeDeclinedInsufficientFunds',
        'pm_card_chargeDeclinedLostCard',
      ]),
    );
    expect(payments.every((p) => p.authorizeTries === 1)).toBe(true);
  });
});

describe("the workload plan with issue 10's cards (--psp-faults)", () => {
  const merchants = planMerchants(11);
  const routes = merchants.map((m) => m.providers);
  const payments = planPayments(11, 3000, merchants.length, { lastWordCards: true, routes });
  const withCard = (card: string) => payments.filter((p) => p.paymentMethod === card);

  it('mixes in every new card', () => {
    for (const card of [
      'pm_card_visa_chargeDeclinedStolenCard',
      'pm_card_mastercard_doNotTryAgain',
      'pm_card_insufficientFundsTwice',
      'pm_card_captureFailsLater',
      'pm_card_refundFailsLater',
      'pm_card_refundReversedLater',
    ]) {
      expect(withCard(card).length).toBeGreaterThan(10);
    }
  });

  it('sends a capture failing later to merchants trying Adyen first, with nothing to refund after it', () => {
    for (const payment of withCard('pm_card_captureFailsLater')) {
      expect(routes[payment.merchant][0]).toBe('adyen');
      expect(payment.refunds).toEqual([]);
    }
  });

  it('sends a refund failing later to Adyen-only merchants, and refunds it whenever it is captured', () => {
    for (const payment of [
      ...withCard('pm_card_refundFailsLater'),
      ...withCard('pm_card_refundReversedLater'),
    ]) {
      expect(routes[payment.merchant]).toEqual(['adyen']);
      if (payment.after === 'capture_full' || payment.after === 'capture_partial')
        expect(payment.refunds.length).toBeGreaterThan(0);
    }
  });

  it('authorizes the card declined twice three times, every other card once', () => {
    for (const payment of payments)
      expect(payment.authorizeTries).toBe(payment.paymentMethod === 'pm_card_insufficientFundsTwice' ? 3 : 1);
  });

  it('swaps a card for pm_card_visa where its PSP cannot give its later word', () => {
    expect(cardForRoute('pm_card_captureFailsLater', ['stripe', 'adyen'])).toBe('pm_card_visa');
    expect(cardForRoute('pm_card_captureFailsLater', ['adyen', 'stripe'])).toBe('pm_card_captureFailsLater');
    expect(cardForRoute('pm_card_refundFailsLater', ['adyen', 'stripe'])).toBe('pm_card_visa');
    expect(cardForRoute('pm_card_refundReversedLater', ['adyen'])).toBe('pm_card_refundReversedLater');
    expect(cardForRoute('pm_card_mastercard_doNotTryAgain', ['stripe'])).toBe(
      'pm_card_mastercard_doNotTryAgain',
    );
  });
});
