import { waitFor } from '@payflow/platform/testing';
import { GatewayFixture } from './gateway-fixture';

describe('gateway: rate limit per merchant (token bucket in Redis)', () => {
  const gw = new GatewayFixture();

  // 1 request per second sustained, bursts of 3: small enough to reach in a few requests.
  beforeAll(() => gw.start({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' }));
  afterAll(() => gw.stop());

  it('lets a burst through, then answers 429 rate_limit_error with Retry-After, per merchant', async () => {
    const limited = await gw.createMerchant();
    const other = await gw.createMerchant();
    gw.intents.answer(() => ({ status: 200, body: { object: 'list', data: [], has_more: false } }));

    const burst = [];
    for (let i = 0; i < 3; i++)
      burst.push((await gw.request('GET', '/v1/payment_intents', { key: limited.api_key })).status);
    const refused = await gw.request('GET', '/v1/payment_intents', { key: limited.api_key });
    const otherMerchant = await gw.request('GET', '/v1/payment_intents', { key: other.api_key });

    expect(burst).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      type: 'rate_limit_error',
      code: 'rate_limit',
      request_id: refused.headers.get('request-id'),
    });
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(otherMerchant.status).toBe(200);

    // The bucket refills at the configured rate: the merchant gets through again.
    const admitted = await waitFor(
      async () => {
        const answer = await gw.request('GET', '/v1/payment_intents', { key: limited.api_key });
        return answer.status === 200 ? answer : null;
      },
      { timeoutMs: 5_000, intervalMs: 200, what: 'a token to come back' },
    );
    expect(admitted.status).toBe(200);
  });

  it('refuses before idempotency and validation: a 429 is never stored nor forwarded', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer(() => ({ status: 201, body: { id: 'pi_x', object: 'payment_intent' } }));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await gw.request('POST', '/v1/payment_intents', {
        key: merchant.api_key,
        body: { amount: 100 + i, currency: 'USD' },
        headers: { 'idempotency-key': `rl-${i}` },
      });
      statuses.push(answer.status);
    }
    const refusedKeys = statuses.flatMap((status, i) => (status === 429 ? [`rl-${i}`] : []));
    expect(refusedKeys.length).toBeGreaterThanOrEqual(1);
    const reached = new Set(gw.intents.received.map((r) => r.headers['idempotency-key']));
    for (const key of refusedKeys) {
      expect(reached.has(key)).toBe(false);
      expect(await gw.redis.exists(`${gw.redisPrefix}idem:${merchant.id}:${key}`)).toBe(0);
    }
  });

  it('keeps the bucket in Redis under the gateway prefix, with an expiry', async () => {
    const merchant = await gw.createMerchant();
    await gw.request('GET', '/v1/payment_intents', { key: merchant.api_key });
    const bucket = await gw.redis.hgetall(`${gw.redisPrefix}rl:${merchant.id}`);
    expect(Number(bucket['tokens'])).toBeCloseTo(2, 0);
    expect(await gw.redis.pttl(`${gw.redisPrefix}rl:${merchant.id}`)).toBeGreaterThan(0);
  });
});
