import { price, seconds, StreamBuilder } from '../invoice-generation/testing/stream-builder';
import { assertWellFormedStream, foldSubscription, periodContaining, type SubscriptionEvent } from './subscription-stream';

const jan31 = seconds('2024-01-31T00:00:00Z');
const feb29 = seconds('2024-02-29T00:00:00Z');
const mar31 = seconds('2024-03-31T00:00:00Z');
const gold = price('price_gold', 1000);
const silver = price('price_silver', 500);

describe('foldSubscription', () => {
  it('a new subscription without trial is incomplete, in its first period', () => {
    const state = foldSubscription(new StreamBuilder(jan31, [{ price: gold, quantity: 2 }]).stream);
    expect(state).toEqual({
      id: 'sub_test',
      merchant_id: 'acct_test',
      customer_id: 'cus_test',
      test_clock_id: null,
      currency: 'usd',
      items: [{ price: gold, quantity: 2 }],
      billing_cycle_anchor: jan31,
      trial_end: null,
      status: 'incomplete',
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      created: jan31,
      version: 1,
      current_period_start: jan31,
      current_period_end: feb29,
    });
  });

  it('follows status changes, item changes and the version', () => {
    const s = new StreamBuilder(jan31, [{ price: gold, quantity: 1 }])
      .status(jan31 + 5, 'active', 'first_invoice_paid')
      .change(feb29 + 10, [{ price: silver, quantity: 3 }])
      .status(feb29 + 20, 'past_due', 'renewal_failed');
    const state = foldSubscription(s.stream);
    expect(state.status).toBe('past_due');
    expect(state.items).toEqual([{ price: silver, quantity: 3 }]);
    expect(state.version).toBe(4);
    expect([state.current_period_start, state.current_period_end]).toEqual([feb29, mar31]);
  });

  it('trialing until the trial ends, the trial being the current period; then active on the anchor at trial_end', () => {
    const trialEnd = seconds('2024-02-14T00:00:00Z');
    const s = new StreamBuilder(jan31, [{ price: gold, quantity: 1 }], { trial_end: trialEnd });
    const trialing = foldSubscription(s.stream);
    expect(trialing.status).toBe('trialing');
    expect([trialing.current_period_start, trialing.current_period_end]).toEqual([jan31, trialEnd]);
    expect(trialing.billing_cycle_anchor).toBe(trialEnd);
    const active = foldSubscription(s.endTrial(trialEnd).stream);
    expect(active.status).toBe('active');
    expect([active.current_period_start, active.current_period_end]).toEqual([trialEnd, seconds('2024-03-14T00:00:00Z')]);
  });

  it('a trial ended early moves trial_end and, when no anchor was given, the anchor', () => {
    const trialEnd = seconds('2024-02-14T00:00:00Z');
    const early = seconds('2024-02-05T00:00:00Z');
    const moved = foldSubscription(new StreamBuilder(jan31, [{ price: gold, quantity: 1 }], { trial_end: trialEnd }).endTrial(early).stream);
    expect([moved.trial_end, moved.billing_cycle_anchor, moved.current_period_end]).toEqual([early, early, seconds('2024-03-05T00:00:00Z')]);
    const anchor = seconds('2024-03-01T00:00:00Z');
    const kept = foldSubscription(
      new StreamBuilder(jan31, [{ price: gold, quantity: 1 }], { trial_end: trialEnd, anchor }).endTrial(early).stream,
    );
    expect([kept.trial_end, kept.billing_cycle_anchor, kept.current_period_start, kept.current_period_end]).toEqual([early, anchor, early, anchor]);
  });

  it('cancel at period end: flag and canceled_at at the request, cleared when unscheduled, kept when it ends', () => {
    const s = new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]).scheduleCancel(jan31 + 100, feb29);
    expect(foldSubscription(s.stream)).toMatchObject({ cancel_at_period_end: true, canceled_at: jan31 + 100, status: 'incomplete' });
    const undone = foldSubscription(new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]).scheduleCancel(jan31 + 100, feb29).unscheduleCancel(jan31 + 200).stream);
    expect(undone).toMatchObject({ cancel_at_period_end: false, canceled_at: null });
    const ended = foldSubscription(s.cancel(feb29, { effective_at: feb29 }).stream);
    expect(ended).toMatchObject({ status: 'canceled', canceled_at: jan31 + 100, ended_at: feb29, current_period_start: jan31, current_period_end: feb29 });
  });

  it('an immediate (possibly backdated) cancel ends at effective_at, canceled_at being the request', () => {
    const state = foldSubscription(new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]).cancel(feb29 + 50, { effective_at: feb29 - 50 }).stream);
    expect(state).toMatchObject({ status: 'canceled', canceled_at: feb29 + 50, ended_at: feb29 - 50, current_period_start: jan31, current_period_end: feb29 });
  });

  it('incomplete_expired ends the subscription', () => {
    const state = foldSubscription(new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]).status(jan31 + 23 * 3600, 'incomplete_expired').stream);
    expect(state).toMatchObject({ status: 'incomplete_expired', ended_at: jan31 + 23 * 3600 });
  });

  it('refuses streams that are not a subscription', () => {
    const ok = new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]).change(jan31 + 1, [{ price: silver, quantity: 1 }]).stream;
    expect(() => foldSubscription([])).toThrow(/empty/);
    expect(() => foldSubscription(ok.slice(1))).toThrow(/starts with created/);
    expect(() => foldSubscription([ok[0], { ...ok[1], version: 3 } as SubscriptionEvent])).toThrow(/version/);
    expect(() => assertWellFormedStream([ok[0], { ...ok[0], version: 2 } as unknown as SubscriptionEvent])).toThrow();
  });
});

describe('periodContaining', () => {
  it('uses the anchor grid with month ends clamped, a stub first period when the anchor is later', () => {
    const anchor = seconds('2024-02-15T00:00:00Z');
    const state = foldSubscription(new StreamBuilder(jan31, [{ price: gold, quantity: 1 }], { anchor }).stream);
    expect(periodContaining(state, jan31)).toEqual({ start: jan31, end: anchor });
    expect(periodContaining(state, anchor)).toEqual({ start: anchor, end: seconds('2024-03-15T00:00:00Z') });
    expect(periodContaining(state, jan31 - 10)).toEqual({ start: jan31, end: anchor });
    const monthEnd = foldSubscription(new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]).stream);
    expect(periodContaining(monthEnd, seconds('2024-04-15T00:00:00Z'))).toEqual({ start: mar31, end: seconds('2024-04-30T00:00:00Z') });
  });
});
