import { verifySignature } from '../src/signing/payflow-signature';
import { Json, TestReceiver, WebhooksFixture, newMerchant, waitFor } from './webhooks-fixture';

const RETRY_BASE_MS = 100;

/** PayFlow-Signature of a received delivery, checked as a merchant would with its endpoint's secret. */
function signatureValid(
  request: { headers: Record<string, unknown>; body: string },
  secret: string,
): boolean {
  const header = request.headers['payflow-signature'] as string | undefined;
  return verifySignature(header, request.body, secret, Math.floor(Date.now() / 1000)).valid;
}

describe('webhooks: merchant endpoints, events and deliveries', () => {
  const fx = new WebhooksFixture();
  const receivers: TestReceiver[] = [];
  const receiver = async (answer?: ConstructorParameters<typeof TestReceiver>[0]) => {
    const started = await new TestReceiver(answer).start();
    receivers.push(started);
    return started;
  };

  beforeAll(() =>
    fx.start({
      WEBHOOK_ALLOW_INSECURE_URLS: 'true',
      WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
      WEBHOOK_RETRY_WINDOW_MS: '2000',
      WEBHOOK_TIMEOUT_MS: '2000',
    }),
  );
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await fx.stop();
  });

  it('delivers a matching event signed with the endpoint secret, and lists it among the events', async () => {
    const merchant = newMerchant();
    const target = await receiver();
    const endpoint = await fx.createEndpoint(merchant, {
      url: target.url,
      enabled_events: ['*'],
      description: 'orders',
    });
    expect(endpoint).toMatchObject({
      object: 'webhook_endpoint',
      url: target.url,
      enabled_events: ['*'],
      status: 'enabled',
      description: 'orders',
    });
    expect(endpoint.secret).toMatch(/^whsec_/);

    const intent = fx.intent(merchant, { status: 'captured', amount_received: 10_000, provider: 'stripe' });
    await fx.publish(fx.intentsEvent('payment_intent.captured', intent));
    const [delivery] = await waitFor(() => (target.received.length ? target.received : null), {
      what: 'the delivery',
    });

    expect(delivery.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(signatureValid(delivery, endpoint.secret)).toBe(true);
    expect(signatureValid(delivery, `${endpoint.secret}x`)).toBe(false);
    const event = JSON.parse(delivery.body);
    expect(Object.keys(event)).toEqual(['id', 'object', 'type', 'created', 'data']);
    expect(event).toMatchObject({
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: intent },
    });
    expect(event.id).toMatch(/^evt_/);
    expect(delivery.headers['payflow-event-id']).toBe(event.id);

    expect((await fx.call('GET', `/internal/v1/events/${event.id}`, { merchant })).body).toEqual(event);
    // The secret is shown only when the endpoint is created.
    expect(
      (await fx.call('GET', `/internal/v1/webhook_endpoints/${endpoint.id}`, { merchant })).body.secret,
    ).toBeUndefined();
  });

  it('retries a failing endpoint with growing delays until it recovers, and lists every attempt with its outcome', async () => {
    const merchant = newMerchant();
    const failing = await receiver((_request, index) =>
      index < 3 ? { status: 500, body: 'down' } : { status: 200 },
    );
    const endpoint = await fx.createEndpoint(merchant, {
      url: failing.url,
      enabled_events: ['payment_intent.created'],
    });
    await fx.publish(fx.intentsEvent('payment_intent.created', fx.intent(merchant)));

    await waitFor(() => failing.received.length >= 4, { what: 'four attempts' });
    const arrivals = failing.received.map((r) => r.at);
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]);
    // Exponential: never earlier than base × 2^(n−1), each longer than the one before.
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2 ** i - 5));
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
    expect(gaps[2]).toBeGreaterThan(gaps[1]);
    // The same event every time, each attempt signed afresh.
    expect(new Set(failing.received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    expect(failing.received.every((r) => signatureValid(r, endpoint.secret))).toBe(true);

    const [delivery] = await waitFor(
      async () => {
        const list = await fx.deliveries(merchant, endpoint.id);
        return list[0]?.status === 'succeeded' ? list : null;
      },
      { what: 'the delivery to succeed' },
    );
    expect(delivery).toMatchObject({
      object: 'webhook_delivery',
      endpoint: endpoint.id,
      event_type: 'payment_intent.created',
      attempt_count: 4,
      next_attempt: null,
    });
    expect(delivery.completed).not.toBeNull();
    expect(delivery.attempts.map((a: Json) => [a.attempt, a.status_code, a.outcome])).toEqual([
      [4, 200, 'succeeded'],
      [3, 500, 'failed'],
      [2, 500, 'failed'],
      [1, 500, 'failed'],
    ]);
    expect(delivery.attempts.every((a: Json) => typeof a.duration_ms === 'number' && a.error === null)).toBe(
      true,
    );
  });

  it('marks a delivery failed once its retry window is over, with the reason of each attempt', async () => {
    const merchant = newMerchant();
    const dead = await receiver(() => ({ status: 503 }));
    const endpoint = await fx.createEndpoint(merchant, { url: dead.url, enabled_events: ['*'] });
    await fx.publish(fx.intentsEvent('payment_intent.created', fx.intent(merchant)));
    const [delivery] = await waitFor(
      async () => {
        const list = await fx.deliveries(merchant, endpoint.id);
        return list[0]?.status === 'failed' ? list : null;
      },
      { what: 'the delivery to fail' },
    );
    expect(delivery.attempt_count).toBeGreaterThanOrEqual(3);
    expect(delivery.attempts.every((a: Json) => a.status_code === 503 && a.outcome === 'failed')).toBe(true);
    expect(dead.received).toHaveLength(delivery.attempt_count);
  });

  it('sends only the enabled event types, and nothing to a disabled endpoint', async () => {
    const merchant = newMerchant();
    const target = await receiver();
    const succeededOnly = await fx.createEndpoint(merchant, {
      url: `${target.url}?e=succeeded`,
      enabled_events: ['payment_intent.succeeded'],
    });
    const refundsOnly = await fx.createEndpoint(merchant, {
      url: `${target.url}?e=refunds`,
      enabled_events: ['refund.created', 'refund.succeeded'],
    });
    const disabled = await fx.createEndpoint(merchant, {
      url: `${target.url}?e=disabled`,
      enabled_events: ['*'],
    });
    const update = await fx.call('POST', `/internal/v1/webhook_endpoints/${disabled.id}`, {
      merchant,
      body: { disabled: true },
    });
    expect(update.body.status).toBe('disabled');

    const intent = fx.intent(merchant);
    const t0 = Date.now() - 10_000;
    const refund = fx.refund(intent);
    await fx.publish(
      fx.intentsEvent('payment_intent.created', intent, {}, { occurredAt: new Date(t0) }),
      fx.intentsEvent(
        'payment_intent.authorization_requested',
        intent,
        { payment_method: 'pm_card_visa', capture_method: 'manual', attempt_no: 1 },
        { occurredAt: new Date(t0 + 1) },
      ),
      fx.intentsEvent(
        'payment_intent.authorized',
        { ...intent, status: 'authorized' },
        {},
        { occurredAt: new Date(t0 + 2) },
      ),
      fx.intentsEvent(
        'payment_intent.captured',
        { ...intent, status: 'captured' },
        {},
        { occurredAt: new Date(t0 + 3) },
      ),
      fx.intentsEvent('refund.requested', intent, { refund }, { occurredAt: new Date(t0 + 4) }),
    );
    // The events and their deliveries are written together: once all four events exist, every delivery does.
    await waitFor(
      async () => (await fx.call('GET', '/internal/v1/events', { merchant })).body.data.length === 4,
      { what: 'four events' },
    );
    await waitFor(
      async () => {
        const all = [
          ...(await fx.deliveries(merchant, succeededOnly.id)),
          ...(await fx.deliveries(merchant, refundsOnly.id)),
        ];
        return all.length === 2 && all.every((d) => d.status === 'succeeded');
      },
      { what: 'both deliveries' },
    );

    expect((await fx.deliveries(merchant, succeededOnly.id)).map((d) => d.event_type)).toEqual([
      'payment_intent.succeeded',
    ]);
    expect((await fx.deliveries(merchant, refundsOnly.id)).map((d) => d.event_type)).toEqual([
      'refund.created',
    ]);
    expect(await fx.deliveries(merchant, disabled.id)).toEqual([]);
    const types = (path: string) =>
      target.received.filter((r) => r.path.endsWith(path)).map((r) => JSON.parse(r.body).type);
    expect(types('e=succeeded')).toEqual(['payment_intent.succeeded']);
    expect(types('e=refunds')).toEqual(['refund.created']);
    expect(types('e=disabled')).toEqual([]);
  });

  it("keeps a slow endpoint's deliveries from delaying another merchant's", async () => {
    const slowMerchant = newMerchant();
    const fastMerchant = newMerchant();
    const slow = await receiver(() => 'hang');
    const fast = await receiver();
    await fx.createEndpoint(slowMerchant, { url: slow.url, enabled_events: ['*'] });
    await fx.createEndpoint(fastMerchant, { url: fast.url, enabled_events: ['*'] });

    await fx.publish(
      ...Array.from({ length: 6 }, () => fx.intentsEvent('payment_intent.created', fx.intent(slowMerchant))),
    );
    await waitFor(() => slow.received.length >= 2, { what: 'the slow endpoint to hold two deliveries' });

    const sent = Date.now();
    await fx.publish(fx.intentsEvent('payment_intent.created', fx.intent(fastMerchant)));
    await waitFor(() => fast.received.length === 1, {
      what: "the other merchant's delivery",
      timeoutMs: 5_000,
    });
    const latency = Date.now() - sent;
    // Well within the slow endpoint's 2 s timeout: nothing waited for it.
    expect(latency).toBeLessThan(1_000);
    // And the slow endpoint never had more than its share in flight.
    expect(slow.received).toHaveLength(2);

    slow.release();
    await waitFor(() => slow.received.length >= 6, { what: 'the slow endpoint to catch up' });
  });

  it('creates, lists, reads, updates and deletes endpoints, scoped to their merchant', async () => {
    const merchant = newMerchant();
    const target = await receiver();
    const first = await fx.createEndpoint(merchant, {
      url: `${target.url}?n=1`,
      enabled_events: ['payment_intent.succeeded', '*'],
    });
    expect(first.enabled_events).toEqual(['*']);
    const second = await fx.createEndpoint(merchant, {
      url: `${target.url}?n=2`,
      enabled_events: ['refund.failed'],
    });

    const page = await fx.call('GET', '/internal/v1/webhook_endpoints?limit=1', { merchant });
    expect(page.body).toMatchObject({ object: 'list', has_more: true, data: [{ id: second.id }] });
    const next = await fx.call('GET', `/internal/v1/webhook_endpoints?limit=1&starting_after=${second.id}`, {
      merchant,
    });
    expect(next.body).toMatchObject({ has_more: false, data: [{ id: first.id }] });
    expect(page.body.data[0].secret).toBeUndefined();

    const updated = await fx.call('POST', `/internal/v1/webhook_endpoints/${second.id}`, {
      merchant,
      body: { url: `${target.url}?n=3`, enabled_events: ['refund.succeeded'] },
    });
    expect(updated.body).toMatchObject({
      id: second.id,
      url: `${target.url}?n=3`,
      enabled_events: ['refund.succeeded'],
      status: 'enabled',
    });

    const other = newMerchant();
    expect(
      (await fx.call('GET', `/internal/v1/webhook_endpoints/${second.id}`, { merchant: other })).status,
    ).toBe(404);
    expect(
      (await fx.call('DELETE', `/internal/v1/webhook_endpoints/${second.id}`, { merchant: other })).status,
    ).toBe(404);
    expect(
      (await fx.call('GET', `/internal/v1/webhook_endpoints/${second.id}/deliveries`, { merchant: other }))
        .status,
    ).toBe(404);
    expect((await fx.call('GET', '/internal/v1/webhook_endpoints/not_an_id', { merchant })).status).toBe(404);

    const deleted = await fx.call('DELETE', `/internal/v1/webhook_endpoints/${second.id}`, { merchant });
    expect(deleted.body).toEqual({ id: second.id, object: 'webhook_endpoint', deleted: true });
    expect((await fx.call('GET', `/internal/v1/webhook_endpoints/${second.id}`, { merchant })).status).toBe(
      404,
    );
  });

  it('replays an endpoint creation with the same Idempotency-Key instead of creating a second endpoint', async () => {
    const merchant = newMerchant();
    const target = await receiver();
    const body = { url: target.url, enabled_events: ['*'] };
    const headers = { 'idempotency-key': `key-${merchant}` };
    const first = await fx.call('POST', '/internal/v1/webhook_endpoints', { merchant, body, headers });
    const again = await fx.call('POST', '/internal/v1/webhook_endpoints', { merchant, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const reused = await fx.call('POST', '/internal/v1/webhook_endpoints', {
      merchant,
      body: { ...body, enabled_events: ['refund.failed'] },
      headers,
    });
    expect(reused.status).toBe(422);
    expect((await fx.call('GET', '/internal/v1/webhook_endpoints', { merchant })).body.data).toHaveLength(1);
  });

  it('lists events newest first with type filter and pagination, 404s other merchants, and never stores unsent types', async () => {
    const merchant = newMerchant();
    const intent = fx.intent(merchant);
    const t0 = Date.now() - 60_000;
    await fx.publish(
      fx.intentsEvent('payment_intent.created', intent, {}, { occurredAt: new Date(t0) }),
      fx.intentsEvent('payment_intent.capture_requested', intent, {}, { occurredAt: new Date(t0 + 1_000) }),
      fx.intentsEvent(
        'payment_intent.authorization_failed',
        { ...intent, status: 'failed' },
        {},
        { occurredAt: new Date(t0 + 2_000) },
      ),
      fx.intentsEvent(
        'payment_intent.canceled',
        { ...intent, status: 'canceled' },
        {},
        { occurredAt: new Date(t0 + 3_000) },
      ),
    );
    const all = await waitFor(
      async () => {
        const answer = await fx.call('GET', '/internal/v1/events', { merchant });
        return answer.body.data.length === 3 ? answer.body : null;
      },
      { what: 'three events' },
    );
    expect(all.data.map((e: Json) => e.type)).toEqual([
      'payment_intent.canceled',
      'payment_intent.payment_failed',
      'payment_intent.created',
    ]);
    expect(all.data[0].created).toBe(new Date(t0 + 3_000).toISOString());

    const failed = await fx.call('GET', '/internal/v1/events?type=payment_intent.payment_failed', {
      merchant,
    });
    expect(failed.body.data.map((e: Json) => e.data.object.status)).toEqual(['failed']);
    const page = await fx.call('GET', '/internal/v1/events?limit=2', { merchant });
    expect(page.body.has_more).toBe(true);
    const rest = await fx.call('GET', `/internal/v1/events?limit=2&starting_after=${page.body.data[1].id}`, {
      merchant,
    });
    expect(rest.body).toMatchObject({ has_more: false, data: [{ type: 'payment_intent.created' }] });

    expect(
      (await fx.call('GET', `/internal/v1/events/${all.data[0].id}`, { merchant: newMerchant() })).status,
    ).toBe(404);
    expect(
      (await fx.call('GET', '/internal/v1/events?starting_after=evt_unknown', { merchant })).status,
    ).toBe(400);
    expect(
      (await fx.call('GET', '/internal/v1/events?type=payment_intent.captured', { merchant })).status,
    ).toBe(400);
  });

  it('refuses private, link-local and metadata addresses even where insecure URLs are allowed', async () => {
    const merchant = newMerchant();
    for (const url of [
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[fd00::1]/hook',
      'http://192.168.1.1/',
    ]) {
      const answer = await fx.call('POST', '/internal/v1/webhook_endpoints', {
        merchant,
        body: { url, enabled_events: ['*'] },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe('url');
    }
  });
});
