import { INTERNAL_TOKEN, GatewayFixture } from './gateway-fixture';

const endpoint = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  object: 'webhook_endpoint',
  url: 'https://example.com/hook',
  enabled_events: ['*'],
  status: 'enabled',
  description: null,
  created: '2026-03-01T12:00:00.000Z',
  updated: '2026-03-01T12:00:00.000Z',
  ...extra,
});

/** The merchant webhook endpoint and event routes, forwarded to a fake webhooks service. */
describe('gateway: webhook endpoints and events', () => {
  const gw = new GatewayFixture();
  let merchant: { id: string; api_key: string };

  beforeAll(async () => {
    await gw.start();
    merchant = await gw.createMerchant();
  });
  afterAll(() => gw.stop());

  it('forwards endpoint creation with the internal headers, and replays it for the same Idempotency-Key', async () => {
    gw.webhooks.answer(() => ({ status: 201, body: endpoint('we_created1', { secret: 'whsec_abc' }) }));
    const body = { url: 'https://example.com/hook', enabled_events: ['payment_intent.succeeded'] };
    const headers = { 'idempotency-key': `create-${merchant.id}` };
    const before = gw.webhooks.received.length;

    const first = await gw.request('POST', '/v1/webhook_endpoints', { key: merchant.api_key, body, headers });
    const again = await gw.request('POST', '/v1/webhook_endpoints', { key: merchant.api_key, body, headers });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'we_created1', secret: 'whsec_abc' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(gw.webhooks.received.length).toBe(before + 1);
    const sent = gw.webhooks.received.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/internal/v1/webhook_endpoints');
    expect(sent.json).toEqual(body);
    expect(sent.headers['x-internal-token']).toBe(INTERNAL_TOKEN);
    expect(sent.headers['x-merchant-id']).toBe(merchant.id);
    expect(sent.headers['idempotency-key']).toBe(headers['idempotency-key']);
    expect(sent.headers['x-idempotency-fingerprint']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('forwards list, retrieve, update, delete and deliveries to the matching internal routes', async () => {
    gw.webhooks.answer((request) =>
      request.method === 'DELETE'
        ? { status: 200, body: { id: 'we_abc', object: 'webhook_endpoint', deleted: true } }
        : request.url.includes('/deliveries') || request.url.startsWith('/internal/v1/webhook_endpoints?')
          ? { status: 200, body: { object: 'list', data: [], has_more: false } }
          : { status: 200, body: endpoint('we_abc') },
    );
    const key = merchant.api_key;
    const calls: [string, string, unknown?][] = [
      ['GET', '/v1/webhook_endpoints?limit=5&starting_after=we_prev'],
      ['GET', '/v1/webhook_endpoints/we_abc'],
      ['POST', '/v1/webhook_endpoints/we_abc', { disabled: true, enabled_events: ['refund.failed'] }],
      ['DELETE', '/v1/webhook_endpoints/we_abc'],
      ['GET', '/v1/webhook_endpoints/we_abc/deliveries?limit=3'],
    ];
    for (const [method, path, body] of calls) {
      const answer = await gw.request(method, path, { key, body });
      expect(answer.status).toBe(200);
      const sent = gw.webhooks.received.at(-1)!;
      expect(`${sent.method} ${sent.url}`).toBe(`${method} ${path.replace('/v1/', '/internal/v1/')}`);
      expect(sent.headers['x-merchant-id']).toBe(merchant.id);
      if (body) expect(sent.json).toEqual(body);
    }
  });

  it('forwards the events routes, and refuses bad input or ids without a call', async () => {
    gw.webhooks.answer((request) =>
      request.url.startsWith('/internal/v1/events?')
        ? { status: 200, body: { object: 'list', data: [], has_more: false } }
        : {
            status: 404,
            body: {
              error: {
                type: 'invalid_request_error',
                code: 'resource_missing',
                message: "No such event: 'evt_gone'",
              },
            },
          },
    );
    const key = merchant.api_key;
    const list = await gw.request('GET', '/v1/events?type=payment_intent.succeeded&limit=2', { key });
    expect(list.status).toBe(200);
    expect(gw.webhooks.received.at(-1)!.url).toBe(
      '/internal/v1/events?limit=2&type=payment_intent.succeeded',
    );
    const missing = await gw.request('GET', '/v1/events/evt_gone', { key });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({
      code: 'resource_missing',
      request_id: missing.headers.get('request-id'),
    });

    const before = gw.webhooks.received.length;
    const refused = [
      await gw.request('GET', '/v1/events?type=payment_intent.captured', { key }),
      await gw.request('GET', '/v1/events/not-an-event', { key }),
      await gw.request('GET', '/v1/webhook_endpoints/pi_123', { key }),
      await gw.request('POST', '/v1/webhook_endpoints', {
        key,
        body: { url: 'https://example.com', enabled_events: ['nope'] },
      }),
      await gw.request('POST', '/v1/webhook_endpoints', {
        key,
        body: { url: 'https://example.com', enabled_events: ['*'], merchant_id: 'mer_other' },
      }),
      await gw.request('GET', '/v1/events'),
    ];
    expect(refused.map((a) => [a.status, a.body.error.param ?? a.body.error.code])).toEqual([
      [400, 'type'],
      [404, 'resource_missing'],
      [404, 'resource_missing'],
      [400, 'enabled_events'],
      [403, 'merchant_id'],
      [401, 'api_key_missing'],
    ]);
    expect(gw.webhooks.received.length).toBe(before);
  });

  it('lists the new routes in the OpenAPI document', async () => {
    const document = await gw.request('GET', '/openapi.json');
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/webhook_endpoints',
        '/v1/webhook_endpoints/{id}',
        '/v1/webhook_endpoints/{id}/deliveries',
        '/v1/events',
        '/v1/events/{id}',
      ]),
    );
    expect(Object.keys(document.body.paths['/v1/webhook_endpoints/{id}'])).toEqual(
      expect.arrayContaining(['get', 'post', 'delete']),
    );
  });

  it('answers 502 when the webhooks service is down', async () => {
    await gw.webhooks.stop();
    const answer = await gw.request('GET', '/v1/webhook_endpoints', { key: merchant.api_key });
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({ type: 'api_error', code: 'upstream_unavailable' });
  });
});
