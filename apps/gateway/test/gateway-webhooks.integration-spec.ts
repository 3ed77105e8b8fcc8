import { GatewayFixture } from './gateway-fixture';

describe('gateway: /webhooks/* passthrough', () => {
  const gw = new GatewayFixture();

  beforeAll(() => gw.start());
  afterAll(() => gw.stop());

  it('passes the raw bytes and Stripe-Signature unchanged, and the answer back as it is', async () => {
    // Whitespace, key order, escapes and non-ASCII that any JSON re-encoding would change.
    const payload = Buffer.from(
      '{ "id":"evt_1",  "type":"payment_intent.succeeded",\n "data":{"object":{"amount":1e3,"name":"Zoë \\u00e9"}} }\n',
      'utf8',
    );
    const signature = 't=1764230400,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd';
    gw.webhooks.answer(() => ({
      status: 400,
      rawBody: 'No signatures found matching the expected signature',
      headers: { 'content-type': 'text/plain', 'x-webhooks-note': 'kept' },
    }));

    const answer = await gw.request('POST', '/webhooks/stripe?source=psp', {
      rawBody: payload,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': signature,
        'idempotency-key': 'k'.repeat(300),
      },
    });

    const received = gw.webhooks.received.at(-1)!;
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/webhooks/stripe?source=psp');
    expect(received.raw.equals(payload)).toBe(true);
    expect(received.headers['stripe-signature']).toBe(signature);
    expect(received.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(received.headers['x-internal-token']).toBeUndefined();
    expect(received.headers['x-request-id']).toBe(answer.headers.get('request-id'));
    expect(answer.status).toBe(400);
    expect(answer.text).toBe('No signatures found matching the expected signature');
    expect(answer.headers.get('content-type')).toBe('text/plain');
    expect(answer.headers.get('x-webhooks-note')).toBe('kept');
  });

  it('needs no API key and passes any path, a 2xx body included', async () => {
    gw.webhooks.answer(() => ({
      status: 200,
      rawBody: '[accepted]',
      headers: { 'content-type': 'text/plain' },
    }));
    const adyen = await gw.request('POST', '/webhooks/adyen', {
      rawBody: '{"live":"false","notificationItems":[]}',
    });
    expect(adyen.status).toBe(200);
    expect(adyen.text).toBe('[accepted]');

    const other = await gw.request('POST', '/webhooks/new-psp/events', {
      rawBody: 'a=1&b=2',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(other.status).toBe(200);
    expect(gw.webhooks.received.at(-1)!.raw.toString()).toBe('a=1&b=2');
  });

  it('does not let a caller pass internal headers through', async () => {
    gw.webhooks.answer(() => ({ status: 200, body: { received: true } }));
    await gw.request('POST', '/webhooks/stripe', {
      rawBody: '{}',
      headers: { 'x-internal-token': 'guess', 'x-merchant-id': 'mer_someone' },
    });
    const received = gw.webhooks.received.at(-1)!;
    expect(received.headers['x-internal-token']).toBeUndefined();
    expect(received.headers['x-merchant-id']).toBeUndefined();
  });

  it('answers 502 api_error when the webhooks service is down', async () => {
    await gw.webhooks.stop();
    const answer = await gw.request('POST', '/webhooks/stripe', {
      rawBody: '{"id":"evt_2"}',
      headers: { 'stripe-signature': 't=1,v1=00' },
    });
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({
      type: 'api_error',
      code: 'upstream_unavailable',
      request_id: answer.headers.get('request-id'),
    });
  });
});
