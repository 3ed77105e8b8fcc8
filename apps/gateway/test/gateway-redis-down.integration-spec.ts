import { GatewayFixture, fakeIntent } from './gateway-fixture';

/**
 * Redis is a fast path, never the decider (DESIGN.md). With Redis unreachable the gateway keeps
 * serving: rate limits fall back to memory, Idempotency-Key goes to intents (which decides durably),
 * and /readyz says redis is down while staying ready.
 */
describe('gateway: Redis unreachable', () => {
  const gw = new GatewayFixture();

  beforeAll(async () => {
    // Nothing listens on port 1. Merchants are made by the admin API, which needs no Redis.
    await gw.start({
      REDIS_URL: 'redis://127.0.0.1:1',
      RATE_LIMIT_PER_SECOND: '1',
      RATE_LIMIT_BURST: '2',
      LOG_LEVEL: 'fatal',
    });
  });
  afterAll(() => gw.stop());

  it('reports redis down in /readyz and stays ready: it serves without Redis', async () => {
    const ready = await gw.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ redis: 'down', postgres: 'up' });
  });

  it('forwards Idempotency-Key and its fingerprint to intents without Redis', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer((request) => ({
      status: 201,
      body: fakeIntent(merchant.id, request.json as Record<string, unknown>),
    }));

    const answer = await gw.request('POST', '/v1/payment_intents', {
      key: merchant.api_key,
      body: { amount: 700, currency: 'EUR' },
      headers: { 'idempotency-key': 'no-redis-1' },
    });

    expect(answer.status).toBe(201);
    const sent = gw.intents.received.at(-1)!;
    expect(sent.headers['idempotency-key']).toBe('no-redis-1');
    expect(sent.headers['x-idempotency-fingerprint']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('passes on the replay header of a durable replay by intents', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer(() => ({
      status: 201,
      body: fakeIntent(merchant.id),
      headers: { 'idempotent-replayed': 'true' },
    }));
    const answer = await gw.request('POST', '/v1/payment_intents', {
      key: merchant.api_key,
      body: { amount: 700, currency: 'EUR' },
      headers: { 'idempotency-key': 'no-redis-2' },
    });
    expect(answer.headers.get('idempotent-replayed')).toBe('true');
  });

  it('still limits each merchant, in memory', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer(() => ({ status: 200, body: { object: 'list', data: [], has_more: false } }));
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await gw.request('GET', '/v1/payment_intents', { key: merchant.api_key })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('answers 502 when the ledger cannot be reached', async () => {
    const merchant = await gw.createMerchant();
    await gw.ledger.stop();
    const answer = await gw.request('GET', '/v1/balance', { key: merchant.api_key });
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({ type: 'api_error', code: 'upstream_unavailable' });
  });
});
