import { validateEvent } from '@payflow/contracts';
import { IntentsFixture, newKey, newMerchant } from './intents-fixture';

describe('intents internal API: create, read, list, validation, isolation', () => {
  const fx = new IntentsFixture();

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  it('creates an intent (201, public object) with its history row and payment_intent.created event', async () => {
    const merchant = newMerchant();
    const answer = await fx.post('', merchant, {
      amount: 10_000,
      currency: 'eur',
      metadata: { order_id: '1234' },
      description: 'Order #1234',
      merchant_id: merchant,
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^pi_[0-9a-f]{24}$/),
      object: 'payment_intent',
      merchant_id: merchant,
      amount: 10_000,
      currency: 'EUR',
      status: 'created',
      capture_method: 'manual',
      amount_capturable: 0,
      amount_received: 0,
      amount_refunded: 0,
      payment_method: null,
      provider: null,
      last_error: null,
      description: 'Order #1234',
      // API.md: null unless billing asked for this payment
      invoice: null,
      metadata: { order_id: '1234' },
      created: expect.stringMatching(/Z$/),
      updated: expect.stringMatching(/Z$/),
    });
    const id = answer.body.id;
    expect((await fx.get(`/${id}`, merchant)).body).toEqual(answer.body);
    expect(await fx.history(id)).toEqual([{ from_status: null, to_status: 'created', trigger: 'create' }]);
    const events = await fx.outbox(id);
    expect(events.map((e) => e.type)).toEqual(['payment_intent.created']);
    expect(events[0].key).toBe(id);
    expect(events[0].event.data.intent).toEqual(answer.body);
    expect(validateEvent(events[0].event)).toMatchObject({ ok: true });
  });

  it('lists newest first with limit, starting_after, has_more and a status filter', async () => {
    const merchant = newMerchant();
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await fx.createIntent(merchant, { amount: 1_000 + i })).id);
    const newestFirst = [...created].reverse();

    const first = await fx.get('?limit=2', merchant);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: 'list', has_more: true });
    expect(first.body.data.map((i: { id: string }) => i.id)).toEqual(newestFirst.slice(0, 2));
    const second = await fx.get(`?limit=2&starting_after=${first.body.data[1].id}`, merchant);
    expect(second.body.data.map((i: { id: string }) => i.id)).toEqual(newestFirst.slice(2, 4));
    expect(second.body.has_more).toBe(true);
    const last = await fx.get(`?limit=2&starting_after=${second.body.data[1].id}`, merchant);
    expect(last.body.data.map((i: { id: string }) => i.id)).toEqual(newestFirst.slice(4));
    expect(last.body.has_more).toBe(false);

    const all = await fx.get('', merchant); // default limit 10
    expect(all.body.data.map((i: { id: string }) => i.id)).toEqual(newestFirst);
    expect(all.body.has_more).toBe(false);

    expect((await fx.post(`/${created[1]}/cancel`, merchant, { reason: 'duplicate' })).status).toBe(200);
    const canceled = await fx.get('?status=canceled', merchant);
    expect(canceled.body.data.map((i: { id: string }) => i.id)).toEqual([created[1]]);
    expect(canceled.body.data[0]).toMatchObject({ status: 'canceled' });
    expect((await fx.get('?status=created&limit=100', merchant)).body.data).toHaveLength(4);

    const unknownCursor = await fx.get('?starting_after=pi_000000000000000000000000', merchant);
    expect(unknownCursor.status).toBe(400);
    expect(unknownCursor.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'starting_after',
    });
    const foreignCursor = await fx.get(`?starting_after=${created[0]}`, newMerchant());
    expect(foreignCursor.status).toBe(400);
  });

  describe('validation: every case of API.md "Errors" is a 400 naming the field, and nothing is written', () => {
    const merchant = newMerchant();
    const valid = { amount: 10_000, currency: 'USD' };

    it.each([
      ['a string amount', { ...valid, amount: '100' }, 'amount'],
      ['a fractional amount', { ...valid, amount: 10.5 }, 'amount'],
      ['a zero amount', { ...valid, amount: 0 }, 'amount'],
      ['a negative amount', { ...valid, amount: -100 }, 'amount'],
      ['an amount above 99,999,999', { ...valid, amount: 100_000_000 }, 'amount'],
      ['a missing amount', { currency: 'USD' }, 'amount'],
      ['an unknown currency', { ...valid, currency: 'XYZ' }, 'currency'],
      ['a currency of the wrong type', { ...valid, currency: 840 }, 'currency'],
      ['a missing currency', { amount: 100 }, 'currency'],
      ['metadata that is not a map of strings', { ...valid, metadata: { n: 1 } }, 'metadata'],
      ['metadata as an array', { ...valid, metadata: ['a'] }, 'metadata'],
      [
        'too many metadata keys',
        { ...valid, metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) },
        'metadata',
      ],
      ['an unknown capture_method', { ...valid, capture_method: 'later' }, 'capture_method'],
      ['a description over 1000 characters', { ...valid, description: 'x'.repeat(1001) }, 'description'],
      ['a card number as payment_method', { ...valid, payment_method: '4242424242424242' }, 'payment_method'],
      ['an unknown field', { ...valid, amount_due: 5 }, 'amount_due'],
    ])('create with %s', async (_what, body, param) => {
      const before = await fx.snapshot(merchant);
      const answer = await fx.post('', merchant, body, { 'idempotency-key': newKey() });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
      expect(answer.body.error.message).toContain(param);
      expect(await fx.snapshot(merchant)).toEqual(before);
    });

    it.each([
      ['malformed JSON', '{"amount": 10'],
      ['a JSON string', '"amount"'],
      ['JSON null', 'null'],
      ['a JSON array', '[{"amount": 1}]'],
    ])('create with %s', async (_what, rawBody) => {
      const before = await fx.snapshot(merchant);
      const answer = await fx.call('POST', '/internal/v1/payment_intents', {
        merchant,
        rawBody,
        headers: { 'idempotency-key': newKey() },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param: expect.any(String) });
      expect(await fx.snapshot(merchant)).toEqual(before);
    });

    it('create with an oversized body (over 1 MB): 400 or 413, never a 5xx', async () => {
      const before = await fx.snapshot(merchant);
      const answer = await fx.call('POST', '/internal/v1/payment_intents', {
        merchant,
        rawBody: JSON.stringify({ ...valid, description: 'x'.repeat(1_100_000) }),
      });
      expect([400, 413]).toContain(answer.status);
      expect(answer.body.error.type).toBe('invalid_request_error');
      expect(await fx.snapshot(merchant)).toEqual(before);
    });

    it.each([
      ['capture', 'amount', { amount: '100' }],
      ['capture', 'amount', { amount: 0 }],
      ['refund', 'amount', { amount: -1 }],
      ['refund', 'amount', { amount: 1.5 }],
      ['refund', 'reason', { reason: 'r'.repeat(501) }],
      ['authorize', 'payment_method', { payment_method: 123 }],
      ['cancel', 'reason', { reason: 42 }],
    ])('%s with a bad %s', async (command, param, body) => {
      const intent = await fx.createIntent(merchant);
      const before = await fx.snapshot(merchant);
      const answer = await fx.post(`/${intent.id}/${command}`, merchant, body, {
        'idempotency-key': newKey(),
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
      expect(await fx.snapshot(merchant)).toEqual(before);
      expect(await fx.status(intent.id)).toBe('created');
    });

    it('authorize without any payment method: 400 payment_method, nothing written', async () => {
      const answer = await fx.post('', merchant, valid);
      const before = await fx.snapshot(merchant);
      const refused = await fx.post(
        `/${answer.body.id}/authorize`,
        merchant,
        {},
        { 'idempotency-key': newKey() },
      );
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ param: 'payment_method' });
      expect(await fx.snapshot(merchant)).toEqual(before);
    });

    it.each([
      ['limit=0'],
      ['limit=101'],
      ['limit=abc'],
      ['limit=2.5'],
      ['status=succeeded'],
      ['starting_after=re_1'],
    ])('list with %s', async (query) => {
      const answer = await fx.get(`?${query}`, merchant);
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe(query.split('=')[0]);
    });

    it('an Idempotency-Key over 255 characters', async () => {
      const before = await fx.snapshot(merchant);
      const answer = await fx.post('', merchant, valid, { 'idempotency-key': 'k'.repeat(256) });
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe('Idempotency-Key');
      expect(await fx.snapshot(merchant)).toEqual(before);
    });
  });

  describe('merchant isolation and the internal token', () => {
    it("answers 404 for another merchant's intent, on reads and on every action", async () => {
      const owner = newMerchant();
      const other = newMerchant();
      const intent = await fx.createIntent(owner);
      const before = await fx.snapshot(owner);
      for (const answer of [
        await fx.get(`/${intent.id}`, other),
        await fx.get(`/${intent.id}/refunds`, other),
        await fx.post(`/${intent.id}/authorize`, other),
        await fx.post(`/${intent.id}/capture`, other),
        await fx.post(`/${intent.id}/cancel`, other),
        await fx.post(`/${intent.id}/refund`, other),
      ]) {
        expect(answer.status).toBe(404);
        expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' });
      }
      expect((await fx.get('', other)).body.data).toEqual([]);
      expect(await fx.snapshot(owner)).toEqual(before);
      expect(await fx.status(intent.id)).toBe('created');
    });

    it('answers 404 for unknown and malformed ids', async () => {
      const merchant = newMerchant();
      for (const id of ['pi_000000000000000000000000', 'not-an-id', 're_123', 'pi_%27%3B--']) {
        const answer = await fx.get(`/${id}`, merchant);
        expect(answer.status).toBe(404);
        expect(answer.body.error.code).toBe('resource_missing');
        expect((await fx.post(`/${id}/capture`, merchant)).status).toBe(404);
      }
    });

    it('refuses a body merchant_id other than the authenticated merchant with 403, writing nothing', async () => {
      const merchant = newMerchant();
      const answer = await fx.post('', merchant, {
        amount: 100,
        currency: 'USD',
        merchant_id: newMerchant(),
      });
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatchObject({ type: 'permission_error', param: 'merchant_id' });
      expect((await fx.snapshot(merchant)).intents).toBe(0);
    });

    it('refuses calls without the internal token (401) or without a merchant (401)', async () => {
      const noToken = await fx.call('POST', '/internal/v1/payment_intents', {
        merchant: newMerchant(),
        body: { amount: 1, currency: 'USD' },
        token: null,
      });
      expect(noToken.status).toBe(401);
      expect(noToken.body.error.type).toBe('authentication_error');
      const wrongToken = await fx.call('GET', '/internal/v1/payment_intents', {
        merchant: newMerchant(),
        token: 'wrong-token-wrong-token',
      });
      expect(wrongToken.status).toBe(401);
      const noMerchant = await fx.call('GET', '/internal/v1/payment_intents', { merchant: null });
      expect(noMerchant.status).toBe(401);
      expect(noMerchant.body.error.code).toBe('merchant_missing');
      expect((await fx.call('GET', '/healthz', { token: null })).status).toBe(200);
    });
  });
});
