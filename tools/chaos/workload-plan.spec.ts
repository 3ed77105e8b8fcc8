import { planMerchants, planPayments } from './workload-plan';

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
});
