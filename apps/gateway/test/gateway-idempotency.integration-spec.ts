import { gate } from './fake-upstream';
import { ADMIN_KEY, GatewayFixture, fakeIntent } from './gateway-fixture';

/** Reads the value of a counter (no labels) from /metrics. */
async function counterValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('gateway: Idempotency-Key', () => {
  const gw = new GatewayFixture();

  // A short API_TIMEOUT keeps the timeout case quick; SYNC_WAIT_MS has to stay below it.
  beforeAll(() => gw.start({ API_TIMEOUT: '1500ms', SYNC_WAIT_MS: '500' }));
  afterAll(() => gw.stop());

  const create = (
    apiKey: string,
    idempotencyKey: string,
    body: Record<string, unknown> = { amount: 1000, currency: 'USD' },
  ) =>
    gw.request('POST', '/v1/payment_intents', {
      key: apiKey,
      body,
      headers: { 'idempotency-key': idempotencyKey },
    });

  it('replays the first answer with Idempotent-Replayed, calling intents once, and counts the hit', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer((request) => ({
      status: 201,
      body: fakeIntent(merchant.id, request.json as Record<string, unknown>),
    }));
    const hitsBefore = await counterValue(gw.url, 'idempotency_hits_total');

    const first = await create(merchant.api_key, 'order-1');
    // Same request, keys in another order: the same fingerprint.
    const second = await create(merchant.api_key, 'order-1', { currency: 'USD', amount: 1000 });

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('original-request')).toBe(first.headers.get('request-id'));
    expect(
      gw.intents.on('/internal/v1/payment_intents').filter((r) => r.headers['idempotency-key'] === 'order-1'),
    ).toHaveLength(1);
    expect(await counterValue(gw.url, 'idempotency_hits_total')).toBe(hitsBefore + 1);
  });

  it('replays a 4xx answer of intents too (the request was executed)', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer(() => ({
      status: 409,
      body: { error: { type: 'invalid_request_error', code: 'invalid_state_transition', message: 'no' } },
    }));

    const first = await gw.request('POST', '/v1/payment_intents/pi_abc123/capture', {
      key: merchant.api_key,
      headers: { 'idempotency-key': 'cap-1' },
    });
    const again = await gw.request('POST', '/v1/payment_intents/pi_abc123/capture', {
      key: merchant.api_key,
      headers: { 'idempotency-key': 'cap-1' },
      body: {},
    });

    expect(first.status).toBe(409);
    expect(again.status).toBe(409);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(gw.intents.received.filter((r) => r.headers['idempotency-key'] === 'cap-1')).toHaveLength(1);
  });

  it('answers 422 idempotency_error when the key comes back with another request', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer((request) => ({
      status: 201,
      body: fakeIntent(merchant.id, request.json as Record<string, unknown>),
    }));
    expect((await create(merchant.api_key, 'order-2')).status).toBe(201);

    const otherBody = await create(merchant.api_key, 'order-2', { amount: 2000, currency: 'USD' });
    const otherPath = await gw.request('POST', '/v1/payment_intents/pi_abc123/cancel', {
      key: merchant.api_key,
      headers: { 'idempotency-key': 'order-2' },
    });

    for (const answer of [otherBody, otherPath]) {
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({
        type: 'idempotency_error',
        code: 'idempotency_key_reused',
        request_id: answer.headers.get('request-id'),
      });
    }
    expect(gw.intents.received.filter((r) => r.headers['idempotency-key'] === 'order-2')).toHaveLength(1);
  });

  it('answers 409 idempotency_error while the first request still runs, then replays its answer', async () => {
    const merchant = await gw.createMerchant();
    const release = gate();
    gw.intents.answer(async (request) => {
      await release.promise;
      return { status: 201, body: fakeIntent(merchant.id, request.json as Record<string, unknown>) };
    });

    const first = create(merchant.api_key, 'slow-1');
    await waitUntil(() => gw.intents.received.some((r) => r.headers['idempotency-key'] === 'slow-1'));
    const concurrent = await create(merchant.api_key, 'slow-1');
    release.open();
    const firstAnswer = await first;
    const after = await create(merchant.api_key, 'slow-1');

    expect(concurrent.status).toBe(409);
    expect(concurrent.body.error).toMatchObject({
      type: 'idempotency_error',
      code: 'idempotency_key_in_use',
    });
    expect(firstAnswer.status).toBe(201);
    expect(after.status).toBe(201);
    expect(after.body).toEqual(firstAnswer.body);
    expect(gw.intents.received.filter((r) => r.headers['idempotency-key'] === 'slow-1')).toHaveLength(1);
  });

  it('scopes keys per merchant: the same key from two merchants reaches intents twice', async () => {
    const one = await gw.createMerchant();
    const two = await gw.createMerchant();
    gw.intents.answer((request) => ({
      status: 201,
      body: fakeIntent(String(request.headers['x-merchant-id']), request.json as Record<string, unknown>),
    }));

    const a = await create(one.api_key, 'shared-key');
    const b = await create(two.api_key, 'shared-key');

    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(a.body.merchant_id).toBe(one.id);
    expect(b.body.merchant_id).toBe(two.id);
    const reached = gw.intents.received
      .filter((r) => r.headers['idempotency-key'] === 'shared-key')
      .map((r) => r.headers['x-merchant-id']);
    expect(reached).toEqual([one.id, two.id]);
  });

  it('does not store a 5xx answer: the retry reaches intents again', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer(() => ({
      status: 503,
      body: { error: { type: 'api_error', code: 'unavailable', message: 'try again' } },
    }));
    const failed = await create(merchant.api_key, 'flaky-1');
    gw.intents.answer((request) => ({
      status: 201,
      body: fakeIntent(merchant.id, request.json as Record<string, unknown>),
    }));
    const retried = await create(merchant.api_key, 'flaky-1');

    expect(failed.status).toBe(503);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(gw.intents.received.filter((r) => r.headers['idempotency-key'] === 'flaky-1')).toHaveLength(2);
  });

  it('does not store intents’ own idempotency conflict: the retry reaches intents again', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer(() => ({
      status: 409,
      body: { error: { type: 'idempotency_error', code: 'idempotency_key_in_use', message: 'running' } },
    }));
    expect((await create(merchant.api_key, 'race-1')).status).toBe(409);
    gw.intents.answer((request) => ({
      status: 201,
      body: fakeIntent(merchant.id, request.json as Record<string, unknown>),
    }));
    expect((await create(merchant.api_key, 'race-1')).status).toBe(201);
    expect(gw.intents.received.filter((r) => r.headers['idempotency-key'] === 'race-1')).toHaveLength(2);
  });

  it('answers 504 when intents does not answer within API_TIMEOUT, and does not store it', async () => {
    const merchant = await gw.createMerchant();
    const release = gate();
    gw.intents.answer(async () => {
      await release.promise;
      return { status: 201, body: { late: true } };
    });

    const timedOut = await create(merchant.api_key, 'timeout-1');
    release.open();
    gw.intents.answer((request) => ({
      status: 201,
      body: fakeIntent(merchant.id, request.json as Record<string, unknown>),
    }));
    const retried = await create(merchant.api_key, 'timeout-1');

    expect(timedOut.status).toBe(504);
    expect(timedOut.body.error).toMatchObject({
      type: 'api_error',
      code: 'upstream_timeout',
      request_id: timedOut.headers.get('request-id'),
    });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(gw.intents.received.filter((r) => r.headers['idempotency-key'] === 'timeout-1')).toHaveLength(2);
  });

  it('does not store a refusal by validation: the corrected request with the same key goes through', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer((request) => ({
      status: 201,
      body: fakeIntent(merchant.id, request.json as Record<string, unknown>),
    }));

    const refused = await create(merchant.api_key, 'fix-1', { amount: '1000', currency: 'USD' });
    expect(refused.status).toBe(400);
    // Same key, same (invalid) request again: still validated, not a replay of a stored 400.
    expect(
      (await create(merchant.api_key, 'fix-1', { amount: '1000', currency: 'USD' })).headers.get(
        'idempotent-replayed',
      ),
    ).toBeNull();
    const corrected = await create(merchant.api_key, 'fix-1', { amount: 1000, currency: 'USD' });
    expect(corrected.status).toBe(201);
  });

  it('forwards the key and a fingerprint that ignores key order and treats {} as no body', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer(() => ({ status: 200, body: fakeIntent(merchant.id) }));
    await gw.request('POST', '/v1/payment_intents/pi_abc123/cancel', {
      key: merchant.api_key,
      headers: { 'idempotency-key': 'fp-empty' },
      body: {},
    });
    await gw.request('POST', '/v1/payment_intents/pi_abc123/cancel', {
      key: merchant.api_key,
      headers: { 'idempotency-key': 'fp-none' },
    });
    const [withEmpty, withNone] = ['fp-empty', 'fp-none'].map((k) =>
      gw.intents.received.find((r) => r.headers['idempotency-key'] === k)!,
    );
    expect(withEmpty.headers['x-idempotency-fingerprint']).toBe(
      withNone.headers['x-idempotency-fingerprint'],
    );
    // Without a key there is nothing to forward.
    await gw.request('POST', '/v1/payment_intents/pi_abc123/cancel', { key: merchant.api_key });
    expect(gw.intents.received.at(-1)!.headers['x-idempotency-fingerprint']).toBeUndefined();
  });

  it('keeps replays for 24 h in Redis under the gateway prefix', async () => {
    const merchant = await gw.createMerchant();
    gw.intents.answer((request) => ({
      status: 201,
      body: fakeIntent(merchant.id, request.json as Record<string, unknown>),
    }));
    await create(merchant.api_key, 'ttl-1');
    const ttlMs = await gw.redis.pttl(`${gw.redisPrefix}idem:${merchant.id}:ttl-1`);
    expect(ttlMs).toBeGreaterThan(24 * 3600 * 1000 - 60_000);
    expect(ttlMs).toBeLessThanOrEqual(24 * 3600 * 1000);
  });

  it('honours a key on admin POSTs, scoped apart from merchants', async () => {
    const first = await gw.request('POST', '/admin/merchants', {
      key: ADMIN_KEY,
      body: { name: 'Once' },
      headers: { 'idempotency-key': 'onboard-once' },
    });
    const again = await gw.request('POST', '/admin/merchants', {
      key: ADMIN_KEY,
      body: { name: 'Once' },
      headers: { 'idempotency-key': 'onboard-once' },
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const [{ n }] = await gw.db.query(`SELECT count(*)::int AS n FROM merchants WHERE id = $1`, [
      first.body.id,
    ]);
    expect(n).toBe(1);
  });
});

/** Polls an in-memory condition (what a fake service has received), never a fixed sleep. */
async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
