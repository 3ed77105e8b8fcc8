import { ADMIN_KEY, GatewayFixture, INTERNAL_TOKEN, fakeIntent } from './gateway-fixture';

describe('gateway: merchants, authentication, isolation and forwarding', () => {
  const gw = new GatewayFixture();

  beforeAll(() => gw.start());
  afterAll(() => gw.stop());

  describe('POST /admin/merchants', () => {
    it('creates a merchant whose key works at once, and writes the audit log', async () => {
      const created = await gw.request('POST', '/admin/merchants', {
        key: ADMIN_KEY,
        body: { name: 'Acme', fee_bps: 250, fee_fixed: { usd: 30, EUR: 25 } },
      });

      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^mer_[A-Za-z0-9]{16}$/),
        object: 'merchant',
        name: 'Acme',
        fee_bps: 250,
        fee_fixed: { EUR: 25, USD: 30 },
        created: expect.any(String),
        api_key: expect.stringMatching(/^sk_test_[A-Za-z0-9]{43}$/),
      });
      const merchantId = created.body.id;

      gw.intents.answer(() => ({ status: 200, body: { object: 'list', data: [], has_more: false } }));
      const listed = await gw.request('GET', '/v1/payment_intents', { key: created.body.api_key });
      expect(listed.status).toBe(200);
      expect(gw.intents.received.at(-1)!.headers['x-merchant-id']).toBe(merchantId);

      const [audit] = await gw.db.query(
        `SELECT action, actor, target, details, request_id FROM admin_audit_log WHERE target = $1`,
        [merchantId],
      );
      expect(audit).toMatchObject({
        action: 'merchant.created',
        actor: expect.stringMatching(/^admin_key:[0-9a-f]{12}$/),
        target: merchantId,
        details: {
          name: 'Acme',
          fee_bps: 250,
          fee_fixed: { EUR: 25, USD: 30 },
          api_key_prefix: created.body.api_key.slice(0, 12),
        },
        request_id: created.headers.get('request-id'),
      });
      // The key is stored only as its HMAC.
      const [key] = await gw.db.query(`SELECT key_hash, prefix FROM api_keys WHERE merchant_id = $1`, [
        merchantId,
      ]);
      expect(key.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(audit) + JSON.stringify(key)).not.toContain(created.body.api_key);
      // Append-only: the gateway's own role cannot rewrite or erase it.
      await expect(
        gw.db.query(`UPDATE admin_audit_log SET actor = 'someone' WHERE target = $1`, [merchantId]),
      ).rejects.toThrow(/permission denied/);
      await expect(
        gw.db.query(`DELETE FROM admin_audit_log WHERE target = $1`, [merchantId]),
      ).rejects.toThrow(/permission denied/);
    });

    it('applies the default schedule when none is given, and shows the merchant with its key prefixes', async () => {
      const created = await gw.request('POST', '/admin/merchants', {
        key: ADMIN_KEY,
        body: { name: 'Defaults Ltd' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ fee_bps: 290, fee_fixed: null });

      const shown = await gw.request('GET', `/admin/merchants/${created.body.id}`, { key: ADMIN_KEY });
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({
        id: created.body.id,
        fee_bps: 290,
        api_keys: [{ prefix: created.body.api_key.slice(0, 12), revoked: null }],
      });
      expect(shown.text).not.toContain(created.body.api_key);
      expect((await gw.request('GET', '/admin/merchants/mer_doesNotExist1', { key: ADMIN_KEY })).status).toBe(
        404,
      );
      expect(
        (await gw.request('GET', '/admin/merchants/not-an-id', { key: ADMIN_KEY })).body.error.code,
      ).toBe('resource_missing');
    });

    it('refuses a wrong or missing admin key with 401, and a merchant key too', async () => {
      const merchant = await gw.createMerchant();
      for (const key of [undefined, 'gateway-test-admin-key-0123456780', merchant.api_key]) {
        const answer = await gw.request('POST', '/admin/merchants', { key, body: { name: 'Nope' } });
        expect(answer.status).toBe(401);
        expect(answer.body.error).toMatchObject({
          type: 'authentication_error',
          request_id: expect.stringMatching(/^req_/),
        });
      }
    });

    it('validates the fee schedule', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ fee_bps: 10_001 }, 'fee_bps'],
        [{ fee_bps: 2.5 }, 'fee_bps'],
        [{ fee_fixed: { XYZ: 10 } }, 'fee_fixed'],
        [{ fee_fixed: { USD: -1 } }, 'fee_fixed'],
        [{ fee_fixed: { USD: 1.5 } }, 'fee_fixed'],
        [{ fee_fixed: { USD: '30' } }, 'fee_fixed'],
        [{ fee_fixed: [30] }, 'fee_fixed'],
        [{ name: '' }, 'name'],
        [{ name: 'x', api_key: 'sk_test_mine' }, 'api_key'],
      ];
      for (const [body, param] of cases) {
        const answer = await gw.request('POST', '/admin/merchants', {
          key: ADMIN_KEY,
          body: { name: 'Fees', ...body },
        });
        expect({ body, status: answer.status, param: answer.body.error.param }).toEqual({
          body,
          status: 400,
          param,
        });
      }
    });
  });

  describe('authentication', () => {
    it('answers 401 authentication_error for a missing, malformed or unknown key, without calling intents', async () => {
      const before = gw.intents.received.length;
      const keys = [undefined, 'sk_test_', 'not-a-key', 'sk_test_ThisKeyWasNeverIssuedToAnybody0123456789'];
      for (const key of keys) {
        const answer = await gw.request('GET', '/v1/payment_intents', { key });
        expect(answer.status).toBe(401);
        expect(answer.body.error).toMatchObject({
          type: 'authentication_error',
          request_id: answer.headers.get('request-id'),
        });
      }
      const basic = await gw.request('GET', '/v1/balance', {
        headers: { authorization: 'Basic c2tfdGVzdF94Og==' },
      });
      expect(basic.status).toBe(401);
      expect(gw.intents.received.length).toBe(before);
    });
  });

  describe('forwarding to intents', () => {
    it('sends the internal headers: the key’s merchant, its fee schedule, ids, idempotency and trace context', async () => {
      const merchant = await gw.createMerchant({ fee_bps: 300, fee_fixed: { USD: 20 } });
      gw.intents.answer((request) => ({
        status: 201,
        body: fakeIntent(merchant.id, request.json as Record<string, unknown>),
      }));
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

      const answer = await gw.request('POST', '/v1/payment_intents', {
        key: merchant.api_key,
        body: { currency: 'usd', amount: 2500, merchant_id: merchant.id },
        headers: { 'idempotency-key': 'create-1', 'x-request-id': 'req_fromTheMerchant1', traceparent },
      });

      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ object: 'payment_intent', merchant_id: merchant.id, amount: 2500 });
      expect(answer.headers.get('request-id')).toBe('req_fromTheMerchant1');
      const sent = gw.intents.received.at(-1)!;
      expect(sent.method).toBe('POST');
      expect(sent.url).toBe('/internal/v1/payment_intents');
      expect(sent.headers).toMatchObject({
        'x-internal-token': INTERNAL_TOKEN,
        'x-merchant-id': merchant.id,
        'x-merchant-fee-schedule': '{"fee_bps":300,"fee_fixed":{"USD":20}}',
        'x-request-id': 'req_fromTheMerchant1',
        'x-correlation-id': 'req_fromTheMerchant1',
        'idempotency-key': 'create-1',
        'content-type': 'application/json',
      });
      expect(sent.headers['x-idempotency-fingerprint']).toMatch(/^[0-9a-f]{64}$/);
      expect(sent.headers['traceparent']).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-0[01]$/);
      expect(sent.headers['authorization']).toBeUndefined();
      // The validated body: the currency normalized, the default capture method filled in.
      expect(sent.json).toEqual({
        amount: 2500,
        currency: 'USD',
        merchant_id: merchant.id,
        capture_method: 'manual',
      });
    });

    it('omits fee_fixed from the schedule of a merchant on the default fixed fees', async () => {
      const merchant = await gw.createMerchant();
      gw.intents.answer(() => ({ status: 200, body: fakeIntent(merchant.id) }));

      await gw.request('GET', '/v1/payment_intents/pi_0123456789abcdef', { key: merchant.api_key });

      expect(gw.intents.received.at(-1)!.headers['x-merchant-fee-schedule']).toBe('{"fee_bps":290}');
    });

    it('maps every intents route, query included', async () => {
      const merchant = await gw.createMerchant();
      gw.intents.answer((request) => ({ status: 200, body: { seen: `${request.method} ${request.url}` } }));
      const calls: [string, string, unknown, string][] = [
        [
          'GET',
          '/v1/payment_intents?limit=5&status=captured',
          undefined,
          'GET /internal/v1/payment_intents?limit=5&status=captured',
        ],
        ['GET', '/v1/payment_intents/pi_abc123', undefined, 'GET /internal/v1/payment_intents/pi_abc123'],
        [
          'POST',
          '/v1/payment_intents/pi_abc123/authorize',
          { payment_method: 'pm_card_visa' },
          'POST /internal/v1/payment_intents/pi_abc123/authorize',
        ],
        [
          'POST',
          '/v1/payment_intents/pi_abc123/capture',
          { amount: 500 },
          'POST /internal/v1/payment_intents/pi_abc123/capture',
        ],
        [
          'POST',
          '/v1/payment_intents/pi_abc123/cancel',
          {},
          'POST /internal/v1/payment_intents/pi_abc123/cancel',
        ],
        [
          'POST',
          '/v1/payment_intents/pi_abc123/refund',
          { amount: 100, reason: 'requested_by_customer' },
          'POST /internal/v1/payment_intents/pi_abc123/refund',
        ],
        [
          'GET',
          '/v1/payment_intents/pi_abc123/refunds',
          undefined,
          'GET /internal/v1/payment_intents/pi_abc123/refunds',
        ],
      ];
      for (const [method, path, body, expected] of calls) {
        const answer = await gw.request(method, path, { key: merchant.api_key, body });
        expect({ path, status: answer.status, seen: answer.body.seen }).toEqual({
          path,
          status: 200,
          seen: expected,
        });
      }
    });

    it('passes the status and error body of intents through, adding the request id', async () => {
      const merchant = await gw.createMerchant();
      gw.intents.answer(() => ({
        status: 409,
        body: {
          error: {
            type: 'invalid_request_error',
            code: 'invalid_state_transition',
            message: 'cannot capture a created intent',
          },
        },
      }));

      const answer = await gw.request('POST', '/v1/payment_intents/pi_abc123/capture', {
        key: merchant.api_key,
      });

      expect(answer.status).toBe(409);
      expect(answer.body).toEqual({
        error: {
          type: 'invalid_request_error',
          code: 'invalid_state_transition',
          message: 'cannot capture a created intent',
          request_id: answer.headers.get('request-id'),
        },
      });
    });

    it('answers 404 for a malformed intent id without asking intents', async () => {
      const merchant = await gw.createMerchant();
      const before = gw.intents.received.length;
      for (const id of ['nope', 'pi_', 'pi_abc%2F..', 're_abc123']) {
        const answer = await gw.request('GET', `/v1/payment_intents/${id}`, { key: merchant.api_key });
        expect(answer.status).toBe(404);
        expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' });
      }
      expect(gw.intents.received.length).toBe(before);
    });

    it('maps a misconfigured intents (internal token refused, not JSON) to 502 api_error', async () => {
      const merchant = await gw.createMerchant();
      gw.intents.answer(() => ({
        status: 401,
        body: { error: { type: 'authentication_error', code: 'internal_token_invalid', message: 'x' } },
      }));
      const refused = await gw.request('GET', '/v1/payment_intents', { key: merchant.api_key });
      expect(refused.status).toBe(502);
      expect(refused.body.error).toMatchObject({ type: 'api_error', code: 'upstream_invalid_response' });

      gw.intents.answer(() => ({ status: 200, rawBody: '<html>not json</html>' }));
      expect((await gw.request('GET', '/v1/payment_intents', { key: merchant.api_key })).status).toBe(502);
    });
  });

  describe('merchant isolation', () => {
    it("refuses a body merchant_id that is not the key's with 403, before intents is called", async () => {
      const merchant = await gw.createMerchant();
      const other = await gw.createMerchant();
      const before = gw.intents.received.length;

      const answer = await gw.request('POST', '/v1/payment_intents', {
        key: merchant.api_key,
        body: { amount: 1000, currency: 'USD', merchant_id: other.id },
        headers: { 'idempotency-key': 'foreign-1' },
      });

      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatchObject({ type: 'permission_error', param: 'merchant_id' });
      expect(gw.intents.received.length).toBe(before);
    });

    it('refuses a merchant_id in a query: the merchant comes from the key only', async () => {
      const merchant = await gw.createMerchant();
      const before = gw.ledger.received.length;
      const answer = await gw.request('GET', '/v1/balance?merchant_id=mer_someoneElse', {
        key: merchant.api_key,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe('merchant_id');
      expect(gw.ledger.received.length).toBe(before);
    });
  });

  describe('ledger reads', () => {
    it('forwards balance and entries with the merchant from the key', async () => {
      const merchant = await gw.createMerchant();
      gw.ledger.answer((request) => ({ status: 200, body: { object: 'balance', seen: request.url } }));

      const balance = await gw.request('GET', '/v1/balance?as_of=2026-01-31T00:00:00Z', {
        key: merchant.api_key,
      });
      expect(balance.body.seen).toBe(
        `/internal/v1/merchants/${merchant.id}/balance?as_of=2026-01-31T00%3A00%3A00Z`,
      );
      const entries = await gw.request('GET', '/v1/ledger/entries?limit=2&starting_after=le_9', {
        key: merchant.api_key,
      });
      expect(entries.body.seen).toBe(
        `/internal/v1/merchants/${merchant.id}/entries?limit=2&starting_after=le_9`,
      );
      expect(gw.ledger.received.at(-1)!.headers).toMatchObject({
        'x-internal-token': INTERNAL_TOKEN,
        'x-merchant-id': merchant.id,
      });
      expect(
        (await gw.request('GET', '/v1/ledger/entries?limit=0', { key: merchant.api_key })).body.error.param,
      ).toBe('limit');
    });

    it('verifies the ledger for the admin key only, and audits it', async () => {
      gw.ledger.answer(() => ({
        status: 200,
        body: { balanced: true, entries: 4, postings: 9, accounts: 3, violations: [], checked_at: 'x' },
      }));
      const merchant = await gw.createMerchant();
      expect((await gw.request('GET', '/admin/ledger/verify', { key: merchant.api_key })).status).toBe(401);

      const verified = await gw.request('GET', '/admin/ledger/verify', { key: ADMIN_KEY });

      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ balanced: true, entries: 4 });
      expect(gw.ledger.received.at(-1)!.url).toBe('/internal/v1/verify');
      const [audit] = await gw.db.query(`SELECT action, details FROM admin_audit_log WHERE request_id = $1`, [
        verified.headers.get('request-id'),
      ]);
      expect(audit).toEqual({
        action: 'ledger.verified',
        details: { status: 200, balanced: true, entries: 4, postings: 9, violations: 0 },
      });
    });
  });

  describe('service surface', () => {
    it('answers unknown routes 404 resource_missing in the error shape', async () => {
      const answer = await gw.request('GET', '/v2/nothing');
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'resource_missing',
        request_id: expect.stringMatching(/^req_/),
      });
    });

    it('serves /openapi.json listing every public path, with the error schema and bearer auth', async () => {
      const answer = await gw.request('GET', '/openapi.json');
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body.paths).sort()).toEqual([
        '/admin/ledger/verify',
        '/admin/merchants',
        '/admin/merchants/{id}',
        '/v1/balance',
        '/v1/billing_settings',
        '/v1/customers',
        '/v1/customers/{id}',
        '/v1/dunning_settings',
        '/v1/events',
        '/v1/events/{id}',
        '/v1/invoices',
        '/v1/invoices/upcoming',
        '/v1/invoices/{id}',
        '/v1/invoices/{id}/mark_uncollectible',
        '/v1/invoices/{id}/pay',
        '/v1/invoices/{id}/payment_attempts',
        '/v1/invoices/{id}/void',
        '/v1/ledger/entries',
        '/v1/payment_intents',
        '/v1/payment_intents/{id}',
        '/v1/payment_intents/{id}/authorize',
        '/v1/payment_intents/{id}/cancel',
        '/v1/payment_intents/{id}/capture',
        '/v1/payment_intents/{id}/refund',
        '/v1/payment_intents/{id}/refunds',
        '/v1/prices',
        '/v1/prices/{id}',
        '/v1/subscriptions',
        '/v1/subscriptions/{id}',
        '/v1/subscriptions/{id}/cancel',
        '/v1/test_clocks',
        '/v1/test_clocks/{id}',
        '/v1/test_clocks/{id}/advance',
        '/v1/webhook_endpoints',
        '/v1/webhook_endpoints/{id}',
        '/v1/webhook_endpoints/{id}/deliveries',
        '/webhooks/adyen',
        '/webhooks/stripe',
      ]);
      expect(answer.body.components.securitySchemes).toMatchObject({
        api_key: { type: 'http', scheme: 'bearer' },
        admin_key: { scheme: 'bearer' },
      });
      const create = answer.body.paths['/v1/payment_intents'].post;
      expect(create.requestBody.content['application/json'].schema.$ref).toBe(
        '#/components/schemas/CreatePaymentIntentRequest',
      );
      expect(create.responses['201'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/PaymentIntent',
      );
      for (const status of ['400', '401', '403', '404', '409', '422', '429', '502', '504']) {
        expect(create.responses[status].content['application/json'].schema.$ref).toBe(
          '#/components/schemas/Error',
        );
      }
      expect(create.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
      );
      expect((await fetch(`${gw.url}/docs`)).status).toBe(200);
    });

    it('reports postgres, redis and the relay in /readyz', async () => {
      const answer = await gw.request('GET', '/readyz');
      expect(answer.status).toBe(200);
      expect(answer.body.checks).toMatchObject({ postgres: 'up', redis: 'up', outbox_relay: 'up' });
    });
  });
});
