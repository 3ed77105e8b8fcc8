import { WebhooksFixture, newMerchant } from './webhooks-fixture';

/** The endpoints API as deployed: https and public addresses only (WEBHOOK_ALLOW_INSECURE_URLS unset). */
describe('webhooks: endpoint URL rules and API validation in production mode', () => {
  const fx = new WebhooksFixture();

  beforeAll(() => fx.start({ WEBHOOK_ALLOW_INSECURE_URLS: 'false' }));
  afterAll(() => fx.stop());

  async function endpointCount(merchant: string): Promise<number> {
    const { rows } = await fx.db.query(
      `SELECT count(*)::int AS n FROM webhook_endpoints WHERE merchant_id = $1`,
      [merchant],
    );
    return rows[0].n;
  }

  it.each([
    ['http://127.0.0.1/hook', /https/],
    ['https://127.0.0.1/hook', /loopback/],
    ['https://localhost:8443/hook', /loopback/],
    ['https://[::1]/hook', /loopback/],
    ['https://10.0.0.1/hook', /private/],
    ['https://172.20.1.1/hook', /private/],
    ['https://192.168.0.10/hook', /private/],
    ['https://[::ffff:10.0.0.1]/hook', /private/],
    ['https://169.254.169.254/latest/meta-data/', /link-local/],
    ['https://[fe80::1]/hook', /link-local/],
    ['https://0.0.0.0/hook', /reserved/],
    ['https://2130706433/hook', /loopback/],
  ])('refuses %s with 400 param url and stores nothing', async (url, reason) => {
    const merchant = newMerchant();
    const answer = await fx.call('POST', '/internal/v1/webhook_endpoints', {
      merchant,
      body: { url, enabled_events: ['*'] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'url_invalid',
      param: 'url',
    });
    expect(answer.body.error.message).toMatch(reason);
    expect(await endpointCount(merchant)).toBe(0);
  });

  it.each([
    [{ enabled_events: ['*'] }, 'url'],
    [{ url: 'https://user:pw@example.com/x', enabled_events: ['*'] }, 'url'],
    [{ url: 'ftp://example.com/x', enabled_events: ['*'] }, 'url'],
    [{ url: 'https://example.com/x' }, 'enabled_events'],
    [{ url: 'https://example.com/x', enabled_events: [] }, 'enabled_events'],
    [{ url: 'https://example.com/x', enabled_events: ['payment_intent.captured'] }, 'enabled_events'],
    [
      { url: 'https://example.com/x', enabled_events: ['refund.created', 'refund.created'] },
      'enabled_events',
    ],
    [{ url: 'https://example.com/x', enabled_events: ['*'], secret: 'whsec_mine' }, 'secret'],
  ])('refuses the body %j with 400 naming %s, before any DNS lookup', async (body, param) => {
    const merchant = newMerchant();
    const answer = await fx.call('POST', '/internal/v1/webhook_endpoints', { merchant, body });
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe(param);
    expect(await endpointCount(merchant)).toBe(0);
  });

  it('requires the internal token and the merchant header', async () => {
    const body = { url: 'https://example.com/x', enabled_events: ['*'] };
    const noToken = await fx.call('POST', '/internal/v1/webhook_endpoints', {
      merchant: newMerchant(),
      body,
      token: null,
    });
    expect(noToken.status).toBe(401);
    const wrongToken = await fx.call('GET', '/internal/v1/webhook_endpoints', {
      merchant: newMerchant(),
      token: 'not-the-internal-token',
    });
    expect(wrongToken.status).toBe(401);
    const noMerchant = await fx.call('GET', '/internal/v1/webhook_endpoints');
    expect(noMerchant.status).toBe(401);
    expect(noMerchant.body.error.code).toBe('merchant_missing');
  });

  it('refuses an update to an internal URL and leaves the endpoint as it was', async () => {
    const merchant = newMerchant();
    // A row made directly: production mode accepts no URL that a test could safely receive on.
    await fx.db.query(
      `INSERT INTO webhook_endpoints (id, merchant_id, url, enabled_events, secret, status, created_at, updated_at)
       VALUES ($1, $2, 'https://hooks.example.com/x', ARRAY['*'], 'whsec_x', 'disabled', now(), now())`,
      [`we_${merchant.slice(4)}`, merchant],
    );
    const answer = await fx.call('POST', `/internal/v1/webhook_endpoints/we_${merchant.slice(4)}`, {
      merchant,
      body: { url: 'https://169.254.169.254/latest/meta-data/' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe('url');
    const { rows } = await fx.db.query(`SELECT url FROM webhook_endpoints WHERE merchant_id = $1`, [
      merchant,
    ]);
    expect(rows).toEqual([{ url: 'https://hooks.example.com/x' }]);
  });
});
