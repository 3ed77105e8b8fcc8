import './support/cockatiel-for-jest'; // first: the app under test loads cockatiel
import { waitFor } from '@payflow/platform/testing';
import { OrchestratorFixture, newMerchant, type ResultRow } from './orchestrator-fixture';

const types = (results: ResultRow[]) => results.map((r) => r.type);

describe('orchestrator: payments through the PSP simulator', () => {
  const fx = new OrchestratorFixture();

  beforeAll(() => fx.start({ BREAKER_STRIPE_THRESHOLD: '50', BREAKER_ADYEN_THRESHOLD: '50' }));
  afterAll(() => fx.stop());

  describe('on Stripe (the default route)', () => {
    it('authorizes, captures and refunds, publishing one result per step keyed by the intent id', async () => {
      const merchant = newMerchant();
      const intent = fx.intent(merchant, { amount: 12_000, currency: 'EUR' });
      const request = await fx.requestAuthorization(intent);

      const authorized = await fx.waitForResult(intent.id, 'payment.authorized');
      expect(authorized.key).toBe(intent.id);
      expect(authorized.event).toMatchObject({
        source: 'orchestrator',
        aggregate_type: 'attempt',
        merchant_id: merchant,
        causation_id: request.id,
        correlation_id: `corr_${intent.id}`,
        data: { intent_id: intent.id, provider: 'stripe', amount: 12_000, currency: 'EUR', code: null },
      });
      const pspReference = authorized.event.data.psp_reference;
      expect(pspReference).toMatch(/^pi_/);
      const [authorization] = await fx.attempts(intent.id);
      expect(authorization).toMatchObject({
        operation: 'authorize',
        provider: 'stripe',
        status: 'succeeded',
        try_no: 1,
      });
      expect(authorization.idempotency_key).toBe(`payflow_${authorization.id}_authorize`);
      expect(authorized.event.data.attempt_id).toBe(authorization.id);

      await fx.requestCapture(intent, 'stripe', 9_000);
      const captured = await fx.waitForResult(intent.id, 'payment.captured');
      expect(captured.event.data).toMatchObject({
        provider: 'stripe',
        psp_reference: pspReference,
        amount: 9_000,
      });

      const refund = await fx.requestRefund(intent, 'stripe', 4_000);
      const refunded = await fx.waitForResult(intent.id, 'payment.refunded');
      expect(refunded.event.data).toMatchObject({
        provider: 'stripe',
        refund_id: refund.data.refund.id,
        amount: 4_000,
        psp_reference: pspReference,
      });

      expect(types(await fx.results(intent.id))).toEqual([
        'payment.authorized',
        'payment.captured',
        'payment.refunded',
      ]);
      const attempts = await fx.attempts(intent.id);
      expect(attempts.map((a) => [a.operation, a.provider, a.psp_reference, a.status])).toEqual([
        ['authorize', 'stripe', pspReference, 'succeeded'],
        ['capture', 'stripe', pspReference, 'succeeded'],
        ['refund', 'stripe', pspReference, 'succeeded'],
      ]);
      // One execution per idempotency key at the PSP.
      for (const attempt of attempts)
        expect((await fx.charges('stripe', attempt.idempotency_key)).charges).toBe(1);
    });

    it('reports a decline as authorization_failed with the code, decline code and message, without retrying', async () => {
      const intent = fx.intent(newMerchant(), { payment_method: 'pm_card_chargeDeclined' });
      await fx.requestAuthorization(intent);
      const failed = await fx.waitForResult(intent.id, 'payment.authorization_failed');
      expect(failed.event.data).toMatchObject({
        provider: 'stripe',
        code: 'card_declined',
        decline_code: 'generic_decline',
      });
      expect(failed.event.data.message).toEqual(expect.any(String));
      const [attempt] = await fx.attempts(intent.id);
      expect(attempt).toMatchObject({ status: 'declined', try_no: 1, route_index: 0 });

      const lost = fx.intent(newMerchant(), { payment_method: 'pm_card_chargeDeclinedLostCard' });
      await fx.requestAuthorization(lost);
      expect((await fx.waitForResult(lost.id, 'payment.authorization_failed')).event.data).toMatchObject({
        code: 'lost_card',
      });
      expect(await fx.attempts(lost.id)).toHaveLength(1); // a decline never fails over
    });

    it('with automatic capture, reports the authorization and the capture', async () => {
      const intent = fx.intent(newMerchant(), { capture_method: 'automatic', amount: 5_000 });
      await fx.requestAuthorization(intent, { captureMethod: 'automatic' });
      await fx.waitForResult(intent.id, 'payment.captured');
      const results = await fx.results(intent.id);
      expect(types(results)).toEqual(['payment.authorized', 'payment.captured']);
      expect(results[1].event.data).toMatchObject({ amount: 5_000, provider: 'stripe' });
      expect(results[1].event.aggregate_version).toBeGreaterThan(results[0].event.aggregate_version);

      // Stripe's `payment_intent.succeeded` webhook for it then changes nothing.
      const succeeded = await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'capture');
      await fx.publishNotification(intent.merchant_id, succeeded);
      await waitForNotificationDecided(fx, intent.id, 'capture');
      expect(types(await fx.results(intent.id))).toEqual(['payment.authorized', 'payment.captured']);
    });

    it('cancels an authorization at the PSP holding it', async () => {
      const intent = fx.intent(newMerchant());
      await fx.requestAuthorization(intent);
      await fx.waitForResult(intent.id, 'payment.authorized');
      await fx.requestCancel(intent, 'stripe');
      const canceled = await fx.waitForResult(intent.id, 'payment.canceled');
      expect(canceled.event.data).toMatchObject({ provider: 'stripe', amount: intent.amount });
    });

    it('treats a redelivered request (same event) as one attempt', async () => {
      const intent = fx.intent(newMerchant());
      const request = await fx.requestAuthorization(intent);
      await fx.waitForResult(intent.id, 'payment.authorized');
      await fx.publish('payflow.intents.v1', intent.id, request);
      // A second authorize of the same intent (attempt_no 1 again, another event) is recognized too.
      const again = await fx.requestAuthorization(intent, { attemptNo: 1 });
      await fx.waitForAttempt(intent.id, () => true, 'attempt');
      const marker = fx.intent(intent.merchant_id);
      await fx.requestAuthorization(marker);
      await fx.waitForResult(marker.id, 'payment.authorized'); // everything published before it was consumed
      expect(again.id).not.toBe(request.id);
      expect(await fx.attempts(intent.id)).toHaveLength(1);
      expect(types(await fx.results(intent.id))).toEqual(['payment.authorized']);
    });

    it('fails an authorization no PSP can take at once, naming no provider', async () => {
      const intent = fx.intent(newMerchant(), { currency: 'KPW', amount: 1_000 });
      await fx.requestAuthorization(intent);
      const failed = await fx.waitForResult(intent.id, 'payment.authorization_failed');
      expect(failed.event.data).toMatchObject({ provider: null, code: 'no_eligible_provider' });
    });
  });

  describe('on Adyen (a merchant rule), settled by its webhooks', () => {
    it('routes by the rule, and settles capture and refund when the notifications arrive', async () => {
      const merchant = newMerchant();
      await fx.routingRule(merchant, { providers: ['adyen', 'stripe'], currency: 'EUR' });
      const intent = fx.intent(merchant, { currency: 'EUR', amount: 20_000 });
      await fx.requestAuthorization(intent);
      const authorized = await fx.waitForResult(intent.id, 'payment.authorized');
      expect(authorized.event.data).toMatchObject({ provider: 'adyen', amount: 20_000 });

      await fx.requestCapture(intent, 'adyen', 20_000);
      const capture = await fx.waitForAttempt(
        intent.id,
        (a) => a.operation === 'capture' && a.awaiting_notification_since !== null,
        'capture accepted',
      );
      expect(capture.status).toBe('pending');
      expect(types(await fx.results(intent.id))).toEqual(['payment.authorized']); // Adyen answered `received` only

      const captureNotification = await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'capture');
      expect(captureNotification.attempt_id).toBe(capture.id);
      await fx.publishNotification(merchant, captureNotification);
      const captured = await fx.waitForResult(intent.id, 'payment.captured');
      expect(captured.event.data).toMatchObject({
        provider: 'adyen',
        amount: 20_000,
        attempt_id: capture.id,
      });

      const refund = await fx.requestRefund(intent, 'adyen', 7_500);
      await fx.waitForAttempt(
        intent.id,
        (a) => a.operation === 'refund' && a.awaiting_notification_since !== null,
        'refund accepted',
      );
      await fx.publishNotification(
        merchant,
        await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'refund'),
      );
      const refunded = await fx.waitForResult(intent.id, 'payment.refunded');
      expect(refunded.event.data).toMatchObject({
        refund_id: refund.data.refund.id,
        amount: 7_500,
        provider: 'adyen',
      });
      expect(types(await fx.results(intent.id))).toEqual([
        'payment.authorized',
        'payment.captured',
        'payment.refunded',
      ]);
    });

    it('leaves the same final state whether notifications come in order, reordered or twice', async () => {
      /** Runs authorize (API answer) → capture (webhook) and returns the notifications it got. */
      const scenario = async () => {
        const merchant = newMerchant();
        await fx.routingRule(merchant, { providers: ['adyen'] });
        const intent = fx.intent(merchant, { currency: 'EUR' });
        await fx.requestAuthorization(intent);
        await fx.waitForResult(intent.id, 'payment.authorized');
        await fx.requestCapture(intent, 'adyen');
        await fx.waitForAttempt(
          intent.id,
          (a) => a.operation === 'capture' && a.awaiting_notification_since !== null,
          'capture accepted',
        );
        const authorization = await fx.simulatorNotification(
          intent.id,
          (n) => n.data.kind === 'authorization',
        );
        const capture = await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'capture');
        return { merchant, intent, authorization, capture };
      };
      const finalState = async (intentId: string) => ({
        attempts: (await fx.attempts(intentId)).map((a) => [a.operation, a.status]),
        results: types(await fx.results(intentId)),
      });

      const clean = await scenario();
      await fx.publishNotification(clean.merchant, clean.authorization);
      await fx.publishNotification(clean.merchant, clean.capture);
      await fx.waitForResult(clean.intent.id, 'payment.captured');
      await waitForNotificationDecided(fx, clean.intent.id, 'authorization');

      const messy = await scenario();
      for (const n of [
        messy.capture,
        messy.capture,
        messy.authorization,
        messy.capture,
        messy.authorization,
      ]) {
        await fx.publishNotification(messy.merchant, n);
      }
      await fx.waitForResult(messy.intent.id, 'payment.captured');
      await waitForNotificationDecided(fx, messy.intent.id, 'authorization');

      const expected = {
        attempts: [
          ['authorize', 'succeeded'],
          ['capture', 'succeeded'],
        ],
        results: ['payment.authorized', 'payment.captured'],
      };
      expect(await finalState(clean.intent.id)).toEqual(expected);
      expect(await finalState(messy.intent.id)).toEqual(expected);
      // The duplicates are recorded, once each (same PSP event id), with no second effect.
      expect((await fx.notificationsOf(messy.intent.id)).map((n) => [n.kind, n.status])).toEqual([
        ['capture', 'applied'],
        ['authorization', 'ignored'],
      ]);
    });

    it('keeps a notification that arrives before its attempt, and applies it when the attempt is recorded', async () => {
      const merchant = newMerchant();
      await fx.routingRule(merchant, { providers: ['adyen'] });
      const intent = fx.intent(merchant, { currency: 'EUR' });
      await fx.requestAuthorization(intent);
      const authorized = await fx.waitForResult(intent.id, 'payment.authorized');
      const refundId = `re_early${Date.now()}`;
      // The refund's success report beats the refund request (replayed PSP traffic, a slow consumer).
      await fx.publishNotification(merchant, {
        provider: 'adyen',
        psp_event_id: `REFUND:early:${refundId}`,
        psp_reference: `REF${Date.now()}`,
        kind: 'refund',
        success: true,
        amount: 3_000,
        currency: 'EUR',
        intent_id: intent.id,
        refund_id: refundId,
      });
      await waitForNotificationStatus(fx, intent.id, 'refund', 'pending');

      await fx.requestCapture(intent, 'adyen');
      await fx.waitForAttempt(
        intent.id,
        (a) => a.operation === 'capture' && a.awaiting_notification_since !== null,
        'capture accepted',
      );
      await fx.publishNotification(
        merchant,
        await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'capture'),
      );
      await fx.waitForResult(intent.id, 'payment.captured');
      expect((await fx.notificationsOf(intent.id)).find((n) => n.kind === 'refund')?.status).toBe('pending');

      await fx.requestRefund(intent, 'adyen', 3_000, refundId);
      const refunded = await fx.waitForResult(intent.id, 'payment.refunded');
      expect(refunded.event.data).toMatchObject({
        refund_id: refundId,
        amount: 3_000,
        psp_reference: authorized.event.data.psp_reference,
      });
      await waitForNotificationStatus(fx, intent.id, 'refund', 'applied');
    });
  });

  describe('routing rules admin API', () => {
    it('creates, lists, reads, replaces and deletes rules; refuses bad input and calls without the token', async () => {
      const merchant = newMerchant();
      const rule = await fx.routingRule(merchant, {
        providers: ['stripe', 'adyen'],
        weights: [80, 20],
        currency: 'usd',
        min_amount: 100,
        card_brand: 'visa',
      });
      expect(rule).toMatchObject({
        id: expect.stringMatching(/^rr_/),
        object: 'routing_rule',
        merchant_id: merchant,
        currency: 'USD',
        enabled: true,
        weights: [80, 20],
      });

      expect((await fx.call('GET', `/internal/v1/routing-rules?merchant_id=${merchant}`)).body).toMatchObject(
        { object: 'list', data: [{ id: rule.id }] },
      );
      expect((await fx.call('GET', `/internal/v1/routing-rules/${rule.id}`)).body).toMatchObject({
        id: rule.id,
      });

      const replaced = await fx.call('POST', `/internal/v1/routing-rules/${rule.id}`, {
        merchant_id: merchant,
        priority: 2,
        providers: ['adyen'],
        enabled: false,
      });
      expect(replaced).toMatchObject({
        status: 200,
        body: { priority: 2, providers: ['adyen'], enabled: false, currency: null, weights: null },
      });

      const bad = [
        { merchant_id: merchant, priority: 1, providers: ['paypal'] },
        { merchant_id: merchant, priority: 1, providers: [] },
        { merchant_id: merchant, priority: 1, providers: ['stripe', 'stripe'] },
        { merchant_id: merchant, priority: 1, providers: ['stripe'], weights: [1, 2] },
        { merchant_id: merchant, priority: 1, providers: ['stripe'], min_amount: 500, max_amount: 100 },
        { merchant_id: merchant, priority: 1, providers: ['stripe'], currency: 'XXQ' },
        { merchant_id: 'nope', priority: 1, providers: ['stripe'] },
      ];
      for (const body of bad) {
        const answer = await fx.call('POST', '/internal/v1/routing-rules', body);
        expect(answer.status).toBe(400);
        expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param: expect.any(String) });
      }
      expect((await fx.call('GET', '/internal/v1/routing-rules', undefined, null)).status).toBe(401);

      expect((await fx.call('DELETE', `/internal/v1/routing-rules/${rule.id}`)).body).toEqual({
        id: rule.id,
        object: 'routing_rule',
        deleted: true,
      });
      expect((await fx.call('GET', `/internal/v1/routing-rules/${rule.id}`)).status).toBe(404);
    });

    it('routes by card brand and amount range as the rules say', async () => {
      const merchant = newMerchant();
      await fx.routingRule(merchant, { priority: 1, card_brand: 'mastercard', providers: ['adyen'] });
      await fx.routingRule(merchant, { priority: 2, min_amount: 50_000, providers: ['adyen'] });
      const mastercard = fx.intent(merchant, { payment_method: 'pm_card_mastercard' });
      const big = fx.intent(merchant, { amount: 60_000 });
      const small = fx.intent(merchant, { amount: 1_000 });
      for (const intent of [mastercard, big, small]) await fx.requestAuthorization(intent);
      expect((await fx.waitForResult(mastercard.id, 'payment.authorized')).event.data.provider).toBe('adyen');
      expect((await fx.waitForResult(big.id, 'payment.authorized')).event.data.provider).toBe('adyen');
      expect((await fx.waitForResult(small.id, 'payment.authorized')).event.data.provider).toBe('stripe');
    });
  });
});

async function waitForNotificationStatus(
  fx: OrchestratorFixture,
  intentId: string,
  kind: string,
  status: string,
): Promise<void> {
  await waitFor(
    async () => (await fx.notificationsOf(intentId)).some((n) => n.kind === kind && n.status === status),
    {
      what: `${kind} notification of ${intentId} to be ${status}`,
    },
  );
}

async function waitForNotificationDecided(
  fx: OrchestratorFixture,
  intentId: string,
  kind: string,
): Promise<void> {
  await waitFor(
    async () => (await fx.notificationsOf(intentId)).some((n) => n.kind === kind && n.status !== 'pending'),
    {
      what: `${kind} notification of ${intentId} decided`,
    },
  );
}
