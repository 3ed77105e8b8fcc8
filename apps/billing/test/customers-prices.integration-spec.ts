import { validateEvent } from '@payflow/contracts';
import { BillingFixture, newKey, newMerchant } from './billing-fixture';

/**
 * Customers, prices and billing settings through billing's internal API (as the gateway calls
 * it): validation naming the field with nothing written, merchant isolation (another merchant's
 * object is a 404), durable idempotency (no Redis in billing at all), the payment method event.
 */
describe('billing: customers, prices, billing settings', () => {
  const billing = new BillingFixture();

  beforeAll(() => billing.start());
  afterAll(() => billing.stop());

  describe('customers', () => {
    it('creates, reads, lists newest first and pages with starting_after', async () => {
      const merchant = newMerchant();
      const first = await billing.createCustomer(merchant, {
        email: 'jenny@example.com',
        name: 'Jenny Rosen',
        metadata: { account: 'A-1' },
      });
      expect(first).toMatchObject({
        object: 'customer',
        email: 'jenny@example.com',
        name: 'Jenny Rosen',
        payment_method: null,
        test_clock: null,
        balance: {},
        metadata: { account: 'A-1' },
      });
      expect(first.id).toMatch(/^cus_[0-9a-f]{24}$/);
      const second = await billing.createCustomer(merchant);
      const third = await billing.createCustomer(merchant);

      expect((await billing.get(merchant, `/customers/${first.id}`)).body).toEqual(first);
      const page1 = await billing.get(merchant, '/customers?limit=2');
      expect(page1.status).toBe(200);
      expect(page1.body).toMatchObject({ object: 'list', has_more: true, url: '/v1/customers' });
      expect(page1.body.data.map((c: { id: string }) => c.id)).toEqual([third.id, second.id]);
      const page2 = await billing.get(merchant, `/customers?limit=2&starting_after=${second.id}`);
      expect(page2.body.data.map((c: { id: string }) => c.id)).toEqual([first.id]);
      expect(page2.body.has_more).toBe(false);
    });

    it("another merchant's customer, an unknown id and a malformed id are 404 resource_missing", async () => {
      const owner = newMerchant();
      const stranger = newMerchant();
      const customer = await billing.createCustomer(owner);
      for (const path of [`/customers/${customer.id}`, '/customers/cus_000000000000000000000000', '/customers/nope']) {
        const answer = await billing.get(stranger, path);
        expect(answer.status).toBe(404);
        expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' });
      }
      const update = await billing.post(stranger, `/customers/${customer.id}`, { name: 'Mallory' });
      expect(update.status).toBe(404);
      expect((await billing.get(owner, `/customers/${customer.id}`)).body.name).toBeNull();
      // A cursor of another merchant is not this merchant's cursor.
      const list = await billing.get(stranger, `/customers?starting_after=${customer.id}`);
      expect(list.status).toBe(400);
      expect(list.body.error).toMatchObject({ param: 'starting_after', code: 'resource_missing' });
    });

    it('bad input is a 400 naming the field, and nothing is written', async () => {
      const merchant = newMerchant();
      const cases: [Record<string, unknown>, string][] = [
        [{ email: 'not-an-email' }, 'email'],
        [{ payment_method: '4242424242424242' }, 'payment_method'],
        [{ metadata: { k: 1 } }, 'metadata'],
        [{ test_clock: 'clock_' }, 'test_clock'],
        [{ unknown_field: 1 }, 'unknown_field'],
      ];
      for (const [body, param] of cases) {
        const answer = await billing.post(merchant, '/customers', body);
        expect({ param, status: answer.status, error: answer.body.error?.param }).toEqual({ param, status: 400, error: param });
      }
      const malformed = await billing.call('POST', '/customers', { merchant, rawBody: '{"email":' });
      expect(malformed.status).toBe(400);
      expect(await billing.count('customers', merchant)).toBe(0);
    });

    it("an unknown or another merchant's test clock is a 404 naming test_clock; a customer on a clock lives on its time", async () => {
      const merchant = newMerchant();
      const missing = await billing.post(merchant, '/customers', { test_clock: 'clock_000000000000000000000000' });
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({ code: 'resource_missing', param: 'test_clock' });

      const clock = await billing.post(merchant, '/test_clocks', { frozen_time: Date.parse('2031-03-01T00:00:00Z') / 1000 });
      expect(clock.status).toBe(201);
      const stranger = await billing.post(newMerchant(), '/customers', { test_clock: clock.body.id });
      expect(stranger.status).toBe(404);
      const customer = await billing.createCustomer(merchant, { test_clock: clock.body.id });
      expect(customer).toMatchObject({ test_clock: clock.body.id, created: '2031-03-01T00:00:00.000Z' });
      expect(await billing.count('customers', merchant)).toBe(1);
    });

    it('a new payment method is announced once (customer.payment_method_updated keyed by the customer), with merged metadata', async () => {
      const merchant = newMerchant();
      const customer = await billing.createCustomer(merchant, { payment_method: 'pm_card_visa', metadata: { a: '1', b: '2' } });
      const same = await billing.post(merchant, `/customers/${customer.id}`, { payment_method: 'pm_card_visa' });
      expect(same.status).toBe(200);
      expect(await billing.outboxOf(customer.id)).toEqual([]);

      const changed = await billing.post(merchant, `/customers/${customer.id}`, {
        payment_method: 'pm_card_mastercard',
        metadata: { a: '', c: '3' },
        name: 'New Name',
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ payment_method: 'pm_card_mastercard', metadata: { b: '2', c: '3' }, name: 'New Name' });
      const events = await billing.outboxOf(customer.id);
      expect(events.map((e) => e.type)).toEqual(['customer.payment_method_updated']);
      const { event } = events[0];
      expect(validateEvent(event)).toMatchObject({ ok: true });
      expect(event).toMatchObject({
        source: 'billing',
        merchant_id: merchant,
        aggregate_type: 'customer',
        aggregate_id: customer.id,
        data: {
          customer: customer.id,
          payment_method: 'pm_card_mastercard',
          previous_payment_method: 'pm_card_visa',
          test_clock: null,
        },
      });
    });

    it('POST with an Idempotency-Key is durable: a replay answers the first customer and writes nothing', async () => {
      const merchant = newMerchant();
      const key = newKey();
      const first = await billing.post(merchant, '/customers', { email: 'a@example.com' }, key);
      const again = await billing.post(merchant, '/customers', { email: 'a@example.com' }, key);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await billing.count('customers', merchant)).toBe(1);
      const { rows } = await billing.db.query(`SELECT status_code FROM idempotency_records WHERE merchant_id = $1 AND key = $2`, [
        merchant,
        key,
      ]);
      expect(rows).toEqual([{ status_code: 201 }]);

      const other = await billing.post(merchant, '/customers', { email: 'b@example.com' }, key);
      expect(other.status).toBe(422);
      expect(other.body.error).toMatchObject({ type: 'idempotency_error' });
      // Keys are per merchant: another merchant's same key is its own.
      const elsewhere = await billing.post(newMerchant(), '/customers', { email: 'a@example.com' }, key);
      expect(elsewhere.status).toBe(201);
      expect(elsewhere.body.id).not.toBe(first.body.id);
    });

    it('refuses a call without the internal token or without a merchant', async () => {
      const noToken = await billing.call('GET', '/customers', { merchant: newMerchant(), headers: { 'x-internal-token': 'wrong' } });
      expect(noToken.status).toBe(401);
      const noMerchant = await billing.call('GET', '/customers');
      expect(noMerchant.status).toBe(401);
    });
  });

  describe('prices', () => {
    it('creates (currency upper case, interval_count 1 by default), reads, lists and changes only nickname and active', async () => {
      const merchant = newMerchant();
      const price = await billing.createPrice(merchant, { currency: 'eur', unit_amount: 1500, nickname: 'Pro' });
      expect(price).toMatchObject({
        object: 'price',
        currency: 'EUR',
        unit_amount: 1500,
        recurring: { interval: 'month', interval_count: 1 },
        nickname: 'Pro',
        active: true,
      });
      expect(price.id).toMatch(/^price_[0-9a-f]{24}$/);
      const updated = await billing.post(merchant, `/prices/${price.id}`, { nickname: '', active: false });
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual({ ...price, nickname: null, active: false });
      expect((await billing.get(merchant, `/prices/${price.id}`)).body).toEqual(updated.body);
      const immutable = await billing.post(merchant, `/prices/${price.id}`, { unit_amount: 1 });
      expect(immutable.status).toBe(400);
      expect(immutable.body.error.param).toBe('unit_amount');
      const list = await billing.get(merchant, '/prices');
      expect(list.body).toMatchObject({ object: 'list', has_more: false, url: '/v1/prices' });
      expect(list.body.data).toEqual([updated.body]);
    });

    it('bad input is a 400 naming the field, and nothing is written', async () => {
      const merchant = newMerchant();
      const cases: [Record<string, unknown>, string][] = [
        [{ currency: 'xyz', unit_amount: 100, recurring: { interval: 'month' } }, 'currency'],
        [{ currency: 'usd', unit_amount: -1, recurring: { interval: 'month' } }, 'unit_amount'],
        [{ currency: 'usd', unit_amount: 1.5, recurring: { interval: 'month' } }, 'unit_amount'],
        [{ currency: 'usd', unit_amount: '100', recurring: { interval: 'month' } }, 'unit_amount'],
        [{ currency: 'usd', unit_amount: 100 }, 'recurring'],
        [{ currency: 'usd', unit_amount: 100, recurring: { interval: 'fortnight' } }, 'recurring[interval]'],
        [{ currency: 'usd', unit_amount: 100, recurring: { interval: 'year', interval_count: 4 } }, 'recurring[interval_count]'],
        [{ currency: 'usd', unit_amount: 100, recurring: { interval: 'month', interval_count: 13 } }, 'recurring[interval_count]'],
      ];
      for (const [body, param] of cases) {
        const answer = await billing.post(merchant, '/prices', body);
        expect({ param, status: answer.status, error: answer.body.error?.param }).toEqual({ param, status: 400, error: param });
      }
      expect(await billing.count('prices', merchant)).toBe(0);
    });

    it("another merchant's price is a 404", async () => {
      const price = await billing.createPrice(newMerchant());
      const stranger = newMerchant();
      expect((await billing.get(stranger, `/prices/${price.id}`)).status).toBe(404);
      expect((await billing.post(stranger, `/prices/${price.id}`, { active: false })).status).toBe(404);
    });
  });

  describe('billing settings', () => {
    it('defaults to the last 8 characters of the merchant id, upper case, and takes a valid prefix', async () => {
      const merchant = newMerchant();
      const initial = await billing.get(merchant, '/billing_settings');
      expect(initial).toMatchObject({
        status: 200,
        body: { object: 'billing_settings', invoice_prefix: merchant.slice(-8).toUpperCase() },
      });
      const set = await billing.post(merchant, '/billing_settings', { invoice_prefix: 'ACME2026' });
      expect(set).toMatchObject({ status: 200, body: { invoice_prefix: 'ACME2026' } });
      expect((await billing.get(merchant, '/billing_settings')).body.invoice_prefix).toBe('ACME2026');
      // Another merchant keeps its own default.
      const other = newMerchant();
      expect((await billing.get(other, '/billing_settings')).body.invoice_prefix).toBe(other.slice(-8).toUpperCase());
    });

    it.each(['ab', 'acme', 'TOO-LONG', 'ABCDEFGHIJKLM', '', 42])('refuses invoice_prefix %p (400), nothing written', async (prefix) => {
      const merchant = newMerchant();
      const answer = await billing.post(merchant, '/billing_settings', { invoice_prefix: prefix });
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe('invoice_prefix');
      expect(await billing.count('billing_settings', merchant)).toBe(0);
    });
  });
});
