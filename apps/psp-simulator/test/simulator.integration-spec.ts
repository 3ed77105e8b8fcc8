import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { hmacValidator } from '@adyen/api-library';
import Stripe from 'stripe';
import { waitFor } from '@payflow/platform/testing';
import { simulatorConfigFrom, startSimulator } from '../src/simulator-app';
import { WebhookSink } from './webhook-sink';

const STRIPE_SECRET = 'whsec_simulator_integration';
const ADYEN_KEY = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';

/** The simulator's own behaviour over HTTP: wire formats, admin API, and webhook delivery faults. */
describe('PSP simulator', () => {
  let sink: WebhookSink;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    sink = new WebhookSink();
    const sinkUrl = await sink.start();
    app = await startSimulator(
      simulatorConfigFrom({
        PSP_SIMULATOR_PORT: '0',
        LOG_LEVEL: 'silent',
        STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
        ADYEN_HMAC_KEY: ADYEN_KEY,
        SIMULATOR_WEBHOOK_URL_STRIPE: `${sinkUrl}/webhooks/stripe`,
        SIMULATOR_WEBHOOK_URL_ADYEN: `${sinkUrl}/webhooks/adyen`,
        SIMULATOR_WEBHOOK_DELAY_MS: '5',
        SIMULATOR_WEBHOOK_RETRY_BASE_MS: '20',
        SIMULATOR_WEBHOOK_RETRY_MAX_DELAY_MS: '200',
        // Retries stop 1.5 s after the first attempt (3 days outside tests).
        SIMULATOR_WEBHOOK_RETRY_SPAN_MS: '1500',
        SIMULATOR_WEBHOOK_REORDER_HOLD_MS: '3000',
      }),
    );
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await sink?.stop();
  });

  beforeEach(async () => {
    sink.answer = () => 200;
    await fetch(`${base}/_simulator/faults/stripe`, { method: 'DELETE' });
    await fetch(`${base}/_simulator/faults/adyen`, { method: 'DELETE' });
  });

  function stripePost(path: string, form: Record<string, string>, key?: string): Promise<Response> {
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer sk_test_sim',
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(key ? { 'Idempotency-Key': key } : {}),
      },
      body: new URLSearchParams(form).toString(),
    });
  }

  function authorizeForm(metadata = 'att_1'): Record<string, string> {
    return {
      amount: '1000',
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: 'true',
      capture_method: 'manual',
      'metadata[payflow_attempt_id]': metadata,
    };
  }

  /** Verified Stripe events about one PayFlow attempt (earlier tests' late webhooks are ignored). */
  function stripeEvents(attemptId: string): Stripe.Event[] {
    return sink.received
      .filter((w) => w.path === '/webhooks/stripe' && w.body.includes(`"${attemptId}"`))
      .map((w) =>
        Stripe.webhooks.constructEvent(w.body, String(w.headers['stripe-signature']), STRIPE_SECRET),
      );
  }

  function deliveriesOf(attemptId: string) {
    return sink.received.filter((w) => w.body.includes(`"${attemptId}"`));
  }

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready' });
  });

  it('speaks Stripe’s form encoding, metadata and error shapes', async () => {
    const created = await stripePost('/v1/payment_intents', authorizeForm('att_wire'));
    expect(created.status).toBe(200);
    expect(created.headers.get('request-id')).toMatch(/^req_/);
    const intent = (await created.json()) as {
      id: string;
      status: string;
      metadata: Record<string, string>;
      amount_capturable: number;
    };
    expect(intent).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 1000,
      metadata: { payflow_attempt_id: 'att_wire' },
    });

    const missing = await fetch(`${base}/v1/payment_intents/pi_nope`, {
      headers: { Authorization: 'Bearer sk_test_sim' },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'resource_missing' },
    });

    const anonymous = await fetch(`${base}/v1/payment_intents/${intent.id}`);
    expect(anonymous.status).toBe(401);

    // What the PSP holds, as the chaos harness reads it.
    const held = (await (await fetch(`${base}/_simulator/inspection/payments`)).json()) as {
      payments: { psp_reference: string }[];
    };
    expect(held.payments.find((payment) => payment.psp_reference === intent.id)).toMatchObject({
      provider: 'stripe',
      attempt_id: 'att_wire',
      amount: 1000,
      authorized: true,
      captured: 0,
      canceled: false,
    });

    const declined = await stripePost('/v1/payment_intents', {
      ...authorizeForm(),
      payment_method: 'pm_card_chargeDeclinedLostCard',
    });
    expect(declined.status).toBe(402);
    expect(await declined.json()).toMatchObject({
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'lost_card',
        payment_intent: { status: 'requires_payment_method' },
      },
    });
  });

  it('replays a key’s first answer, marks the replay, and refuses the key with other parameters', async () => {
    const first = await stripePost('/v1/payment_intents', authorizeForm('att_idem'), 'key-idem');
    const again = await stripePost('/v1/payment_intents', authorizeForm('att_idem'), 'key-idem');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    const other = await stripePost(
      '/v1/payment_intents',
      { ...authorizeForm('att_idem'), amount: '2000' },
      'key-idem',
    );
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: { type: 'idempotency_error' } });
    expect(
      await (await fetch(`${base}/_simulator/charges?key=key-idem&provider=stripe`)).json(),
    ).toMatchObject({ charges: 1, replays: 1 });
    expect(await (await fetch(`${base}/_simulator/charges?reference=att_idem`)).json()).toMatchObject({
      charges: 1,
    });
  });

  it('records off-session payments in its inspection: Stripe off_session (with confirm only), Adyen ContAuth / Subscription', async () => {
    const heldPayment = async (reference: string) => {
      const held = (await (await fetch(`${base}/_simulator/inspection/payments`)).json()) as {
        payments: { psp_reference: string }[];
      };
      return held.payments.find((payment) => payment.psp_reference === reference);
    };
    // two steps, as the connector does: created unconfirmed, confirmed off-session
    const { confirm: _confirm, ...unconfirmed } = authorizeForm('att_off');
    const prepared = (await (
      await stripePost('/v1/payment_intents', {
        ...unconfirmed,
        capture_method: 'automatic',
        confirm: 'false',
      })
    ).json()) as { id: string };
    const confirmed = await stripePost(`/v1/payment_intents/${prepared.id}/confirm`, { off_session: 'true' });
    expect(confirmed.status).toBe(200);
    expect(await heldPayment(prepared.id)).toMatchObject({ off_session: true, shopper_interaction: null });
    // the customer's own payment, and off_session without confirm refused as Stripe does
    const onSession = (await (await stripePost('/v1/payment_intents', authorizeForm('att_on'))).json()) as {
      id: string;
    };
    expect(await heldPayment(onSession.id)).toMatchObject({ off_session: false });
    const refused = await stripePost('/v1/payment_intents', { ...unconfirmed, off_session: 'true' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { param: 'off_session' } });

    const pay = await fetch(`${base}/checkout/v72/payments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': 'adyen-key' },
      body: JSON.stringify({
        merchantAccount: 'M',
        amount: { value: 700, currency: 'EUR' },
        reference: 'pi_off:att_adyen_off',
        paymentMethod: { type: 'scheme', storedPaymentMethodId: 'pm_card_visa' },
        shopperInteraction: 'ContAuth',
        recurringProcessingModel: 'Subscription',
        captureDelayHours: 0,
      }),
    });
    const payment = (await pay.json()) as { pspReference: string };
    expect(await heldPayment(payment.pspReference)).toMatchObject({
      off_session: null,
      shopper_interaction: 'ContAuth',
      recurring_processing_model: 'Subscription',
    });
  });

  it('speaks Adyen Checkout: received modifications, error shapes, API key', async () => {
    const headers = { 'Content-Type': 'application/json', 'X-API-Key': 'adyen-key' };
    const pay = await fetch(`${base}/checkout/v72/payments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        merchantAccount: 'M',
        amount: { value: 500, currency: 'EUR' },
        reference: 'att_a',
        paymentMethod: { type: 'scheme', storedPaymentMethodId: 'pm_card_visa' },
        additionalData: { manualCapture: 'true' },
      }),
    });
    const payment = (await pay.json()) as { pspReference: string; resultCode: string };
    expect(payment.resultCode).toBe('Authorised');
    const capture = await fetch(`${base}/checkout/v72/payments/${payment.pspReference}/captures`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        merchantAccount: 'M',
        amount: { value: 500, currency: 'EUR' },
        reference: 'att_c',
      }),
    });
    expect(capture.status).toBe(201);
    expect(await capture.json()).toMatchObject({
      status: 'received',
      paymentPspReference: payment.pspReference,
    });
    const unknown = await fetch(`${base}/checkout/v72/payments/NOPE/refunds`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ merchantAccount: 'M', amount: { value: 1, currency: 'EUR' } }),
    });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ status: 422, errorCode: '167', errorType: 'validation' });
    expect(
      (
        await fetch(`${base}/checkout/v72/payments`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);

    const items = await waitFor(
      () => {
        const found = sink.received
          .filter((w) => w.path === '/webhooks/adyen' && /"att_[ac]"/.test(w.body))
          .map((w) => JSON.parse(w.body).notificationItems[0].NotificationRequestItem);
        return found.length >= 2 ? found : undefined;
      },
      { what: 'AUTHORISATION and CAPTURE' },
    );
    for (const item of items) expect(new hmacValidator().validateHMAC(item, ADYEN_KEY)).toBe(true);
    expect(items.map((item) => item.eventCode).sort()).toEqual(['AUTHORISATION', 'CAPTURE']);
  });

  it('serves Adyen at the test-URL shape too (/v72/… without /checkout), leaving Stripe’s /v1 alone', async () => {
    const headers = { 'Content-Type': 'application/json', 'X-API-Key': 'adyen-key' };
    const pay = await fetch(`${base}/v72/payments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        merchantAccount: 'M',
        amount: { value: 100, currency: 'EUR' },
        reference: 'att_root',
        paymentMethod: { type: 'scheme', storedPaymentMethodId: 'pm_card_visa' },
      }),
    });
    expect(await pay.json()).toMatchObject({ resultCode: 'Authorised', merchantReference: 'att_root' });
    expect((await stripePost('/v1/payment_intents', authorizeForm('att_root_stripe'))).status).toBe(200);
  });

  it('retries a failed webhook delivery with backoff until it is accepted', async () => {
    sink.answer = (_body, earlier) => (earlier < 2 ? 503 : 200);
    await stripePost('/v1/payment_intents', authorizeForm('att_retry'));
    await waitFor(() => deliveriesOf('att_retry').some((w) => w.status === 200), {
      what: 'accepted delivery',
    });
    expect(deliveriesOf('att_retry').map((w) => w.status)).toEqual([503, 503, 200]);
    expect(new Set(deliveriesOf('att_retry').map((w) => JSON.parse(w.body).id)).size).toBe(1);
    const stats = (await (await fetch(`${base}/_simulator/stats`)).json()) as {
      stripe: { webhooks: { failedAttempts: number } };
    };
    expect(stats.stripe.webhooks.failedAttempts).toBeGreaterThanOrEqual(2);
  });

  it('drops a webhook only once its retry span is over, after many attempts', async () => {
    sink.answer = () => 500;
    const dropped = async () =>
      (
        (await (await fetch(`${base}/_simulator/stats`)).json()) as {
          stripe: { webhooks: { dropped: number } };
        }
      ).stripe.webhooks.dropped;
    const pending = async () =>
      ((await (await fetch(`${base}/_simulator/webhooks/pending`)).json()) as { pending: number }).pending;
    const before = await dropped();
    const sentAt = Date.now();
    await stripePost('/v1/payment_intents', authorizeForm('att_drop'));
    // Earlier tests' webhooks may be dropped meanwhile too: wait until nothing is owed any more.
    await waitFor(async () => (await dropped()) > before && (await pending()) === 0, {
      what: 'dropped webhook',
    });
    // Not after five quick tries: retried (jittered, capped at 200 ms) until the 1.5 s span ran out.
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1_500);
    expect(deliveriesOf('att_drop').length).toBeGreaterThan(5);
  });

  it('duplicates webhooks only when injected', async () => {
    await fetch(`${base}/_simulator/faults/stripe`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ webhook_duplicate: 1 }),
    });
    await stripePost('/v1/payment_intents', authorizeForm('att_dup'));
    const events = await waitFor(
      () => (stripeEvents('att_dup').length >= 2 ? stripeEvents('att_dup') : undefined),
      { what: 'duplicate delivery' },
    );
    expect(events[0]?.id).toBe(events[1]?.id);
  });

  it('reorders webhooks only when injected', async () => {
    await fetch(`${base}/_simulator/faults/stripe`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ spec: 'webhook_reorder=1' }),
    });
    const intent = (await (await stripePost('/v1/payment_intents', authorizeForm('att_order'))).json()) as {
      id: string;
    };
    await stripePost(`/v1/payment_intents/${intent.id}/capture`, {});
    const events = await waitFor(
      () => (stripeEvents('att_order').length >= 2 ? stripeEvents('att_order') : undefined),
      { what: 'both events' },
    );
    expect(events.map((e) => e.type)).toEqual([
      'payment_intent.succeeded',
      'payment_intent.amount_capturable_updated',
    ]);
  });

  it('configures faults through the admin API and refuses malformed ones', async () => {
    const set = await fetch(`${base}/_simulator/faults/adyen`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ latency_ms: 5, rate_limit: 0.5 }),
    });
    expect(await set.json()).toEqual({ spec: { latency_ms: 5, rate_limit: 0.5 }, injected: 0 });
    const bad = await fetch(`${base}/_simulator/faults/adyen`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rate_limit: 5 }),
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${base}/_simulator/faults/paypal`, { method: 'DELETE' })).status).toBe(404);
    expect(await (await fetch(`${base}/_simulator/faults`)).json()).toMatchObject({
      adyen: { spec: { rate_limit: 0.5 } },
      stripe: { spec: {} },
    });
  });

  it('shuts down promptly while an injected timeout holds an answer', async () => {
    const held = await startSimulator(
      simulatorConfigFrom({
        PSP_SIMULATOR_PORT: '0',
        LOG_LEVEL: 'silent',
        SIMULATOR_WEBHOOKS_ENABLED: 'false',
        SIMULATOR_FAULTS_STRIPE: 'timeout=1',
        SIMULATOR_TIMEOUT_HOLD_MS: '60000',
      }),
    );
    const url = `http://127.0.0.1:${(held.getHttpServer().address() as AddressInfo).port}`;
    const hanging = fetch(`${url}/v1/payment_intents`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_sim', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(authorizeForm('att_hold')).toString(),
    });
    await waitFor(
      async () =>
        ((await (await fetch(`${url}/_simulator/faults`)).json()) as { stripe: { injected: number } }).stripe
          .injected === 1,
      { what: 'held request' },
    );
    const started = Date.now();
    await held.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    // The held answer was released (late, as a timeout would have it), not lost.
    expect((await hanging).status).toBe(200);
  });
});
