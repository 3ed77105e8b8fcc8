import { GatewayFixture, INTERNAL_TOKEN } from './gateway-fixture';

const customer = (id: string) => ({
  id,
  object: 'customer',
  email: null,
  name: null,
  payment_method: 'pm_card_visa',
  test_clock: null,
  balance: {},
  metadata: {},
  created: '2026-03-01T12:00:00.000Z',
});

/** The billing and dunning routes: validated and isolated here, forwarded to fake billing and dunning services. */
describe('gateway: billing and dunning routes', () => {
  const gw = new GatewayFixture();
  let merchant: { id: string; api_key: string };
  let other: { id: string; api_key: string };

  beforeAll(async () => {
    await gw.start();
    merchant = await gw.createMerchant();
    other = await gw.createMerchant({ name: 'Other merchant' });
  });
  afterAll(() => gw.stop());

  it('forwards a customer creation with the internal headers, and replays it for the same Idempotency-Key', async () => {
    gw.billing.answer(() => ({ status: 201, body: customer('cus_0123456789abcdef01234567') }));
    const body = { email: 'jenny@example.com', payment_method: 'pm_card_visa', metadata: { ref: '1' } };
    const headers = { 'idempotency-key': `cus-${merchant.id}` };
    const before = gw.billing.received.length;

    const first = await gw.request('POST', '/v1/customers', { key: merchant.api_key, body, headers });
    const again = await gw.request('POST', '/v1/customers', { key: merchant.api_key, body, headers });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'cus_0123456789abcdef01234567', object: 'customer' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(gw.billing.received.length).toBe(before + 1);
    const sent = gw.billing.received.at(-1)!;
    expect(`${sent.method} ${sent.url}`).toBe('POST /internal/v1/customers');
    expect(sent.json).toEqual(body);
    expect(sent.headers['x-internal-token']).toBe(INTERNAL_TOKEN);
    expect(sent.headers['x-merchant-id']).toBe(merchant.id);
    expect(sent.headers['idempotency-key']).toBe(headers['idempotency-key']);
    expect(sent.headers['x-idempotency-fingerprint']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('maps every billing route to its internal route, query and normalized body included', async () => {
    gw.billing.answer(() => ({ status: 200, body: { ok: true } }));
    const key = merchant.api_key;
    const calls: [string, string, unknown, string, unknown?][] = [
      [
        'GET',
        '/v1/customers?limit=5&starting_after=cus_prev',
        undefined,
        '/internal/v1/customers?limit=5&starting_after=cus_prev',
      ],
      ['GET', '/v1/customers/cus_abc', undefined, '/internal/v1/customers/cus_abc'],
      [
        'POST',
        '/v1/customers/cus_abc',
        { name: 'Jenny' },
        '/internal/v1/customers/cus_abc',
        { name: 'Jenny' },
      ],
      [
        'POST',
        '/v1/prices',
        { currency: 'eur', unit_amount: 1500, recurring: { interval: 'month' } },
        '/internal/v1/prices',
        {
          currency: 'EUR',
          unit_amount: 1500,
          recurring: { interval: 'month', interval_count: 1 },
          active: true,
        },
      ],
      ['GET', '/v1/prices', undefined, '/internal/v1/prices?limit=10'],
      ['GET', '/v1/prices/price_abc', undefined, '/internal/v1/prices/price_abc'],
      ['POST', '/v1/prices/price_abc', { active: false }, '/internal/v1/prices/price_abc', { active: false }],
      [
        'POST',
        '/v1/subscriptions',
        {
          customer: 'cus_abc',
          items: [{ price: 'price_abc' }],
          billing_cycle_anchor: '2026-01-01T00:00:00Z',
        },
        '/internal/v1/subscriptions',
        {
          customer: 'cus_abc',
          items: [{ price: 'price_abc', quantity: 1 }],
          billing_cycle_anchor: 1767225600,
        },
      ],
      [
        'GET',
        '/v1/subscriptions?customer=cus_abc&status=past_due',
        undefined,
        '/internal/v1/subscriptions?limit=10&customer=cus_abc&status=past_due',
      ],
      ['GET', '/v1/subscriptions/sub_abc', undefined, '/internal/v1/subscriptions/sub_abc'],
      [
        'POST',
        '/v1/subscriptions/sub_abc',
        {
          items: [{ price: 'price_b', quantity: 2 }],
          proration_behavior: 'always_invoice',
          proration_date: 1767225600,
        },
        '/internal/v1/subscriptions/sub_abc',
        {
          items: [{ price: 'price_b', quantity: 2 }],
          proration_behavior: 'always_invoice',
          proration_date: 1767225600,
        },
      ],
      [
        'POST',
        '/v1/subscriptions/sub_abc/cancel',
        { at_period_end: true },
        '/internal/v1/subscriptions/sub_abc/cancel',
        { at_period_end: true },
      ],
      [
        'GET',
        '/v1/invoices?subscription=sub_abc&status=open',
        undefined,
        '/internal/v1/invoices?limit=10&subscription=sub_abc&status=open',
      ],
      ['GET', '/v1/invoices/in_abc', undefined, '/internal/v1/invoices/in_abc'],
      ['POST', '/v1/invoices/in_abc/pay', undefined, '/internal/v1/invoices/in_abc/pay', {}],
      ['POST', '/v1/invoices/in_abc/void', {}, '/internal/v1/invoices/in_abc/void', {}],
      [
        'POST',
        '/v1/invoices/in_abc/mark_uncollectible',
        {},
        '/internal/v1/invoices/in_abc/mark_uncollectible',
        {},
      ],
      [
        'POST',
        '/v1/test_clocks',
        { frozen_time: 1767225600 },
        '/internal/v1/test_clocks',
        { frozen_time: 1767225600 },
      ],
      ['GET', '/v1/test_clocks/clock_abc', undefined, '/internal/v1/test_clocks/clock_abc'],
      [
        'POST',
        '/v1/test_clocks/clock_abc/advance',
        { frozen_time: '2026-02-01T00:00:00Z' },
        '/internal/v1/test_clocks/clock_abc/advance',
        { frozen_time: 1769904000 },
      ],
      ['DELETE', '/v1/test_clocks/clock_abc', undefined, '/internal/v1/test_clocks/clock_abc'],
      ['GET', '/v1/billing_settings', undefined, '/internal/v1/billing_settings'],
      [
        'POST',
        '/v1/billing_settings',
        { invoice_prefix: 'ACME' },
        '/internal/v1/billing_settings',
        { invoice_prefix: 'ACME' },
      ],
    ];
    for (const [method, path, body, internal, forwarded] of calls) {
      const answer = await gw.request(method, path, { key, body });
      expect([method, path, answer.status]).toEqual([method, path, 200]);
      const sent = gw.billing.received.at(-1)!;
      expect(`${sent.method} ${sent.url}`).toBe(`${method} ${internal}`);
      expect(sent.headers['x-merchant-id']).toBe(merchant.id);
      if (forwarded !== undefined) expect(sent.json).toEqual(forwarded);
    }
  });

  it('folds the upcoming-invoice query and forwards it flat, with the items numbered again', async () => {
    gw.billing.answer(() => ({ status: 200, body: { object: 'invoice', id: 'in_upcoming' } }));
    const answer = await gw.request(
      'GET',
      '/v1/invoices/upcoming?subscription=sub_abc&subscription_items[0][price]=price_a&subscription_items[0][quantity]=3' +
        '&subscription_items[1][price]=price_b&proration_date=1767225600',
      { key: merchant.api_key },
    );
    expect(answer.status).toBe(200);
    const sent = gw.billing.received.at(-1)!;
    const url = new URL(sent.url, 'http://billing');
    expect(url.pathname).toBe('/internal/v1/invoices/upcoming');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      subscription: 'sub_abc',
      'subscription_items[0][price]': 'price_a',
      'subscription_items[0][quantity]': '3',
      'subscription_items[1][price]': 'price_b',
      'subscription_items[1][quantity]': '1',
      proration_date: '1767225600',
    });
  });

  it('forwards dunning settings and payment attempts to the dunning service', async () => {
    gw.dunning.answer(() => ({ status: 200, body: { ok: true } }));
    const key = merchant.api_key;
    const body = { retry_schedule_days: [2, 4, 8], final_action: 'mark_unpaid', mark_uncollectible: true };
    expect((await gw.request('POST', '/v1/dunning_settings', { key, body })).status).toBe(200);
    expect(gw.dunning.received.at(-1)).toMatchObject({
      method: 'POST',
      url: '/internal/v1/dunning_settings',
      json: body,
    });
    expect((await gw.request('GET', '/v1/dunning_settings', { key })).status).toBe(200);
    expect(gw.dunning.received.at(-1)).toMatchObject({ method: 'GET', url: '/internal/v1/dunning_settings' });
    expect((await gw.request('GET', '/v1/invoices/in_abc/payment_attempts', { key })).status).toBe(200);
    const sent = gw.dunning.received.at(-1)!;
    expect(sent.url).toBe('/internal/v1/invoices/in_abc/payment_attempts');
    expect(sent.headers['x-merchant-id']).toBe(merchant.id);
  });

  it('refuses bad input with 400 naming the field, malformed ids with 404, without calling billing', async () => {
    const key = merchant.api_key;
    const before = gw.billing.received.length;
    const beforeDunning = gw.dunning.received.length;
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/v1/customers', { email: 'nope' }, 400, 'email'],
      ['POST', '/v1/customers', { balance: 5 }, 400, 'balance'],
      [
        'POST',
        '/v1/prices',
        { currency: 'USD', unit_amount: 1.5, recurring: { interval: 'month' } },
        400,
        'unit_amount',
      ],
      [
        'POST',
        '/v1/prices',
        { currency: 'USD', unit_amount: 100, recurring: { interval: 'year', interval_count: 4 } },
        400,
        'recurring[interval_count]',
      ],
      [
        'POST',
        '/v1/subscriptions',
        { customer: 'cus_a', items: [{ price: 'price_a', quantity: 0 }] },
        400,
        'items[0][quantity]',
      ],
      ['POST', '/v1/subscriptions', { customer: 'cus_a', items: [] }, 400, 'items'],
      [
        'POST',
        '/v1/subscriptions',
        { customer: 'cus_a', items: [{ price: 'price_a' }], trial_period_days: 731 },
        400,
        'trial_period_days',
      ],
      ['POST', '/v1/subscriptions/sub_a', { proration_behavior: 'sometimes' }, 400, 'proration_behavior'],
      ['POST', '/v1/subscriptions/sub_a/cancel', { prorate: 'yes' }, 400, 'prorate'],
      ['GET', '/v1/invoices?limit=101', undefined, 400, 'limit'],
      ['GET', '/v1/invoices/upcoming', undefined, 400, 'subscription'],
      [
        'GET',
        '/v1/invoices/upcoming?subscription=sub_a&subscription_items[0][quantity]=2',
        undefined,
        400,
        'subscription_items[0][price]',
      ],
      ['POST', '/v1/invoices/in_a/pay', { amount: 5 }, 400, 'amount'],
      ['POST', '/v1/test_clocks', { frozen_time: 'later' }, 400, 'frozen_time'],
      ['POST', '/v1/billing_settings', { invoice_prefix: 'ab' }, 400, 'invoice_prefix'],
      ['POST', '/v1/dunning_settings', { retry_schedule_days: [3, 1] }, 400, 'retry_schedule_days'],
      ['GET', '/v1/customers/pi_abc', undefined, 404, 'resource_missing'],
      ['POST', '/v1/prices/cus_abc', { active: true }, 404, 'resource_missing'],
      ['GET', '/v1/subscriptions/sub_a%2F..%2Fx', undefined, 404, 'resource_missing'],
      ['POST', '/v1/invoices/upcoming/void', {}, 404, 'resource_missing'],
      ['GET', '/v1/invoices/in_a-b/payment_attempts', undefined, 404, 'resource_missing'],
      ['DELETE', '/v1/test_clocks/clock_', undefined, 404, 'resource_missing'],
    ];
    for (const [method, path, body, status, expected] of cases) {
      const answer = await gw.request(method, path, { key, body });
      expect([method, path, answer.status]).toEqual([method, path, status]);
      if (status === 400) {
        expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param: expected });
      } else {
        expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: expected });
      }
    }
    expect(gw.billing.received.length).toBe(before);
    expect(gw.dunning.received.length).toBe(beforeDunning);
  });

  it("isolates merchants: the key's merchant is forwarded, another merchant_id in a body is 403, no key is 401", async () => {
    gw.billing.answer(() => ({
      status: 404,
      body: {
        error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such customer' },
      },
    }));
    const answer = await gw.request('GET', '/v1/customers/cus_abc', { key: other.api_key });
    expect(answer.status).toBe(404);
    expect(answer.body.error.request_id).toMatch(/^req_/);
    expect(gw.billing.received.at(-1)!.headers['x-merchant-id']).toBe(other.id);

    const before = gw.billing.received.length;
    const forbidden = await gw.request('POST', '/v1/customers', {
      key: merchant.api_key,
      body: { merchant_id: other.id, email: 'a@example.com' },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toMatchObject({ type: 'permission_error', param: 'merchant_id' });
    expect((await gw.request('GET', '/v1/invoices')).status).toBe(401);
    expect(gw.billing.received.length).toBe(before);
  });

  it('answers 502 when billing or dunning is down', async () => {
    await gw.dunning.stop();
    const answer = await gw.request('GET', '/v1/dunning_settings', { key: merchant.api_key });
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({ type: 'api_error', code: 'upstream_unavailable' });
    await gw.billing.stop();
    const billing = await gw.request('GET', '/v1/customers', { key: merchant.api_key });
    expect(billing.status).toBe(502);
    expect(billing.body.error.message).toMatch(/billing/);
  });
});
