import { fromSeconds, toSeconds, toSubscriptionObject } from './subscription-object';
import type { SubscriptionState } from './subscription-stream';

describe('toSubscriptionObject', () => {
  const t = Date.UTC(2026, 0, 31) / 1000;
  const state: SubscriptionState = {
    id: 'sub_1',
    merchant_id: 'mer_1',
    customer_id: 'cus_1',
    test_clock_id: 'clock_1',
    currency: 'USD',
    items: [{ price: { id: 'price_1', currency: 'USD', unit_amount: 500, interval: 'month', interval_count: 1 }, quantity: 2 }],
    billing_cycle_anchor: t,
    trial_end: null,
    status: 'active',
    cancel_at_period_end: true,
    canceled_at: null,
    ended_at: null,
    created: t,
    version: 4,
    current_period_start: t,
    current_period_end: Date.UTC(2026, 1, 28) / 1000,
  };

  it('is the public object of API.md, times in ISO 8601 UTC', () => {
    expect(toSubscriptionObject(state, 'in_1')).toEqual({
      id: 'sub_1',
      object: 'subscription',
      customer: 'cus_1',
      status: 'active',
      items: [{ price: 'price_1', quantity: 2 }],
      billing_cycle_anchor: '2026-01-31T00:00:00.000Z',
      current_period_start: '2026-01-31T00:00:00.000Z',
      current_period_end: '2026-02-28T00:00:00.000Z',
      trial_end: null,
      cancel_at_period_end: true,
      canceled_at: null,
      latest_invoice: 'in_1',
      created: '2026-01-31T00:00:00.000Z',
    });
  });

  it('converts seconds and Dates both ways, dropping milliseconds', () => {
    expect(toSeconds(new Date('2026-01-31T00:00:00.999Z'))).toBe(t);
    expect(fromSeconds(t).toISOString()).toBe('2026-01-31T00:00:00.000Z');
  });
});
