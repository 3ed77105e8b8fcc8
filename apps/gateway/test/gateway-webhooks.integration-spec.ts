import { IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { GatewayFixture } from './gateway-fixture';

/** One request with its target exactly as given (node:http does not normalize the path). */
function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  body: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method,
        path,
        // Framed explicitly: node:http sends a GET or DELETE body unframed otherwise.
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

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

  it('needs no API key, and passes a 2xx body back', async () => {
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
    expect(gw.webhooks.received.at(-1)!.url).toBe('/webhooks/adyen');
  });

  // Raw request targets, sent as they are: fetch and curl would resolve the dot segments first.
  it.each([
    ['GET', '/webhooks/../metrics'],
    ['POST', '/webhooks/../metrics'],
    ['GET', '/webhooks/%2e%2e/metrics'],
    ['POST', '/webhooks/%2e%2e/%2e%2e/metrics'],
    ['POST', '/webhooks/stripe/x'],
    ['POST', '/webhooks/stripe/../../metrics'],
    ['POST', '/webhooks/Stripe'],
    ['POST', '/webhooks/adyen/'],
    ['POST', '/webhooks/%73tripe'],
    ['POST', '/webhooks/foo'],
    ['GET', '/webhooks/stripe'],
    ['DELETE', '/webhooks/adyen'],
  ])(
    'answers %s %s 404 in the API error shape, without reaching the webhooks service',
    async (method, path) => {
      gw.webhooks.answer(() => ({ status: 200, rawBody: 'webhooks_psp_events_total 1' }));
      const before = gw.webhooks.received.length;
      const answer = await rawRequest(gw.url, method, path, '{"id":"evt_x"}');
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.text)).toEqual({
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: expect.any(String),
          request_id: answer.headers['request-id'],
        },
      });
      expect(gw.webhooks.received.length).toBe(before);
    },
  );

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
