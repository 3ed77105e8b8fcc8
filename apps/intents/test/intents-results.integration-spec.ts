import { register } from 'prom-client';
import { Pool } from 'pg';
import { validateEvent } from '@payflow/contracts';
import { adminDatabaseUrl, waitFor } from '@payflow/platform/testing';
import { IntentChangeListener } from '../src/sync-wait/intent-change-listener';
import { IntentsFixture, newMerchant } from './intents-fixture';

/** How many results of `type` the consumer found not applicable yet (and so retried). */
async function notYetCount(): Promise<number> {
  const metric = register.getSingleMetric('intents_results_total');
  const values = (await metric?.get())?.values ?? [];
  return values.filter((v) => v.labels['outcome'] === 'not_yet').reduce((sum, v) => sum + v.value, 0);
}

describe('intents: orchestrator results, sync facade and events', () => {
  const fx = new IntentsFixture();

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  describe('sync facade', () => {
    it('answers 202 authorizing when no result arrives within SYNC_WAIT_MS, and the late result still applies', async () => {
      const merchant = newMerchant();
      const intent = await fx.createIntent(merchant);
      const started = Date.now();
      const answer = await fx.post(`/${intent.id}/authorize`, merchant);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({
        id: intent.id,
        status: 'authorizing',
        payment_method: 'pm_card_visa',
      });

      await fx.publish(fx.result('payment.authorized', intent));
      await fx.waitForStatus(intent.id, 'authorized');
      expect((await fx.get(`/${intent.id}`, merchant)).body).toMatchObject({
        status: 'authorized',
        provider: 'stripe',
        amount_capturable: 10_000,
      });
    });

    it('answers 200 with the resulting state when the result is applied while the request waits', async () => {
      const merchant = newMerchant();
      const intent = await fx.createIntent(merchant);
      const pending = fx.post(`/${intent.id}/authorize`, merchant);
      await fx.waitForStatus(intent.id, 'authorizing');
      await fx.applyThroughConsumer(fx.result('payment.authorized', intent));
      const answer = await pending;
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        status: 'authorized',
        amount_capturable: 10_000,
        provider: 'stripe',
      });

      // capture and cancel wait the same way
      const capture = fx.post(`/${intent.id}/capture`, merchant, { amount: 6_000 });
      await fx.waitForStatus(intent.id, 'capturing');
      await fx.applyThroughConsumer(fx.result('payment.captured', intent, { amount: 6_000 }));
      expect(await capture).toMatchObject({
        status: 200,
        body: { status: 'captured', amount_received: 6_000, amount_capturable: 0 },
      });

      const other = await fx.authorized(merchant);
      const cancel = fx.post(`/${other.id}/cancel`, merchant, { reason: 'requested_by_customer' });
      await fx.waitForStatus(other.id, 'canceling');
      await fx.applyThroughConsumer(fx.result('payment.canceled', other));
      expect(await cancel).toMatchObject({ status: 200, body: { status: 'canceled', amount_capturable: 0 } });
    });

    it('keeps answering after its LISTEN session is cut: it reconnects, and never answers a stale state', async () => {
      const listener = fx.app.get(IntentChangeListener);
      const pid = listener.backendPid();
      expect(pid).not.toBeNull();
      const admin = new Pool({ connectionString: adminDatabaseUrl(), max: 1 });
      try {
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      } finally {
        await admin.end();
      }
      await waitFor(() => listener.isListening() && listener.backendPid() !== pid, {
        what: 'the LISTEN session to reconnect',
      });

      const merchant = newMerchant();
      const intent = await fx.createIntent(merchant);
      const pending = fx.post(`/${intent.id}/authorize`, merchant);
      await fx.waitForStatus(intent.id, 'authorizing');
      await fx.applyThroughConsumer(fx.result('payment.authorized', intent));
      expect(await pending).toMatchObject({ status: 200, body: { status: 'authorized' } });
    });
  });

  describe('results through Kafka', () => {
    it('runs the whole life of a manual intent and emits the catalogue events, keyed by the intent id', async () => {
      const merchant = newMerchant();
      const intent = await fx.createIntent(merchant, { amount: 10_000, currency: 'usd' });
      await fx.authorize(intent, fx.result('payment.authorized', intent, { provider: 'adyen' }));
      await fx.waitForStatus(intent.id, 'authorized');

      const fees = JSON.stringify({ fee_bps: 250, fee_fixed: { USD: 25 } });
      const capture = fx.post(
        `/${intent.id}/capture`,
        merchant,
        { amount: 8_000 },
        { 'x-merchant-fee-schedule': fees },
      );
      await fx.waitForStatus(intent.id, 'capturing');
      await fx.publish(fx.result('payment.captured', intent, { provider: 'adyen', amount: 8_000 }));
      await capture;
      await fx.waitForStatus(intent.id, 'captured');

      const refund = await fx.post(`/${intent.id}/refund`, merchant, {
        amount: 3_000,
        reason: 'requested_by_customer',
      });
      expect(refund.status).toBe(200);
      expect(refund.body).toEqual({
        id: expect.stringMatching(/^re_/),
        object: 'refund',
        payment_intent: intent.id,
        amount: 3_000,
        currency: 'USD',
        status: 'pending',
        reason: 'requested_by_customer',
        created: expect.any(String),
      });
      expect((await fx.get(`/${intent.id}`, merchant)).body).toMatchObject({
        status: 'captured',
        amount_refunded: 3_000,
      });
      await fx.publish(
        fx.result('payment.refunded', intent, {
          provider: 'adyen',
          amount: 3_000,
          refund_id: refund.body.id,
        }),
      );
      await fx.waitForStatus(intent.id, 'partially_refunded');

      const rest = await fx.post(`/${intent.id}/refund`, merchant); // default: what is left
      expect(rest.body.amount).toBe(5_000);
      await fx.publish(
        fx.result('payment.refunded', intent, { provider: 'adyen', amount: 5_000, refund_id: rest.body.id }),
      );
      await fx.waitForStatus(intent.id, 'refunded');

      const final = (await fx.get(`/${intent.id}`, merchant)).body;
      expect(final).toMatchObject({
        status: 'refunded',
        provider: 'adyen',
        amount_received: 8_000,
        amount_refunded: 8_000,
        amount_capturable: 0,
      });
      const refunds = await fx.get(`/${intent.id}/refunds`, merchant);
      expect(refunds.body).toMatchObject({ object: 'list', has_more: false });
      expect(refunds.body.data.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
        [rest.body.id, 'succeeded'],
        [refund.body.id, 'succeeded'],
      ]);

      expect(
        (await fx.history(intent.id)).map((h) => `${h.from_status ?? '∅'}→${h.to_status}:${h.trigger}`),
      ).toEqual([
        '∅→created:create',
        'created→authorizing:authorize',
        'authorizing→authorized:authorization_succeeded',
        'authorized→capturing:capture',
        'capturing→captured:capture_succeeded',
        'captured→captured:refund',
        'captured→partially_refunded:refund_succeeded',
        'partially_refunded→partially_refunded:refund',
        'partially_refunded→refunded:refund_succeeded',
      ]);

      const events = await fx.outbox(intent.id);
      expect(events.map((e) => e.type)).toEqual([
        'payment_intent.created',
        'payment_intent.authorization_requested',
        'payment_intent.authorized',
        'payment_intent.capture_requested',
        'payment_intent.captured',
        'refund.requested',
        'refund.succeeded',
        'refund.requested',
        'refund.succeeded',
      ]);
      for (const { key, event } of events) {
        expect(key).toBe(intent.id);
        expect(validateEvent(event)).toMatchObject({ ok: true });
      }
      const data = (type: string) => events.find((e) => e.type === type)!.event.data;
      expect(data('payment_intent.authorization_requested')).toMatchObject({
        payment_method: 'pm_card_visa',
        capture_method: 'manual',
        attempt_no: 1,
      });
      expect(data('payment_intent.authorized')).toMatchObject({
        provider: 'adyen',
        amount_authorized: 10_000,
        intent: { status: 'authorized' },
      });
      expect(data('payment_intent.capture_requested')).toMatchObject({
        provider: 'adyen',
        amount: 8_000,
        intent: { status: 'capturing' },
      });
      expect(data('payment_intent.captured')).toMatchObject({
        provider: 'adyen',
        amount_captured: 8_000,
        fee_bps: 250,
        fee_fixed: 25,
        intent: { status: 'captured', amount_received: 8_000 },
      });
      expect(data('refund.requested')).toMatchObject({
        provider: 'adyen',
        amount: 3_000,
        refund: { status: 'pending' },
      });
      expect(events[events.length - 1].event.data).toMatchObject({
        amount: 5_000,
        refund: { status: 'succeeded' },
      });
      // aggregate versions increase per intent
      const versions = events
        .filter((e) => e.type.startsWith('payment_intent.'))
        .map((e) => e.event.aggregate_version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);
    });

    it('applies a result delivered twice once, and ignores a second result for a state already reached', async () => {
      const merchant = newMerchant();
      const intent = await fx.createIntent(merchant);
      const authorized = fx.result('payment.authorized', intent);
      const pending = fx.post(`/${intent.id}/authorize`, merchant);
      await fx.waitForStatus(intent.id, 'authorizing');
      await fx.publish(authorized, authorized); // the same event twice, as Kafka may redeliver
      await fx.publish(fx.result('payment.authorized', intent)); // another event, same outcome
      await pending;
      await fx.waitForStatus(intent.id, 'authorized');
      // A later event on the same partition (same key) is consumed only after the three before it.
      const probe = fx.result('payment.capture_failed', intent, { code: 'probe' });
      await fx.publish(probe);
      await waitFor(async () => (await fx.count(`inbox WHERE event_id = $1`, [probe.id])) === 1, {
        what: 'the probe to be consumed',
      });
      expect(await fx.count(`inbox WHERE event_id = $1`, [authorized.id])).toBe(1);

      expect(
        (await fx.history(intent.id)).filter((h) => h.trigger === 'authorization_succeeded'),
      ).toHaveLength(1);
      expect((await fx.outbox(intent.id)).filter((e) => e.type === 'payment_intent.authorized')).toHaveLength(
        1,
      );
      expect(await fx.status(intent.id)).toBe('authorized'); // capture_failed does not apply to a manual authorized intent
    });

    it('applies a result that arrives before the request committed, once the request is in', async () => {
      const merchant = newMerchant();
      const intent = await fx.createIntent(merchant);
      const before = await notYetCount();
      await fx.publish(fx.result('payment.authorized', intent));
      await waitFor(async () => (await notYetCount()) > before, {
        what: 'the consumer to see the result too early',
      });
      expect(await fx.status(intent.id)).toBe('created');

      const answer = await fx.post(`/${intent.id}/authorize`, merchant);
      expect([200, 202]).toContain(answer.status);
      await fx.waitForStatus(intent.id, 'authorized');
      expect((await fx.history(intent.id)).map((h) => h.to_status)).toEqual([
        'created',
        'authorizing',
        'authorized',
      ]);
    });

    it('a decline makes the intent failed with last_error (a 200, never a 402), and it may be authorized again', async () => {
      const merchant = newMerchant();
      const intent = await fx.createIntent(merchant, {
        payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
      });
      const pending = fx.post(`/${intent.id}/authorize`, merchant);
      await fx.waitForStatus(intent.id, 'authorizing');
      await fx.applyThroughConsumer(
        fx.result('payment.authorization_failed', intent, {
          code: 'card_declined',
          decline_code: 'insufficient_funds',
          message: 'Your card has insufficient funds.',
        }),
      );
      const declined = await pending;
      expect(declined.status).toBe(200);
      expect(declined.body).toMatchObject({
        status: 'failed',
        provider: 'stripe',
        amount_capturable: 0,
        last_error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'insufficient_funds',
          message: 'Your card has insufficient funds.',
        },
      });
      const failedEvent = (await fx.outbox(intent.id)).find(
        (e) => e.type === 'payment_intent.authorization_failed',
      )!.event;
      expect(failedEvent.data).toMatchObject({
        provider: 'stripe',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
      });

      const retry = fx.post(`/${intent.id}/authorize`, merchant, { payment_method: 'pm_card_visa' });
      await fx.waitForStatus(intent.id, 'authorizing');
      await fx.applyThroughConsumer(fx.result('payment.authorized', intent));
      expect(await retry).toMatchObject({
        status: 200,
        body: { status: 'authorized', last_error: null, payment_method: 'pm_card_visa' },
      });
      const requests = (await fx.outbox(intent.id)).filter(
        (e) => e.type === 'payment_intent.authorization_requested',
      );
      expect(requests.map((e) => e.event.data.attempt_no)).toEqual([1, 2]);
    });

    it('capture_method automatic: authorize answers captured once payment.captured follows, with the fee stamped at authorize', async () => {
      const merchant = newMerchant();
      const intent = await fx.createIntent(merchant, {
        capture_method: 'automatic',
        currency: 'jpy',
        amount: 5_000,
      });
      const pending = fx.post(
        `/${intent.id}/authorize`,
        merchant,
        {},
        { 'x-merchant-fee-schedule': '{"fee_bps":300}' },
      );
      await fx.waitForStatus(intent.id, 'authorizing');
      await fx.applyThroughConsumer(fx.result('payment.authorized', intent));
      await fx.applyThroughConsumer(fx.result('payment.captured', intent));
      const answer = await pending;
      expect(answer).toMatchObject({
        status: 200,
        body: { status: 'captured', amount_received: 5_000, amount_capturable: 0 },
      });
      const captured = (await fx.outbox(intent.id)).find((e) => e.type === 'payment_intent.captured')!.event
        .data;
      expect(captured).toMatchObject({ amount_captured: 5_000, fee_bps: 300, fee_fixed: 0 });

      // and straight from authorizing when the orchestrator reports only the capture
      const direct = await fx.createIntent(merchant, { capture_method: 'automatic' });
      const answer2 = fx.post(`/${direct.id}/authorize`, merchant);
      await fx.waitForStatus(direct.id, 'authorizing');
      await fx.applyThroughConsumer(fx.result('payment.captured', direct));
      expect(await answer2).toMatchObject({
        status: 200,
        body: { status: 'captured', amount_received: 10_000 },
      });
      const directCaptured = (await fx.outbox(direct.id)).find((e) => e.type === 'payment_intent.captured')!
        .event.data;
      expect(directCaptured).toMatchObject({ fee_bps: 290, fee_fixed: 30 }); // no header: the platform default
    });

    it('a failed capture returns to authorized with last_error; a failed void too; a failed refund releases its amount', async () => {
      const merchant = newMerchant();
      const intent = await fx.authorized(merchant);
      const capture = fx.post(`/${intent.id}/capture`, merchant);
      await fx.waitForStatus(intent.id, 'capturing');
      await fx.applyThroughConsumer(
        fx.result('payment.capture_failed', intent, { code: 'processing_error', message: 'PSP unavailable' }),
      );
      expect(await capture).toMatchObject({
        status: 200,
        body: {
          status: 'authorized',
          amount_capturable: 10_000,
          last_error: { type: 'api_error', code: 'processing_error' },
        },
      });

      const cancel = fx.post(`/${intent.id}/cancel`, merchant);
      await fx.waitForStatus(intent.id, 'canceling');
      await fx.applyThroughConsumer(fx.result('payment.cancel_failed', intent, { code: 'void_failed' }));
      expect(await cancel).toMatchObject({
        status: 200,
        body: { status: 'authorized', last_error: { code: 'void_failed' } },
      });

      const captured = await fx.captured(merchant);
      const refund = await fx.post(`/${captured.id}/refund`, merchant, { amount: 4_000 });
      await fx.applyThroughConsumer(
        fx.result('payment.refund_failed', captured, { amount: 4_000, refund_id: refund.body.id }),
      );
      expect((await fx.get(`/${captured.id}`, merchant)).body).toMatchObject({
        status: 'captured',
        amount_refunded: 0,
      });
      expect((await fx.get(`/${captured.id}/refunds`, merchant)).body.data[0]).toMatchObject({
        id: refund.body.id,
        status: 'failed',
      });
      const types = (await fx.outbox(captured.id)).map((e) => e.type);
      expect(types.slice(-2)).toEqual(['refund.requested', 'refund.failed']);
    });
  });
});
