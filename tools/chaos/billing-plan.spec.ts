import {
  ADVANCE_TO_S,
  CLOCK_START_S,
  DAY_S,
  MAX_EXTRA_ADVANCES,
  RENEWAL_CARD,
  SUBSCRIPTIONS_PER_CLOCK,
  defaultSubscriptions,
  planSubscriptions,
} from './billing-plan';

describe('the billing workload plan', () => {
  it('scales with the payments: one subscription per 50, at least 10', () => {
    expect(defaultSubscriptions(300)).toBe(10);
    expect(defaultSubscriptions(500)).toBe(10);
    expect(defaultSubscriptions(2000)).toBe(40);
    expect(defaultSubscriptions(10_000)).toBe(200);
  });

  it('is the same for the same seed, and plans exactly the subscriptions asked for', () => {
    const plan = planSubscriptions(3, 10, 300, 6);
    expect(planSubscriptions(3, 10, 300, 6)).toEqual(plan);
    expect(plan.flatMap((c) => c.subscriptions).map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(planSubscriptions(3, 0, 300, 6)).toEqual([]);
  });

  it('puts up to four subscriptions of one merchant and one currency on each clock', () => {
    const plan = planSubscriptions(5, 41, 2000, 6);
    expect(plan).toHaveLength(Math.ceil(41 / SUBSCRIPTIONS_PER_CLOCK));
    for (const clock of plan) {
      expect(clock.subscriptions.length).toBeGreaterThan(0);
      expect(clock.subscriptions.length).toBeLessThanOrEqual(SUBSCRIPTIONS_PER_CLOCK);
      for (const s of clock.subscriptions) {
        expect(s).toMatchObject({
          merchant: clock.merchant,
          clock: clock.index,
          currency: clock.subscriptions[0].currency,
        });
        expect(s.unitAmount * s.quantity).toBeGreaterThan(0);
      }
    }
    expect(new Set(plan.map((c) => c.merchant)).size).toBeGreaterThan(1);
  });

  it('mixes every renewal kind, half of them soft declines recovered', () => {
    const kinds = planSubscriptions(1, 10, 300, 6).flatMap((c) => c.subscriptions.map((s) => s.kind));
    expect(kinds.filter((k) => k === 'soft_recovered')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'paid_at_once')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'hard_then_new_card')).toHaveLength(2);
    expect(RENEWAL_CARD).toEqual({
      paid_at_once: 'pm_card_visa',
      soft_recovered: 'pm_card_insufficientFundsTwice',
      hard_then_new_card: 'pm_card_chargeDeclinedLostCard',
    });
  });

  it('starts the clocks over the first 70 % of the payments, in order, so their renewals meet the faults', () => {
    const plan = planSubscriptions(2, 200, 10_000, 6);
    const starts = plan.map((c) => c.startAtPayment);
    expect(starts[0]).toBe(200);
    expect(Math.max(...starts)).toBeLessThanOrEqual(7000);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it('advances past the retries of days 1 and 3 after the renewal, and stays before day 14 (a hard decline waits until then)', () => {
    const renewal = Date.UTC(2030, 1, 1) / 1000;
    expect(renewal - CLOCK_START_S).toBe(31 * DAY_S);
    const firstAttempt = renewal + 3600;
    expect(ADVANCE_TO_S).toBeGreaterThan(firstAttempt + 3 * DAY_S);
    expect(ADVANCE_TO_S + MAX_EXTRA_ADVANCES * DAY_S).toBeLessThan(firstAttempt + 14 * DAY_S);
  });
});
