import { GatewayFixture } from './gateway-fixture';

/**
 * API.md, "Errors": bad input is a 400 naming the field (413 allowed for size), in the Stripe
 * shape with the request id, and nothing reaches the service that would write.
 */
describe('gateway: validation at the edge', () => {
  const gw = new GatewayFixture();
  let key: string;

  beforeAll(async () => {
    await gw.start();
    key = (await gw.createMerchant()).api_key;
  });
  afterAll(() => gw.stop());

  const valid = { amount: 1000, currency: 'USD' };

  async function expectRefused(
    answerPromise: ReturnType<GatewayFixture['request']>,
    expected: { status?: number; param?: string },
  ): Promise<void> {
    const before = gw.intents.received.length;
    const answer = await answerPromise;
    expect({ status: answer.status, param: answer.body?.error?.param }).toEqual({
      status: expected.status ?? 400,
      param: expected.param,
    });
    expect(answer.body.error).toMatchObject({
      type: 'invalid_request_error',
      request_id: answer.headers.get('request-id'),
    });
    expect(answer.headers.get('request-id')).toMatch(/^req_/);
    expect(gw.intents.received.length).toBe(before);
  }

  it('malformed JSON', async () => {
    await expectRefused(
      gw.request('POST', '/v1/payment_intents', { key, rawBody: '{"amount": 1000, "currency": ' }),
      { param: 'body' },
    );
  });

  it('a body that is not a JSON object', async () => {
    await expectRefused(
      gw.request('POST', '/v1/payment_intents', { key, rawBody: '[{"amount":1000,"currency":"USD"}]' }),
      { param: 'body' },
    );
    await expectRefused(
      gw.request('POST', '/v1/payment_intents/pi_abc/capture', { key, rawBody: '"capture"' }),
      { param: 'body' },
    );
  });

  it.each([
    ['a string', '1000'],
    ['a float', 10.5],
    ['zero', 0],
    ['negative', -100],
    ['above 99,999,999', 100_000_000],
    ['missing', undefined],
    ['null', null],
  ])('amount %s', async (_case, amount) => {
    await expectRefused(gw.request('POST', '/v1/payment_intents', { key, body: { ...valid, amount } }), {
      param: 'amount',
    });
  });

  it.each([
    ['unknown', 'XYZ'],
    ['not a code', 'dollars'],
    ['a number', 840],
    ['missing', undefined],
  ])('currency %s', async (_case, currency) => {
    await expectRefused(gw.request('POST', '/v1/payment_intents', { key, body: { ...valid, currency } }), {
      param: 'currency',
    });
  });

  it('metadata too big, or not strings', async () => {
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await expectRefused(
      gw.request('POST', '/v1/payment_intents', { key, body: { ...valid, metadata: tooMany } }),
      { param: 'metadata' },
    );
    await expectRefused(
      gw.request('POST', '/v1/payment_intents', {
        key,
        body: { ...valid, metadata: { order: 'x'.repeat(501) } },
      }),
      {
        param: 'metadata',
      },
    );
    await expectRefused(
      gw.request('POST', '/v1/payment_intents', {
        key,
        body: { ...valid, metadata: { ['k'.repeat(41)]: 'v' } },
      }),
      {
        param: 'metadata',
      },
    );
    await expectRefused(
      gw.request('POST', '/v1/payment_intents', { key, body: { ...valid, metadata: { n: 1 } } }),
      { param: 'metadata' },
    );
  });

  it('unknown fields, and wrong types in the other fields', async () => {
    await expectRefused(
      gw.request('POST', '/v1/payment_intents', { key, body: { ...valid, amount_cents: 5 } }),
      { param: 'amount_cents' },
    );
    await expectRefused(
      gw.request('POST', '/v1/payment_intents', { key, body: { ...valid, capture_method: 'later' } }),
      {
        param: 'capture_method',
      },
    );
    await expectRefused(
      gw.request('POST', '/v1/payment_intents', {
        key,
        body: { ...valid, payment_method: '4242424242424242' },
      }),
      {
        param: 'payment_method',
      },
    );
    await expectRefused(
      gw.request('POST', '/v1/payment_intents/pi_abc/capture', { key, body: { amount: '500' } }),
      { param: 'amount' },
    );
    await expectRefused(
      gw.request('POST', '/v1/payment_intents/pi_abc/refund', { key, body: { amount: 0 } }),
      { param: 'amount' },
    );
    await expectRefused(
      gw.request('POST', '/v1/payment_intents/pi_abc/authorize', { key, body: { payment_method: 42 } }),
      {
        param: 'payment_method',
      },
    );
  });

  it.each([
    ['0', 'limit'],
    ['101', 'limit'],
    ['ten', 'limit'],
    ['1.5', 'limit'],
  ])('limit=%s', async (limit, param) => {
    await expectRefused(gw.request('GET', `/v1/payment_intents?limit=${limit}`, { key }), { param });
  });

  it('a bad status or cursor in the list query', async () => {
    await expectRefused(gw.request('GET', '/v1/payment_intents?status=paid', { key }), { param: 'status' });
    await expectRefused(gw.request('GET', '/v1/payment_intents?starting_after=re_1', { key }), {
      param: 'starting_after',
    });
  });

  it('a body over 1 MB', async () => {
    const huge = JSON.stringify({ ...valid, description: 'x'.repeat(1024 * 1024 + 10) });
    const before = gw.intents.received.length;
    const answer = await gw.request('POST', '/v1/payment_intents', { key, rawBody: huge });
    expect([400, 413]).toContain(answer.status);
    expect(answer.body.error).toMatchObject({
      type: 'invalid_request_error',
      request_id: expect.stringMatching(/^req_/),
    });
    expect(gw.intents.received.length).toBe(before);
  });

  it('a body under 1 MB is read (the limit is not the default 100 kB)', async () => {
    gw.intents.answer(() => ({ status: 201, body: { id: 'pi_big', object: 'payment_intent' } }));
    const answer = await gw.request('POST', '/v1/payment_intents', {
      key,
      body: { ...valid, description: 'x'.repeat(900), metadata: { a: 'y'.repeat(500) } },
      rawBody: undefined,
    });
    expect(answer.status).toBe(201);
    const padded = JSON.stringify({ ...valid }).replace('{', `{${' '.repeat(500 * 1024)}`);
    expect((await gw.request('POST', '/v1/payment_intents', { key, rawBody: padded })).status).toBe(201);
  });

  it('an Idempotency-Key that is too long, empty or not printable ASCII', async () => {
    for (const idempotencyKey of ['k'.repeat(256), '', 'clé']) {
      await expectRefused(
        gw.request('POST', '/v1/payment_intents', {
          key,
          body: valid,
          headers: { 'idempotency-key': idempotencyKey },
        }),
        {
          param: 'idempotency_key',
        },
      );
    }
  });

  it('never answers a 5xx to odd input', async () => {
    const odd: [string, string, string | undefined][] = [
      ['POST', '/v1/payment_intents', '{"amount":1e400,"currency":"USD"}'],
      ['POST', '/v1/payment_intents', '{"__proto__":{"amount":1},"currency":"USD"}'],
      ['POST', '/v1/payment_intents', '{"amount":1000,"currency":"USD","metadata":{"constructor":"x"}}'],
      ['POST', '/v1/payment_intents', 'null'],
      ['POST', '/v1/payment_intents/%E0%A4%A/capture', '{}'],
      ['GET', '/v1/payment_intents?limit[]=1&limit[]=2', undefined],
      ['GET', '/v1/payment_intents?limit=99999999999999999999999', undefined],
    ];
    gw.intents.answer(() => ({ status: 201, body: { id: 'pi_ok', object: 'payment_intent' } }));
    for (const [method, path, rawBody] of odd) {
      const answer = await gw.request(method, path, { key, rawBody });
      expect({ path, rawBody, status: answer.status < 500 }).toEqual({ path, rawBody, status: true });
      expect(answer.body?.error === undefined || typeof answer.body.error.type === 'string').toBe(true);
    }
  });
});
