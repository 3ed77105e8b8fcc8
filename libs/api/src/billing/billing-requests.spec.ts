import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import {
  AdvanceTestClockRequest,
  CancelSubscriptionRequest,
  CreateCustomerRequest,
  CreatePriceRequest,
  CreateSubscriptionRequest,
  CreateTestClockRequest,
  ListCustomersQuery,
  ListInvoicesQuery,
  ListPricesQuery,
  ListSubscriptionsQuery,
  UpcomingInvoiceQuery,
  UpdateBillingSettingsRequest,
  UpdateCustomerRequest,
  UpdateDunningSettingsRequest,
  UpdatePriceRequest,
  UpdateSubscriptionRequest,
  flattenUpcomingInvoiceQuery,
  foldUpcomingInvoiceQuery,
  isoToUnixSeconds,
  withinThreeYears,
} from './index';

/** The `param` the API's validation pipe reports: Stripe-style `items[0][price]`. */
function paramOf(errors: ValidationError[], prefix = ''): string {
  const error = errors[0];
  const param = prefix ? `${prefix}[${error.property}]` : error.property;
  return error.constraints ? param : paramOf(error.children ?? [], param);
}

/** Validates as the services' ValidationPipe does: no implicit conversion, unknown fields refused. */
function check<T extends object>(cls: new () => T, plain: unknown): { value: T; param: string | null } {
  const value = plainToInstance(cls, plain, { enableImplicitConversion: false }) as T;
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  return { value, param: errors.length === 0 ? null : paramOf(errors) };
}

describe('customers', () => {
  it('accepts an empty body and every field at its limits', () => {
    expect(check(CreateCustomerRequest, {}).param).toBeNull();
    expect(
      check(CreateCustomerRequest, {
        email: 'jenny@example.com',
        name: 'n'.repeat(256),
        payment_method: 'pm_card_visa',
        test_clock: 'clock_0123456789abcdef01234567',
        metadata: { a: 'b' },
      }).param,
    ).toBeNull();
  });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: 42 }],
    ['name', { name: 'n'.repeat(257) }],
    ['payment_method', { payment_method: '4242424242424242' }],
    ['test_clock', { test_clock: 'cus_abc' }],
    ['metadata', { metadata: { n: 1 } }],
    ['balance', { balance: 10 }],
  ])('create refuses a bad %s', (param, body) => {
    expect(check(CreateCustomerRequest, body).param).toBe(param);
  });

  it('update cannot move a customer to a test clock', () => {
    expect(check(UpdateCustomerRequest, { payment_method: 'pm_card_mastercard' }).param).toBeNull();
    expect(check(UpdateCustomerRequest, { test_clock: 'clock_abc' }).param).toBe('test_clock');
  });
});

describe('prices', () => {
  const valid = { currency: 'usd', unit_amount: 2000, recurring: { interval: 'month' } };

  it('normalizes the currency and defaults interval_count and active', () => {
    const { value, param } = check(CreatePriceRequest, valid);
    expect(param).toBeNull();
    expect(value.currency).toBe('USD');
    expect(value.recurring.interval_count).toBe(1);
    expect(value.active).toBe(true);
  });

  it('accepts a free price, 99,999,999, 12 months and 3 years', () => {
    expect(check(CreatePriceRequest, { ...valid, unit_amount: 0 }).param).toBeNull();
    expect(check(CreatePriceRequest, { ...valid, unit_amount: 99_999_999 }).param).toBeNull();
    expect(
      check(CreatePriceRequest, { ...valid, recurring: { interval: 'month', interval_count: 12 } }).param,
    ).toBeNull();
    expect(
      check(CreatePriceRequest, { ...valid, recurring: { interval: 'year', interval_count: 3 } }).param,
    ).toBeNull();
  });

  it.each([
    ['unit_amount', { unit_amount: -1 }],
    ['unit_amount', { unit_amount: 100_000_000 }],
    ['unit_amount', { unit_amount: 10.5 }],
    ['unit_amount', { unit_amount: '100' }],
    ['unit_amount', { unit_amount: undefined }],
    ['currency', { currency: 'XYZ' }],
    ['recurring', { recurring: undefined }],
    ['recurring', { recurring: 'month' }],
    ['recurring[interval]', { recurring: { interval: 'fortnight' } }],
    ['recurring[interval_count]', { recurring: { interval: 'month', interval_count: 0 } }],
    ['recurring[interval_count]', { recurring: { interval: 'week', interval_count: 13 } }],
    ['recurring[interval_count]', { recurring: { interval: 'year', interval_count: 4 } }],
    ['recurring[interval_count]', { recurring: { interval: 'month', interval_count: 1.5 } }],
    ['recurring[usage_type]', { recurring: { interval: 'month', usage_type: 'metered' } }],
    ['nickname', { nickname: 'n'.repeat(256) }],
    ['active', { active: 'yes' }],
    ['product', { product: 'prod_1' }],
  ])('refuses a bad %s', (param, patch) => {
    expect(check(CreatePriceRequest, { ...valid, ...patch }).param).toBe(param);
  });

  it('three years at most in all', () => {
    expect(withinThreeYears('year', 3)).toBe(true);
    expect(withinThreeYears('year', 4)).toBe(false);
    expect(withinThreeYears('month', 12)).toBe(true);
    expect(withinThreeYears('week', 12)).toBe(true);
    expect(withinThreeYears('day', 12)).toBe(true);
  });

  it('update changes only nickname and active', () => {
    expect(check(UpdatePriceRequest, { nickname: 'Pro', active: false }).param).toBeNull();
    expect(check(UpdatePriceRequest, { unit_amount: 1 }).param).toBe('unit_amount');
  });
});

describe('subscriptions', () => {
  const valid = { customer: 'cus_abc', items: [{ price: 'price_abc' }] };

  it('defaults quantity to 1 and accepts 20 items', () => {
    const { value, param } = check(CreateSubscriptionRequest, valid);
    expect(param).toBeNull();
    expect(value.items[0].quantity).toBe(1);
    const twenty = Array.from({ length: 20 }, (_, i) => ({ price: `price_${i}`, quantity: 2 }));
    expect(check(CreateSubscriptionRequest, { ...valid, items: twenty }).param).toBeNull();
  });

  it('takes billing_cycle_anchor as Unix seconds or ISO 8601, forwarding Unix seconds', () => {
    expect(
      check(CreateSubscriptionRequest, { ...valid, billing_cycle_anchor: 1767225600 }).value
        .billing_cycle_anchor,
    ).toBe(1767225600);
    const iso = check(CreateSubscriptionRequest, { ...valid, billing_cycle_anchor: '2026-01-01T00:00:00Z' });
    expect(iso.param).toBeNull();
    expect(iso.value.billing_cycle_anchor).toBe(1767225600);
    expect(isoToUnixSeconds('2026-01-01T01:00:00+01:00')).toBe(1767225600);
    expect(isoToUnixSeconds('2026-02-30T00:00:00Z')).toBe('2026-02-30T00:00:00Z');
  });

  it.each([
    ['customer', { customer: undefined }],
    ['customer', { customer: 'cust_1' }],
    ['items', { items: undefined }],
    ['items', { items: [] }],
    ['items', { items: 'price_abc' }],
    ['items', { items: Array.from({ length: 21 }, (_, i) => ({ price: `price_${i}` })) }],
    ['items', { items: [{ price: 'price_a' }, { price: 'price_a', quantity: 2 }] }],
    ['items[0][price]', { items: [{ price: 'plan_a' }] }],
    ['items[0][price]', { items: [{ quantity: 1 }] }],
    ['items[1][quantity]', { items: [{ price: 'price_a' }, { price: 'price_b', quantity: 0 }] }],
    ['items[0][quantity]', { items: [{ price: 'price_a', quantity: '2' }] }],
    ['items[0][quantity]', { items: [{ price: 'price_a', quantity: 1.5 }] }],
    ['items[0][id]', { items: [{ price: 'price_a', id: 'si_1' }] }],
    ['trial_period_days', { trial_period_days: 0 }],
    ['trial_period_days', { trial_period_days: 731 }],
    ['trial_period_days', { trial_period_days: '7' }],
    ['billing_cycle_anchor', { billing_cycle_anchor: 1.5 }],
    ['billing_cycle_anchor', { billing_cycle_anchor: 'tomorrow' }],
    ['billing_cycle_anchor', { billing_cycle_anchor: '2026-01-01' }],
    ['billing_cycle_anchor', { billing_cycle_anchor: -5 }],
    ['metadata', { metadata: {} }],
  ])('create refuses a bad %s', (param, patch) => {
    expect(check(CreateSubscriptionRequest, { ...valid, ...patch }).param).toBe(param);
  });

  it('update takes items, proration options and cancel_at_period_end', () => {
    expect(check(UpdateSubscriptionRequest, {}).param).toBeNull();
    expect(
      check(UpdateSubscriptionRequest, {
        items: [{ price: 'price_b', quantity: 3 }],
        proration_behavior: 'always_invoice',
        proration_date: 1767225600,
      }).param,
    ).toBeNull();
    expect(check(UpdateSubscriptionRequest, { cancel_at_period_end: false }).param).toBeNull();
    expect(check(UpdateSubscriptionRequest, { proration_behavior: 'sometimes' }).param).toBe(
      'proration_behavior',
    );
    expect(check(UpdateSubscriptionRequest, { proration_date: '2026-01-01T00:00:00Z' }).param).toBe(
      'proration_date',
    );
    expect(check(UpdateSubscriptionRequest, { items: [] }).param).toBe('items');
    expect(check(UpdateSubscriptionRequest, { customer: 'cus_b' }).param).toBe('customer');
  });

  it('cancel takes three booleans', () => {
    expect(check(CancelSubscriptionRequest, {}).param).toBeNull();
    expect(
      check(CancelSubscriptionRequest, { at_period_end: true, prorate: false, invoice_now: true }).param,
    ).toBeNull();
    expect(check(CancelSubscriptionRequest, { prorate: 'true' }).param).toBe('prorate');
    expect(check(CancelSubscriptionRequest, { reason: 'x' }).param).toBe('reason');
  });
});

describe('list queries', () => {
  it('convert limit and check cursors and filters by their prefix', () => {
    expect(check(ListCustomersQuery, { limit: '100', starting_after: 'cus_a' }).value.limit).toBe(100);
    expect(check(ListPricesQuery, {}).value.limit).toBe(10);
    expect(check(ListSubscriptionsQuery, { customer: 'cus_a', status: 'past_due' }).param).toBeNull();
    expect(
      check(ListInvoicesQuery, { customer: 'cus_a', subscription: 'sub_a', status: 'open' }).param,
    ).toBeNull();
  });

  it.each([
    [ListCustomersQuery, { limit: '0' }, 'limit'],
    [ListCustomersQuery, { limit: '101' }, 'limit'],
    [ListCustomersQuery, { starting_after: 'sub_a' }, 'starting_after'],
    [ListPricesQuery, { starting_after: 'cus_a' }, 'starting_after'],
    [ListSubscriptionsQuery, { status: 'paid' }, 'status'],
    [ListSubscriptionsQuery, { customer: 'sub_a' }, 'customer'],
    [ListInvoicesQuery, { status: 'active' }, 'status'],
    [ListInvoicesQuery, { subscription: 'in_a' }, 'subscription'],
    [ListInvoicesQuery, { starting_after: 'sub_a' }, 'starting_after'],
    [ListInvoicesQuery, { expand: 'lines' }, 'expand'],
  ] as const)('%p refuses %p naming %s', (cls, query, param) => {
    expect(check(cls as new () => object, query).param).toBe(param);
  });
});

describe('upcoming invoice query', () => {
  const upcoming = (raw: Record<string, unknown>) =>
    check(UpcomingInvoiceQuery, foldUpcomingInvoiceQuery(raw));

  it('folds flat subscription_items keys into a list and converts numbers', () => {
    const { value, param } = upcoming({
      subscription: 'sub_a',
      'subscription_items[1][price]': 'price_b',
      'subscription_items[0][price]': 'price_a',
      'subscription_items[0][quantity]': '3',
      proration_behavior: 'create_prorations',
      proration_date: '1767225600',
    });
    expect(param).toBeNull();
    expect(value.subscription_items?.map((i) => ({ ...i }))).toEqual([
      { price: 'price_a', quantity: 3 },
      { price: 'price_b', quantity: 1 },
    ]);
    expect(value.proration_date).toBe(1767225600);
    expect(flattenUpcomingInvoiceQuery(value)).toEqual({
      subscription: 'sub_a',
      'subscription_items[0][price]': 'price_a',
      'subscription_items[0][quantity]': 3,
      'subscription_items[1][price]': 'price_b',
      'subscription_items[1][quantity]': 1,
      proration_behavior: 'create_prorations',
      proration_date: 1767225600,
    });
  });

  it('accepts a query already nested by an extended parser', () => {
    expect(
      upcoming({ subscription: 'sub_a', subscription_items: [{ price: 'price_a', quantity: '2' }] }).param,
    ).toBeNull();
  });

  it.each([
    ['subscription', {}],
    ['subscription', { subscription: 'in_a' }],
    ['subscription', { subscription: ['sub_a', 'sub_b'] }],
    ['subscription_items[0][price]', { subscription: 'sub_a', 'subscription_items[0][quantity]': '2' }],
    [
      'subscription_items[0][quantity]',
      {
        subscription: 'sub_a',
        'subscription_items[0][price]': 'price_a',
        'subscription_items[0][quantity]': 'two',
      },
    ],
    [
      'subscription_items[0][quantity]',
      {
        subscription: 'sub_a',
        'subscription_items[0][price]': 'price_a',
        'subscription_items[0][quantity]': '0',
      },
    ],
    [
      'subscription_items[0][deleted]',
      {
        subscription: 'sub_a',
        'subscription_items[0][price]': 'price_a',
        'subscription_items[0][deleted]': 'true',
      },
    ],
    [
      'subscription_items[2]',
      {
        subscription: 'sub_a',
        'subscription_items[0][price]': 'price_a',
        'subscription_items[2][price]': 'price_c',
      },
    ],
    [
      'subscription_items',
      {
        subscription: 'sub_a',
        'subscription_items[0][price]': 'price_a',
        'subscription_items[1][price]': 'price_a',
      },
    ],
    ['proration_behavior', { subscription: 'sub_a', proration_behavior: 'later' }],
    ['proration_date', { subscription: 'sub_a', proration_date: 'yesterday' }],
    ['proration_date', { subscription: 'sub_a', proration_date: '1.5' }],
    ['customer', { subscription: 'sub_a', customer: 'cus_a' }],
  ])('refuses naming %s', (param, raw) => {
    expect(upcoming(raw).param).toBe(param);
  });
});

describe('test clocks', () => {
  it('take frozen_time as Unix seconds or ISO 8601', () => {
    expect(check(CreateTestClockRequest, { frozen_time: 1767225600, name: 'rehearsal' }).param).toBeNull();
    expect(check(AdvanceTestClockRequest, { frozen_time: '2026-02-01T00:00:00Z' }).value.frozen_time).toBe(
      1769904000,
    );
  });

  it.each([
    [CreateTestClockRequest, {}, 'frozen_time'],
    [CreateTestClockRequest, { frozen_time: 1767225600.5 }, 'frozen_time'],
    [CreateTestClockRequest, { frozen_time: 0 }, 'frozen_time'],
    [CreateTestClockRequest, { frozen_time: 1767225600, name: 'n'.repeat(301) }, 'name'],
    [AdvanceTestClockRequest, { frozen_time: 'soon' }, 'frozen_time'],
    [AdvanceTestClockRequest, { frozen_time: 253_402_300_800 }, 'frozen_time'],
    [AdvanceTestClockRequest, { frozen_time: 1767225600, status: 'ready' }, 'status'],
  ] as const)('%p refuses %p naming %s', (cls, body, param) => {
    expect(check(cls as new () => object, body).param).toBe(param);
  });
});

describe('settings', () => {
  it.each([
    ['ACME', null],
    ['A1B2C3D4E5F6', null],
    ['AB', 'invoice_prefix'],
    ['acme', 'invoice_prefix'],
    ['ACME-1', 'invoice_prefix'],
    ['A1B2C3D4E5F6G', 'invoice_prefix'],
    [undefined, 'invoice_prefix'],
  ])('invoice_prefix %p → %p', (invoice_prefix, param) => {
    expect(check(UpdateBillingSettingsRequest, { invoice_prefix }).param).toBe(param);
  });

  it('dunning settings: ascending days within 60, at most 12 retries', () => {
    expect(check(UpdateDunningSettingsRequest, {}).param).toBeNull();
    expect(
      check(UpdateDunningSettingsRequest, {
        retry_schedule_days: [1, 3, 5, 7, 10, 12, 14],
        final_action: 'mark_unpaid',
        mark_uncollectible: true,
      }).param,
    ).toBeNull();
    expect(check(UpdateDunningSettingsRequest, { retry_schedule_days: [60] }).param).toBeNull();
    for (const bad of [
      [],
      [3, 1],
      [1, 1],
      [0],
      [61],
      [1.5],
      Array.from({ length: 13 }, (_, i) => i + 1),
      '1,3',
    ]) {
      expect(check(UpdateDunningSettingsRequest, { retry_schedule_days: bad }).param).toBe(
        'retry_schedule_days',
      );
    }
    expect(check(UpdateDunningSettingsRequest, { final_action: 'refund' }).param).toBe('final_action');
    expect(check(UpdateDunningSettingsRequest, { mark_uncollectible: 'no' }).param).toBe(
      'mark_uncollectible',
    );
  });
});
