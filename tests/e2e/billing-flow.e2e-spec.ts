import { waitFor } from '@payflow/platform/testing';
import { adminKey, call, createMerchant, type Answer } from './e2e-client';

/**
 * Billing end to end, every service a process on real Kafka: a monthly price, a customer on a test
 * clock, a subscription whose first invoice is paid through intents, the orchestrator and the
 * simulator; the clock advanced three months and a day renews it three times, each invoice paid
 * and booked in the ledger with the merchant's fees. This is the README's billing walk-through.
 */
describe('billing through the gateway', () => {
  const START = '2026-01-31T10:00:00Z';
  let merchant: { id: string; api_key: string };

  beforeAll(async () => {
    merchant = await createMerchant();
  });

  async function listInvoices(key: string, customer: string) {
    const answer = await call('GET', `/v1/invoices?customer=${customer}&limit=100`, key);
    expect(answer.status).toBe(200);
    return answer.body.data as Answer['body'][];
  }

  async function waitForClockReady(key: string, clock: string) {
    return waitFor(
      async () => {
        const answer = await call('GET', `/v1/test_clocks/${clock}`, key);
        return answer.body.status === 'ready' ? answer.body : null;
      },
      { what: `${clock} to be ready`, timeoutMs: 120_000 },
    );
  }

  it('bills a subscription on a test clock: four paid invoices after three months and a day, booked with fees', async () => {
    const key = merchant.api_key;
    const price = await call('POST', '/v1/prices', key, {
      currency: 'usd',
      unit_amount: 2_000,
      recurring: { interval: 'month', interval_count: 1 },
      nickname: 'Pro monthly',
    });
    expect(price.status).toBe(201);
    const clock = await call('POST', '/v1/test_clocks', key, { frozen_time: START, name: 'readme walk-through' });
    expect(clock.status).toBe(201);
    expect(clock.body).toMatchObject({ object: 'test_clock', status: 'ready', frozen_time: '2026-01-31T10:00:00.000Z' });
    const customer = await call('POST', '/v1/customers', key, {
      email: 'jenny@example.com',
      payment_method: 'pm_card_visa',
      test_clock: clock.body.id,
    });
    expect(customer.status).toBe(201);
    const subscription = await call('POST', '/v1/subscriptions', key, {
      customer: customer.body.id,
      items: [{ price: price.body.id, quantity: 1 }],
    });
    expect(subscription.status).toBe(201);
    expect(subscription.body).toMatchObject({ object: 'subscription', customer: customer.body.id });

    // The first invoice is finalized at once and paid through intents: the subscription turns active.
    await waitFor(
      async () => {
        const answer = await call('GET', `/v1/subscriptions/${subscription.body.id}`, key);
        return answer.body.status === 'active' ? answer.body : null;
      },
      { what: 'the first invoice to be paid', timeoutMs: 60_000 },
    );

    const advanced = await call('POST', `/v1/test_clocks/${clock.body.id}/advance`, key, {
      frozen_time: '2026-05-01T10:00:00Z',
    });
    expect(advanced.status).toBe(200);
    expect(advanced.body.status).toBe('advancing');
    const again = await call('POST', `/v1/test_clocks/${clock.body.id}/advance`, key, { frozen_time: '2026-06-01T10:00:00Z' });
    expect(again.status).toBe(409);
    const ready = await waitForClockReady(key, clock.body.id);
    expect(ready.frozen_time).toBe('2026-05-01T10:00:00.000Z');

    const invoices = (await listInvoices(key, customer.body.id)).sort((a, b) => a.period_start.localeCompare(b.period_start));
    // Anchored on Jan 31: the month ends are clamped and the anchor day kept.
    expect(invoices.map((invoice) => invoice.period_start)).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
      '2026-04-30T10:00:00.000Z',
    ]);
    const prefix = merchant.id.slice(-8).toUpperCase();
    expect(invoices.map((invoice) => invoice.number)).toEqual([1, 2, 3, 4].map((n) => `TEST-${prefix}-00000${n}`));
    for (const invoice of invoices) {
      expect(invoice).toMatchObject({ status: 'paid', currency: 'USD', total: 2_000, amount_paid: 2_000 });
      expect(invoice.payment_intent).toMatch(/^pi_/);
      const intent = await call('GET', `/v1/payment_intents/${invoice.payment_intent}`, key);
      expect(intent.body).toMatchObject({ status: 'captured', invoice: invoice.id, capture_method: 'automatic' });
    }

    // Default fee schedule: 290 bps + 30 → 88 on each 2000.
    const balance = await waitFor(
      async () => {
        const answer = await call('GET', '/v1/balance', key);
        return answer.body.available?.[0]?.amount === 4 * (2_000 - 88) ? answer.body : null;
      },
      { what: 'four captures to reach the balance', timeoutMs: 60_000 },
    );
    expect(balance.fees).toEqual([{ currency: 'USD', amount: 4 * 88 }]);
    const entries = await call('GET', '/v1/ledger/entries?limit=20', key);
    expect(entries.body.data.filter((entry: { kind: string }) => entry.kind === 'capture')).toHaveLength(4);
    const verify = await call('GET', '/admin/ledger/verify', adminKey());
    expect(verify.body).toMatchObject({ balanced: true });
  });

  it('leaves the invoice open after a declined card and tells the merchant', async () => {
    const key = merchant.api_key;
    const price = await call('POST', '/v1/prices', key, { currency: 'eur', unit_amount: 1_500, recurring: { interval: 'month' } });
    const customer = await call('POST', '/v1/customers', key, { payment_method: 'pm_card_chargeDeclinedLostCard' });
    const subscription = await call('POST', '/v1/subscriptions', key, { customer: customer.body.id, items: [{ price: price.body.id }] });
    expect(subscription.status).toBe(201);

    const failure = await waitFor(
      async () => {
        const events = await call('GET', '/v1/events?limit=100', key);
        return (
          events.body.data?.find(
            (event: Answer['body']) => event.type === 'invoice.payment_failed' && event.data.object.customer === customer.body.id,
          ) ?? null
        );
      },
      { what: 'invoice.payment_failed to reach the merchant', timeoutMs: 60_000 },
    );
    expect(failure.data.object).toMatchObject({ status: 'open', attempt_count: 1, amount_paid: 0 });
    const [invoice] = await listInvoices(key, customer.body.id);
    expect(invoice).toMatchObject({ status: 'open', amount_due: 1_500 });
    const current = await call('GET', `/v1/subscriptions/${subscription.body.id}`, key);
    expect(current.body.status).toBe('incomplete');
  });

  it('keeps billing objects apart and refuses bad input with the field named', async () => {
    const other = await createMerchant();
    const customer = await call('POST', '/v1/customers', merchant.api_key, { email: 'a@example.com' });
    expect((await call('GET', `/v1/customers/${customer.body.id}`, other.api_key)).status).toBe(404);
    const usd = await call('POST', '/v1/prices', merchant.api_key, { currency: 'usd', unit_amount: 100, recurring: { interval: 'month' } });
    const eur = await call('POST', '/v1/prices', merchant.api_key, { currency: 'eur', unit_amount: 100, recurring: { interval: 'month' } });
    const mixed = await call('POST', '/v1/subscriptions', merchant.api_key, {
      customer: customer.body.id,
      items: [{ price: usd.body.id }, { price: eur.body.id }],
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error).toMatchObject({ type: 'invalid_request_error', param: 'items' });
    const badPrice = await call('POST', '/v1/prices', merchant.api_key, { currency: 'usd', unit_amount: 1.5, recurring: { interval: 'month' } });
    expect(badPrice.status).toBe(400);
    expect(badPrice.body.error.param).toBe('unit_amount');
  });
});
