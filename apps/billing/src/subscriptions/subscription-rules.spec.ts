import type { PriceRow } from '../prices/price.row';
import {
  CreateInput,
  INCOMPLETE_EXPIRY_SECONDS,
  decideCancel,
  decideCancelAtPeriodEnd,
  decideCreate,
  decideExpireIncomplete,
  decideTrialEnd,
  decideUpdate,
  lastItemsChangeAt,
  pendingCancelAt,
  priceItems,
  sameItems,
} from './subscription-rules';
import type { StreamItem, SubscriptionEvent, SubscriptionState } from './subscription-stream';

const DAY = 86_400;
// 2026-01-15T00:00:00Z
const T0 = Date.UTC(2026, 0, 15) / 1000;
// 2026-02-15T00:00:00Z: one month after T0
const T1 = Date.UTC(2026, 1, 15) / 1000;

const price = (overrides: Partial<PriceRow> = {}): PriceRow => ({
  id: 'price_a',
  merchant_id: 'mer_1',
  currency: 'USD',
  unit_amount: 1000,
  interval: 'month',
  interval_count: 1,
  nickname: null,
  active: true,
  created_at: new Date(0),
  ...overrides,
});

const pricesOf = (...rows: PriceRow[]) => new Map(rows.map((row) => [row.id, row]));

const item = (row: PriceRow, quantity = 1): StreamItem => ({
  price: {
    id: row.id,
    currency: row.currency,
    unit_amount: row.unit_amount,
    interval: row.interval,
    interval_count: row.interval_count,
  },
  quantity,
});

const state = (overrides: Partial<SubscriptionState> = {}): SubscriptionState => ({
  id: 'sub_1',
  merchant_id: 'mer_1',
  customer_id: 'cus_1',
  test_clock_id: null,
  currency: 'USD',
  items: [item(price())],
  billing_cycle_anchor: T0,
  trial_end: null,
  status: 'active',
  cancel_at_period_end: false,
  canceled_at: null,
  ended_at: null,
  created: T0,
  version: 2,
  current_period_start: T0,
  current_period_end: T1,
  ...overrides,
});

const created = (at = T0): SubscriptionEvent => ({
  type: 'created',
  version: 1,
  at,
  data: {
    subscription_id: 'sub_1',
    merchant_id: 'mer_1',
    customer_id: 'cus_1',
    test_clock_id: null,
    currency: 'USD',
    items: [item(price())],
    billing_cycle_anchor: at,
    trial_end: null,
  },
});

describe('priceItems', () => {
  it('snapshots each price with its quantity (1 by default)', () => {
    const a = price();
    const b = price({ id: 'price_b', unit_amount: 250 });
    expect(priceItems([{ price: 'price_a' }, { price: 'price_b', quantity: 3 }], pricesOf(a, b))).toEqual({
      ok: true,
      value: [item(a, 1), item(b, 3)],
    });
  });

  it("an unknown price (or another merchant's: not in the map) is a 404 naming the item", () => {
    expect(priceItems([{ price: 'price_a' }, { price: 'price_x' }], pricesOf(price()))).toEqual({
      ok: false,
      refusal: expect.objectContaining({ status: 404, code: 'resource_missing', param: 'items[1][price]' }),
    });
  });

  it('an inactive price is a 400 naming the item', () => {
    expect(priceItems([{ price: 'price_a' }], pricesOf(price({ active: false })))).toEqual({
      ok: false,
      refusal: expect.objectContaining({ status: 400, code: 'price_inactive', param: 'items[0][price]' }),
    });
  });

  it.each([
    ['currencies', { currency: 'EUR' }],
    ['intervals', { interval: 'year' as const }],
    ['interval counts', { interval_count: 3 }],
  ])('mixed %s are a 400 on items', (_what, other) => {
    const decision = priceItems([{ price: 'price_a' }, { price: 'price_b' }], pricesOf(price(), price({ id: 'price_b', ...other })));
    expect(decision).toEqual({ ok: false, refusal: expect.objectContaining({ status: 400, param: 'items' }) });
  });

  it('no items is a 400 on items', () => {
    expect(priceItems([], pricesOf())).toMatchObject({ ok: false, refusal: { status: 400, param: 'items' } });
  });
});

describe('decideCreate', () => {
  const input = (overrides: Partial<CreateInput> = {}): CreateInput => ({
    subscriptionId: 'sub_1',
    merchantId: 'mer_1',
    customer: { id: 'cus_1', payment_method: 'pm_card_visa', test_clock_id: null },
    items: [item(price())],
    now: T0,
    ...overrides,
  });

  it('starts now, anchored now, without a trial', () => {
    const { version: _version, ...expected } = created();
    expect(decideCreate(input())).toEqual({ ok: true, value: expected });
  });

  it('a trial ends `days` later and anchors the periods there; no payment method needed', () => {
    const decision = decideCreate(
      input({ trialPeriodDays: 14, customer: { id: 'cus_1', payment_method: null, test_clock_id: 'clock_1' } }),
    );
    expect(decision).toMatchObject({
      ok: true,
      value: {
        type: 'created',
        at: T0,
        data: { trial_end: T0 + 14 * DAY, billing_cycle_anchor: T0 + 14 * DAY, test_clock_id: 'clock_1' },
      },
    });
  });

  it('without a trial the customer needs a payment method (400 customer)', () => {
    expect(decideCreate(input({ customer: { id: 'cus_1', payment_method: null, test_clock_id: null } }))).toMatchObject({
      ok: false,
      refusal: { status: 400, param: 'customer', code: 'payment_method_missing' },
    });
  });

  it('takes an anchor between the start and the first natural boundary', () => {
    expect(decideCreate(input({ billingCycleAnchor: T0 + 10 * DAY }))).toMatchObject({
      ok: true,
      value: { data: { billing_cycle_anchor: T0 + 10 * DAY } },
    });
    expect(decideCreate(input({ billingCycleAnchor: T1 }))).toMatchObject({ ok: true });
  });

  it.each([
    ['in the past', T0 - 1],
    ['past the first natural boundary', T1 + 1],
  ])('refuses an anchor %s (400 billing_cycle_anchor)', (_what, anchor) => {
    expect(decideCreate(input({ billingCycleAnchor: anchor }))).toMatchObject({
      ok: false,
      refusal: { status: 400, param: 'billing_cycle_anchor' },
    });
  });

  it('with a trial, the anchor may not be before the trial ends', () => {
    expect(decideCreate(input({ trialPeriodDays: 7, billingCycleAnchor: T0 + DAY }))).toMatchObject({
      ok: false,
      refusal: { param: 'billing_cycle_anchor' },
    });
  });
});

describe('sameItems', () => {
  it('ignores order, not quantities', () => {
    const a = item(price());
    const b = item(price({ id: 'price_b' }), 2);
    expect(sameItems([a, b], [b, a])).toBe(true);
    expect(sameItems([a, b], [a, { ...b, quantity: 3 }])).toBe(false);
    expect(sameItems([a], [a, b])).toBe(false);
  });
});

describe('stream reading', () => {
  const changed = (version: number, at: number): SubscriptionEvent => ({
    type: 'items_changed',
    version,
    at,
    data: { items: [item(price(), 2)], proration_behavior: 'create_prorations', proration_date: at },
  });

  it('lastItemsChangeAt is the creation or the latest change of items', () => {
    expect(lastItemsChangeAt([created()])).toBe(T0);
    expect(
      lastItemsChangeAt([created(), changed(2, T0 + DAY), { type: 'cancel_unscheduled', version: 3, at: T0 + 2 * DAY, data: {} }]),
    ).toBe(T0 + DAY);
  });

  it('pendingCancelAt follows schedule, take-back and cancellation', () => {
    const scheduled = (version: number, cancelAt: number): SubscriptionEvent => ({
      type: 'cancel_scheduled',
      version,
      at: T0,
      data: { cancel_at: cancelAt },
    });
    expect(pendingCancelAt([created()])).toBeNull();
    expect(pendingCancelAt([created(), scheduled(2, T1)])).toBe(T1);
    expect(pendingCancelAt([created(), scheduled(2, T1), { type: 'cancel_unscheduled', version: 3, at: T0, data: {} }])).toBeNull();
    expect(
      pendingCancelAt([
        created(),
        scheduled(2, T1),
        { type: 'canceled', version: 3, at: T0, data: { effective_at: T0, prorate: false, invoice_now: false } },
      ]),
    ).toBeNull();
  });
});

describe('decideUpdate', () => {
  const pro = item(price({ id: 'price_pro', unit_amount: 3000 }));
  const now = T0 + 10 * DAY;

  it('a change of items is one items_changed, prorated now by default', () => {
    expect(decideUpdate({ state: state(), events: [created()], items: [pro], now })).toEqual({
      ok: true,
      value: [
        {
          type: 'items_changed',
          at: now,
          data: { items: [pro], proration_behavior: 'create_prorations', proration_date: now },
        },
      ],
    });
  });

  it('the same items again change nothing', () => {
    expect(decideUpdate({ state: state(), events: [created()], items: [item(price())], now })).toEqual({ ok: true, value: [] });
  });

  it('keeps proration_behavior and a proration_date inside the current period', () => {
    const decision = decideUpdate({
      state: state(),
      events: [created()],
      items: [pro],
      prorationBehavior: 'always_invoice',
      prorationDate: now - DAY,
      now,
    });
    expect(decision).toMatchObject({ ok: true, value: [{ data: { proration_behavior: 'always_invoice', proration_date: now - DAY } }] });
  });

  it.each([
    ['in the future', now + 1],
    ['before the current period', T0 - 1],
  ])('refuses a proration_date %s', (_what, prorationDate) => {
    expect(decideUpdate({ state: state(), events: [created()], items: [pro], prorationDate, now })).toMatchObject({
      ok: false,
      refusal: { status: 400, param: 'proration_date' },
    });
  });

  it('refuses a proration_date before the latest change of items', () => {
    const events: SubscriptionEvent[] = [
      created(),
      { type: 'items_changed', version: 2, at: now - DAY, data: { items: [pro], proration_behavior: 'none', proration_date: now - DAY } },
    ];
    expect(
      decideUpdate({ state: state({ items: [pro] }), events, items: [item(price())], prorationDate: now - 2 * DAY, now }),
    ).toMatchObject({ ok: false, refusal: { param: 'proration_date' } });
  });

  it("refuses items in another currency or interval than the subscription's", () => {
    const eur = item(price({ id: 'price_eur', currency: 'EUR' }));
    const yearly = item(price({ id: 'price_y', interval: 'year' }));
    for (const items of [[eur], [yearly]]) {
      expect(decideUpdate({ state: state(), events: [created()], items, now })).toMatchObject({
        ok: false,
        refusal: { status: 400, param: 'items' },
      });
    }
  });

  it.each(['canceled', 'incomplete_expired'] as const)('a %s subscription cannot change (409)', (status) => {
    expect(decideUpdate({ state: state({ status }), events: [created()], items: [pro], now })).toMatchObject({
      ok: false,
      refusal: { status: 409, code: 'invalid_state_transition' },
    });
  });

  it('an incomplete subscription cannot change items, but may schedule its cancellation', () => {
    expect(decideUpdate({ state: state({ status: 'incomplete' }), events: [created()], items: [pro], now })).toMatchObject({
      ok: false,
      refusal: { status: 409 },
    });
    expect(
      decideUpdate({ state: state({ status: 'incomplete' }), events: [created()], cancelAtPeriodEnd: true, now }),
    ).toMatchObject({ ok: true, value: [{ type: 'cancel_scheduled', data: { cancel_at: T1 } }] });
  });

  it('cancel_at_period_end schedules at the current period end, and false takes it back', () => {
    expect(decideUpdate({ state: state(), events: [created()], cancelAtPeriodEnd: true, now })).toEqual({
      ok: true,
      value: [{ type: 'cancel_scheduled', at: now, data: { cancel_at: T1 } }],
    });
    expect(decideUpdate({ state: state(), events: [created()], cancelAtPeriodEnd: false, now })).toEqual({ ok: true, value: [] });
    expect(
      decideUpdate({ state: state({ cancel_at_period_end: true }), events: [created()], cancelAtPeriodEnd: false, now }),
    ).toEqual({ ok: true, value: [{ type: 'cancel_unscheduled', at: now, data: {} }] });
    expect(
      decideUpdate({ state: state({ cancel_at_period_end: true }), events: [created()], cancelAtPeriodEnd: true, now }),
    ).toEqual({ ok: true, value: [] });
  });

  it('items and a scheduled cancellation together: the change first', () => {
    const decision = decideUpdate({ state: state(), events: [created()], items: [pro], cancelAtPeriodEnd: true, now });
    expect(decision).toMatchObject({ ok: true, value: [{ type: 'items_changed' }, { type: 'cancel_scheduled' }] });
  });
});

describe('decideCancel', () => {
  const now = T0 + 3 * DAY;

  it('cancels now, with the options given', () => {
    expect(decideCancel({ state: state(), now, prorate: true, invoiceNow: true })).toEqual({
      ok: true,
      value: [{ type: 'canceled', at: now, data: { effective_at: now, prorate: true, invoice_now: true } }],
    });
    expect(decideCancel({ state: state(), now })).toMatchObject({
      ok: true,
      value: [{ data: { prorate: false, invoice_now: false } }],
    });
  });

  it('at_period_end schedules at the current period end, once', () => {
    expect(decideCancel({ state: state(), now, atPeriodEnd: true })).toEqual({
      ok: true,
      value: [{ type: 'cancel_scheduled', at: now, data: { cancel_at: T1 } }],
    });
    expect(decideCancel({ state: state({ cancel_at_period_end: true }), now, atPeriodEnd: true })).toEqual({
      ok: true,
      value: [],
    });
  });

  it.each([
    ['prorate', { prorate: true }],
    ['invoice_now', { invoiceNow: true }],
  ])('refuses %s with at_period_end', (param, options) => {
    expect(decideCancel({ state: state(), now, atPeriodEnd: true, ...options })).toMatchObject({
      ok: false,
      refusal: { status: 400, param },
    });
  });

  it.each(['canceled', 'incomplete_expired'] as const)('a %s subscription cannot be canceled again (409)', (status) => {
    expect(decideCancel({ state: state({ status }), now })).toMatchObject({ ok: false, refusal: { status: 409 } });
  });
});

describe('scheduled work decisions', () => {
  it('expire_incomplete: only an incomplete subscription, only from 23 h after creation', () => {
    const incomplete = state({ status: 'incomplete' });
    expect(decideExpireIncomplete(incomplete, T0 + INCOMPLETE_EXPIRY_SECONDS - 1)).toEqual([]);
    expect(decideExpireIncomplete(incomplete, T0 + INCOMPLETE_EXPIRY_SECONDS)).toEqual([
      {
        type: 'status_changed',
        at: T0 + INCOMPLETE_EXPIRY_SECONDS,
        data: { status: 'incomplete_expired', reason: 'first_invoice_not_paid_in_23h' },
      },
    ]);
    for (const status of ['active', 'canceled', 'incomplete_expired', 'past_due'] as const) {
      expect(decideExpireIncomplete(state({ status }), T0 + DAY)).toEqual([]);
    }
  });

  it('trial_end: a trialing subscription whose trial is over', () => {
    const trialing = state({ status: 'trialing', trial_end: T0 + 7 * DAY });
    expect(decideTrialEnd(trialing, [created()], T0 + 7 * DAY - 1)).toEqual([]);
    expect(decideTrialEnd(trialing, [created()], T0 + 7 * DAY)).toEqual([{ type: 'trial_ended', at: T0 + 7 * DAY, data: {} }]);
    expect(decideTrialEnd(state({ status: 'canceled', trial_end: T0 }), [created()], T0 + DAY)).toEqual([]);
    expect(decideTrialEnd(state({ status: 'active', trial_end: T0 }), [created()], T0 + DAY)).toEqual([]);
  });

  it('trial_end with a cancellation pending by then: the trial ends the subscription, nothing is billed', () => {
    const trialEnd = T0 + 7 * DAY;
    const trialing = state({ status: 'trialing', trial_end: trialEnd, cancel_at_period_end: true });
    const events: SubscriptionEvent[] = [created(), { type: 'cancel_scheduled', version: 2, at: T0, data: { cancel_at: trialEnd } }];
    expect(decideTrialEnd(trialing, events, trialEnd)).toEqual([
      { type: 'canceled', at: trialEnd, data: { effective_at: trialEnd, prorate: false, invoice_now: false } },
    ]);
  });

  it('cancel_at_period_end: the pending cancellation once due, effective at its instant', () => {
    const events: SubscriptionEvent[] = [created(), { type: 'cancel_scheduled', version: 2, at: T0, data: { cancel_at: T1 } }];
    const scheduled = state({ cancel_at_period_end: true });
    expect(decideCancelAtPeriodEnd(scheduled, events, T1 - 1)).toEqual([]);
    expect(decideCancelAtPeriodEnd(scheduled, events, T1 + 5)).toEqual([
      { type: 'canceled', at: T1 + 5, data: { effective_at: T1, prorate: false, invoice_now: false } },
    ]);
    // Taken back: the row left behind does nothing.
    const takenBack: SubscriptionEvent[] = [...events, { type: 'cancel_unscheduled', version: 3, at: T0, data: {} }];
    expect(decideCancelAtPeriodEnd(state(), takenBack, T1)).toEqual([]);
    expect(decideCancelAtPeriodEnd(state({ status: 'canceled' }), events, T1)).toEqual([]);
  });
});
