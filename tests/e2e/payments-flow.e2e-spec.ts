import { Client } from 'pg';
import { adminDatabaseUrl, waitFor } from '@payflow/platform/testing';
import { call, createMerchant, waitForStatus } from './e2e-client';

/**
 * The seed's README flow through the public gateway, every service running as a process on real
 * Kafka, the PSP simulator as Stripe: create (with Idempotency-Key), authorize with pm_card_visa,
 * capture 10000, refund 5000; then the merchant's balance, its ledger entries and the ledger's verify.
 */
describe('payment flow through the gateway', () => {
  let merchant: { id: string; api_key: string };
  let db: Client;

  beforeAll(async () => {
    merchant = await createMerchant();
    db = new Client({ connectionString: adminDatabaseUrl() });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
  });

  it('creates, authorizes, captures and refunds, and the ledger books it', async () => {
    const key = merchant.api_key;
    const created = await call('POST', '/v1/payment_intents', key, { amount: 10_000, currency: 'usd' }, { 'Idempotency-Key': 'unique-key-123' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: 'payment_intent', amount: 10_000, currency: 'USD', status: 'created', merchant_id: merchant.id });
    const replay = await call('POST', '/v1/payment_intents', key, { amount: 10_000, currency: 'usd' }, { 'Idempotency-Key': 'unique-key-123' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(created.body.id);
    const intent = created.body;

    // The orchestrator routes to Stripe (the simulator) and answers within SYNC_WAIT_MS.
    const authorized = await call('POST', `/v1/payment_intents/${intent.id}/authorize`, key, { payment_method: 'pm_card_visa' }, { 'Idempotency-Key': 'auth-key-456' });
    expect([200, 202]).toContain(authorized.status);
    expect(await waitForStatus(key, intent.id, 'authorized')).toMatchObject({ provider: 'stripe', amount_capturable: 10_000 });

    const captured = await call('POST', `/v1/payment_intents/${intent.id}/capture`, key, { amount: 10_000 }, { 'Idempotency-Key': 'capture-key-789' });
    expect([200, 202]).toContain(captured.status);
    await waitForStatus(key, intent.id, 'captured');

    const refund = await call('POST', `/v1/payment_intents/${intent.id}/refund`, key, { amount: 5_000, reason: 'customer_request' }, { 'Idempotency-Key': 'refund-key-012' });
    expect(refund.status).toBe(200);
    expect(refund.body).toMatchObject({ object: 'refund', amount: 5_000, payment_intent: intent.id });
    const refunded = await waitForStatus(key, intent.id, 'partially_refunded');
    expect(refunded).toMatchObject({ amount_received: 10_000, amount_refunded: 5_000 });
    const refunds = await waitFor(async () => {
      const answer = await call('GET', `/v1/payment_intents/${intent.id}/refunds`, key);
      return answer.body.data?.[0]?.status === 'succeeded' ? answer.body : null;
    }, { what: 'the refund to succeed' });
    expect(refunds.data).toEqual([expect.objectContaining({ id: refund.body.id, status: 'succeeded' })]);

    // Default schedule: 290 bps + 30 → fee 320 on 10000; the refund does not return it.
    const balance = await waitFor(async () => {
      const answer = await call('GET', '/v1/balance', key);
      return answer.body.available?.[0]?.amount === 4_680 ? answer.body : null;
    }, { what: 'the refund to reach the balance' });
    expect(balance).toMatchObject({
      object: 'balance',
      available: [{ currency: 'USD', amount: 4_680 }],
      pending: [{ currency: 'USD', amount: 0 }],
      fees: [{ currency: 'USD', amount: 320 }],
    });
    const entries = await call('GET', '/v1/ledger/entries?limit=10', key);
    expect(entries.body.data.map((e: { kind: string }) => e.kind)).toEqual(['refund', 'capture', 'authorization_hold']);

    const verify = await call('GET', '/admin/ledger/verify', process.env['E2E_ADMIN_API_KEY']!);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ balanced: true });
  });

  it('keeps merchants apart: another merchant sees 404, a foreign merchant_id is 403', async () => {
    const other = await createMerchant();
    const created = await call('POST', '/v1/payment_intents', merchant.api_key, { amount: 500, currency: 'EUR' });
    expect((await call('GET', `/v1/payment_intents/${created.body.id}`, other.api_key)).status).toBe(404);
    expect((await call('POST', `/v1/payment_intents/${created.body.id}/cancel`, other.api_key, {})).status).toBe(404);
    const foreign = await call('POST', '/v1/payment_intents', other.api_key, { amount: 500, currency: 'EUR', merchant_id: merchant.id });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toMatchObject({ type: 'permission_error', param: 'merchant_id' });
    expect((await call('GET', '/v1/payment_intents', 'sk_test_not_a_key')).status).toBe(401);
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    const count = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM intents.payment_intents WHERE merchant_id = $1`, [merchant.id])).rows[0].n;
    const before = await count();
    const cases: [unknown, string][] = [
      [{ amount: '100', currency: 'USD' }, 'amount'],
      [{ amount: 10.5, currency: 'USD' }, 'amount'],
      [{ amount: 0, currency: 'USD' }, 'amount'],
      [{ amount: 100_000_000, currency: 'USD' }, 'amount'],
      [{ amount: 100, currency: 'XYZ' }, 'currency'],
      ['{"amount": 100, "currency": ', 'body'],
    ];
    for (const [body, param] of cases) {
      const answer = await call('POST', '/v1/payment_intents', merchant.api_key, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
    }
    expect(await count()).toBe(before);
  });
});
