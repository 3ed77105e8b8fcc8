import './support/cockatiel-for-jest'; // first: the app under test loads cockatiel
import { waitFor } from '@payflow/platform/testing';
import { PspError, type AuthorizeRequest, type PspConnectors } from '@payflow/psp';
import { PSP_CONNECTORS } from '../src/psp/psp.module';
import { AttemptWorker } from '../src/worker/attempt-worker';
import { OrchestratorFixture, newMerchant } from './orchestrator-fixture';

/**
 * The PSP's last word (issue 10), against the simulator in-process: late successes undone, waiting
 * attempts reconciled (Stripe) or overdue (Adyen), failures after success reversed, declines by
 * webhook complete. Short deadlines so it runs in seconds: an unresolved authorization is cancelled
 * after 3 s, an Adyen operation is overdue after 1.5 s, Stripe waiting attempts are read after 0.3 s.
 * Where the simulator cannot be made to lose exactly one answer, the real connector is wrapped for
 * the test (the call still reaches the simulator; only what PayFlow hears changes).
 */
describe('orchestrator: the PSP last word', () => {
  const fx = new OrchestratorFixture();
  let connectors: PspConnectors;
  const originals: {
    prepare?: PspConnectors['stripe']['prepareAuthorization'];
    authorize?: PspConnectors['stripe']['authorize'];
    retrieve?: PspConnectors['stripe']['retrieve'];
  } = {};

  beforeAll(async () => {
    await fx.start({
      INDETERMINATE_MAX_TRIES: '2',
      UNKNOWN_OUTCOME_DEADLINE_MS: '3000',
      PSP_NOTIFICATION_DEADLINE_MS: '1500',
      PSP_RECONCILE_AFTER_MS: '300',
      PSP_RECONCILE_MAX_INTERVAL_MS: '1000',
      PSP_OVERDUE_REFRESH_MS: '200',
      BREAKER_STRIPE_THRESHOLD: '100',
      BREAKER_ADYEN_THRESHOLD: '100',
    });
    connectors = fx.app.get<PspConnectors>(PSP_CONNECTORS);
    originals.prepare = connectors.stripe.prepareAuthorization;
    originals.authorize = connectors.stripe.authorize;
    originals.retrieve = connectors.stripe.retrieve;
  });
  afterAll(() => fx.stop());
  afterEach(async () => {
    connectors.stripe.prepareAuthorization = originals.prepare;
    connectors.stripe.authorize = originals.authorize!;
    connectors.stripe.retrieve = originals.retrieve!;
    await fx.clearFaults('stripe');
    await fx.clearFaults('adyen');
  });

  const types = async (intentId: string) => (await fx.results(intentId)).map((r) => r.type);

  it('refunds a late success of an automatic-capture authorization: Adyen refused the deadline cancel as captured; net charge 0', async () => {
    const merchant = newMerchant();
    await fx.routingRule(merchant, { providers: ['adyen'] });
    await fx.faults('adyen', { timeout: 1 });
    const intent = fx.intent(merchant, { currency: 'EUR', capture_method: 'automatic' });
    await fx.requestAuthorization(intent, { captureMethod: 'automatic' });

    const authorization = await fx.waitForAttempt(
      intent.id,
      (a) => a.resolution === 'deadline_cancel',
      'the deadline cancel',
      20_000,
    );
    await fx.clearFaults('adyen');
    const refused = await fx.simulatorNotification(intent.id, (n) => n.eventType === 'TECHNICAL_CANCEL');
    expect(refused.success).toBe(false);
    await fx.publishNotification(merchant, refused);
    await fx.waitForAttempt(
      intent.id,
      (a) => a.id === authorization.id && a.resolution === 'awaiting_authorization',
      'the authorization to be awaited',
    );
    expect(await fx.results(intent.id)).toEqual([]);

    await fx.publishNotification(
      merchant,
      await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'authorization'),
    );
    const late = await fx.waitForResult(intent.id, 'payment.late_success');
    const refund = await fx.waitForAttempt(
      intent.id,
      (a) => a.compensation === 'late_success_refund',
      'the compensating refund',
    );
    expect(late.event.data).toMatchObject({
      attempt_id: authorization.id,
      amount: 10_000,
      amount_captured: 10_000,
      reversal: 'refund',
      reversal_attempt_id: refund.id,
    });
    expect(refund).toMatchObject({
      operation: 'refund',
      compensating: true,
      compensates_attempt_id: authorization.id,
    });

    await fx.waitForAttempt(
      intent.id,
      (a) => a.id === refund.id && a.awaiting_notification_since !== null,
      'the refund to be accepted',
    );
    await fx.publishNotification(
      merchant,
      await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'refund'),
    );
    const failed = await fx.waitForResult(intent.id, 'payment.authorization_failed');
    expect(failed.event.data).toMatchObject({ code: 'payment_outcome_unknown', error_type: 'api_error' });
    expect(await types(intent.id)).toEqual([
      'payment.late_success',
      'payment.late_success_reversed',
      'payment.authorization_failed',
    ]);
    expect((await fx.heldPayments(intent.id)).map((p) => [p.net_charge, p.amount_held])).toEqual([[0, 0]]);
  });

  it('voids a late success of a manual-capture authorization PayFlow had failed, once', async () => {
    const merchant = newMerchant();
    await fx.routingRule(merchant, { providers: ['adyen'] });
    await fx.faults('adyen', { timeout: 1 });
    const intent = fx.intent(merchant, { currency: 'EUR' });
    await fx.requestAuthorization(intent);
    const unknown = await fx.waitForAttempt(
      intent.id,
      (a) => a.status === 'unknown',
      'the attempt to be unknown',
    );
    // As PayFlow used to at its deadline (and as a superseded attempt is): failed, with no compensation.
    await fx.db.query(
      `UPDATE attempts SET status = 'failed', code = 'psp_outcome_unknown', next_attempt_at = NULL, lease_id = NULL, settled_at = now() WHERE id = $1`,
      [unknown.id],
    );
    await fx.clearFaults('adyen');

    const report = await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'authorization');
    await fx.publishNotification(merchant, report);
    const late = await fx.waitForResult(intent.id, 'payment.late_success');
    expect(late.event.data).toMatchObject({ attempt_id: unknown.id, amount_captured: 0, reversal: 'void' });
    // The same late success reported again (a redelivery with another event id) undoes nothing more.
    await fx.publishNotification(merchant, { ...report, psp_event_id: `${report.psp_event_id}:again` });

    await fx.waitForAttempt(
      intent.id,
      (a) => a.compensation === 'late_success_void' && a.awaiting_notification_since !== null,
      'the void to be accepted',
    );
    await fx.publishNotification(
      merchant,
      await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'cancel'),
    );
    await fx.waitForResult(intent.id, 'payment.late_success_reversed');
    await waitFor(async () => (await fx.notificationsOf(intent.id)).every((n) => n.status !== 'pending'), {
      what: 'every report decided',
    });
    expect(await types(intent.id)).toEqual(['payment.late_success', 'payment.late_success_reversed']);
    expect((await fx.attempts(intent.id)).filter((a) => a.compensating)).toHaveLength(1);
    expect((await fx.heldPayments(intent.id)).map((p) => [p.status, p.amount_held])).toEqual([
      ['canceled', 0],
    ]);
  });

  it('settles a Stripe authorization whose answers were lost, with its webhook dropped, by retrieving its recorded id', async () => {
    await fx.faults('stripe', { webhook_drop: 1 });
    connectors.stripe.authorize = async (request: AuthorizeRequest) => {
      await originals.authorize!.call(connectors.stripe, request); // executed at the PSP…
      throw new PspError({
        provider: 'stripe',
        errorClass: 'indeterminate',
        retryable: true,
        code: 'psp_timeout',
        message: 'answer lost',
      }); // …answer lost
    };
    const retrievesBefore = await fx.metric('psp_calls_total', {
      provider: 'stripe',
      operation: 'retrieve_payment',
      outcome: 'succeeded',
    });
    const intent = fx.intent(newMerchant());
    await fx.requestAuthorization(intent);

    const authorized = await fx.waitForResult(intent.id, 'payment.authorized');
    const [attempt] = await fx.attempts(intent.id);
    expect(attempt).toMatchObject({ provider: 'stripe', status: 'succeeded' });
    expect(attempt.psp_reference).toMatch(/^pi_/);
    expect(attempt.first_called_at).not.toBeNull();
    expect(authorized.event.data.psp_reference).toBe(attempt.psp_reference);
    expect(await fx.chargesForIntent(intent.id)).toBe(1);
    expect(
      await fx.metric('psp_calls_total', {
        provider: 'stripe',
        operation: 'retrieve_payment',
        outcome: 'succeeded',
      }),
    ).toBeGreaterThan(retrievesBefore);
  });

  it('Stripe: an automatic-capture authorization never answered is cancelled by its id at the deadline; refused as captured, it is refunded; net charge 0', async () => {
    const lost = () =>
      new PspError({
        provider: 'stripe',
        errorClass: 'indeterminate',
        retryable: true,
        code: 'psp_timeout',
        message: 'answer lost',
      });
    connectors.stripe.authorize = async (request: AuthorizeRequest) => {
      await originals.authorize!.call(connectors.stripe, request);
      throw lost();
    };
    connectors.stripe.retrieve = () => Promise.reject(lost()); // nothing can be read either: only the deadline helps
    const intent = fx.intent(newMerchant(), { capture_method: 'automatic' });
    await fx.requestAuthorization(intent, { captureMethod: 'automatic' });

    const failed = await fx.waitForResult(intent.id, 'payment.authorization_failed', 20_000);
    expect(failed.event.data).toMatchObject({ code: 'payment_outcome_unknown', error_type: 'api_error' });
    expect(await types(intent.id)).toEqual([
      'payment.late_success',
      'payment.late_success_reversed',
      'payment.authorization_failed',
    ]);
    const attempts = await fx.attempts(intent.id);
    expect(attempts.map((a) => [a.operation, a.compensation, a.status, a.code])).toEqual([
      ['authorize', null, 'failed', 'payment_outcome_unknown'],
      ['cancel', 'deadline_cancel', 'failed', 'already_captured'],
      ['refund', 'late_success_refund', 'succeeded', null],
    ]);
    expect((await fx.heldPayments(intent.id)).map((p) => [p.net_charge, p.amount_held])).toEqual([[0, 0]]);
    expect(await fx.chargesForIntent(intent.id)).toBe(1);
  });

  it('saved 500: the same-key retry gets the saved 500 again, and the reconciler settles it without a second charge', async () => {
    connectors.stripe.prepareAuthorization = async (request: AuthorizeRequest) => {
      const prepared = await originals.prepare!.call(connectors.stripe, request);
      await fx.faults('stripe', { error_5xx_saved: 1, limit: 1 }); // the confirm executes, answers 500 and saves it
      return prepared;
    };
    const before = await fx.metric('psp_calls_total', {
      provider: 'stripe',
      operation: 'authorize',
      outcome: 'indeterminate',
    });
    const intent = fx.intent(newMerchant());
    await fx.requestAuthorization(intent);

    await fx.waitForResult(intent.id, 'payment.authorized');
    const [attempt] = await fx.attempts(intent.id);
    expect(attempt).toMatchObject({ provider: 'stripe', status: 'succeeded' });
    expect(
      await fx.metric('psp_calls_total', {
        provider: 'stripe',
        operation: 'authorize',
        outcome: 'indeterminate',
      }),
    ).toBeGreaterThanOrEqual(before + 2);
    expect(await fx.charges('stripe', attempt.idempotency_key)).toMatchObject({ charges: 1 });
    expect((await fx.charges('stripe', attempt.idempotency_key)).replays).toBeGreaterThanOrEqual(1);
    expect(await fx.chargesForIntent(intent.id)).toBe(1);
  });

  it('a Stripe refund whose answer is a saved 500 is found by its attempt and settled, refunded once', async () => {
    const intent = fx.intent(newMerchant(), { capture_method: 'automatic' });
    await fx.requestAuthorization(intent, { captureMethod: 'automatic' });
    await fx.waitForResult(intent.id, 'payment.captured');
    await fx.faults('stripe', { error_5xx_saved: 1, limit: 1 });
    const request = await fx.requestRefund(intent, 'stripe', 2_500);

    const refunded = await fx.waitForResult(intent.id, 'payment.refunded');
    expect(refunded.event.data).toMatchObject({ amount: 2_500, refund_id: request.data.refund.id });
    const refund = (await fx.attempts(intent.id)).find((a) => a.operation === 'refund')!;
    expect(refund.status).toBe('succeeded');
    // Whichever came first — the refund's webhook, a same-key retry answered the saved 500 again, or the
    // lookup by attempt — it is refunded exactly once (a second refund would show 5 000 refunded).
    expect((await fx.heldPayments(intent.id)).map((p) => [p.amount_refunded, p.net_charge])).toEqual([
      [2_500, 7_500],
    ]);
  });

  it('an Adyen capture without its notification past the deadline is overdue (gauge), and settles when it arrives', async () => {
    const merchant = newMerchant();
    await fx.routingRule(merchant, { providers: ['adyen'] });
    const intent = fx.intent(merchant, { currency: 'EUR' });
    await fx.requestAuthorization(intent);
    await fx.waitForResult(intent.id, 'payment.authorized');
    await fx.requestCapture(intent, 'adyen');

    const overdue = await fx.waitForAttempt(
      intent.id,
      (a) => a.operation === 'capture' && a.overdue_since !== null,
      'the capture to be overdue',
    );
    expect(overdue.status).toBe('pending');
    const worker = fx.app.get(AttemptWorker);
    await worker.refreshOverdueGauge();
    const gauge = await fx.metric('psp_operations_overdue', { provider: 'adyen', operation: 'capture' });
    expect(gauge).toBeGreaterThanOrEqual(1);

    await fx.publishNotification(
      merchant,
      await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'capture'),
    );
    await fx.waitForResult(intent.id, 'payment.captured');
    await worker.refreshOverdueGauge();
    expect(await fx.metric('psp_operations_overdue', { provider: 'adyen', operation: 'capture' })).toBe(
      gauge - 1,
    );
  });

  it('Adyen CAPTURE_FAILED after CAPTURE publishes payment.capture_reversed', async () => {
    const merchant = newMerchant();
    await fx.routingRule(merchant, { providers: ['adyen'] });
    const intent = fx.intent(merchant, { currency: 'EUR', payment_method: 'pm_card_captureFailsLater' });
    await fx.requestAuthorization(intent);
    await fx.waitForResult(intent.id, 'payment.authorized');
    await fx.requestCapture(intent, 'adyen');
    await fx.publishNotification(
      merchant,
      await fx.simulatorNotification(intent.id, (n) => n.eventType === 'CAPTURE'),
    );
    await fx.waitForResult(intent.id, 'payment.captured');

    const failed = await fx.simulatorNotification(intent.id, (n) => n.eventType === 'CAPTURE_FAILED');
    expect(failed).toMatchObject({ kind: 'capture', success: false, reversal: true });
    await fx.publishNotification(merchant, failed);
    const reversed = await fx.waitForResult(intent.id, 'payment.capture_reversed');
    expect(reversed.event.data).toMatchObject({
      amount: 10_000,
      code: 'capture_reversed',
      error_type: 'api_error',
    });
    expect(await fx.attempts(intent.id)).toEqual([
      expect.objectContaining({ operation: 'authorize', status: 'succeeded' }),
      expect.objectContaining({
        operation: 'capture',
        status: 'failed',
        code: 'capture_reversed',
        reversed_at: expect.any(Date),
      }),
      expect.objectContaining({
        operation: 'cancel',
        compensating: true,
        reason: 'payflow_release_after_reversed_capture',
      }),
    ]);
    // The intent becomes failed: the authorization Adyen kept after CAPTURE_FAILED is released.
    const released = await waitFor(
      async () => {
        const held = await fx.heldPayments(intent.id);
        return held.every((p) => p.amount_held === 0) ? held : null;
      },
      { what: 'the hold of the reversed capture to be released' },
    );
    expect(released.map((p) => [p.net_charge, p.amount_held])).toEqual([[0, 0]]);
  });

  it('Adyen REFUND_FAILED and a Stripe refund failing after success publish payment.refund_reversed', async () => {
    for (const provider of ['adyen', 'stripe'] as const) {
      const merchant = newMerchant();
      await fx.routingRule(merchant, { providers: [provider] });
      const intent = fx.intent(merchant, {
        currency: 'EUR',
        capture_method: 'automatic',
        payment_method: 'pm_card_refundFailsLater',
      });
      await fx.requestAuthorization(intent, { captureMethod: 'automatic' });
      await fx.waitForResult(intent.id, 'payment.captured');
      const request = await fx.requestRefund(intent, provider, 4_000);
      if (provider === 'adyen')
        await fx.publishNotification(
          merchant,
          await fx.simulatorNotification(intent.id, (n) => n.eventType === 'REFUND'),
        );
      await fx.waitForResult(intent.id, 'payment.refunded');

      const failed = await fx.simulatorNotification(
        intent.id,
        (n) => n.data.kind === 'refund' && n.data.reversal === true,
      );
      await fx.publishNotification(merchant, failed);
      const reversed = await fx.waitForResult(intent.id, 'payment.refund_reversed');
      expect([provider, reversed.event.data]).toEqual([
        provider,
        expect.objectContaining({
          amount: 4_000,
          refund_id: request.data.refund.id,
          code: 'refund_reversed',
          error_type: 'api_error',
        }),
      ]);
    }
  });

  it('a Stripe refund that fails after succeeding, its webhook lost, is reversed by reading it again', async () => {
    await fx.faults('stripe', { webhook_drop: 1 });
    const intent = fx.intent(newMerchant(), {
      capture_method: 'automatic',
      payment_method: 'pm_card_refundFailsLater',
    });
    await fx.requestAuthorization(intent, { captureMethod: 'automatic' });
    await fx.waitForResult(intent.id, 'payment.captured');
    const request = await fx.requestRefund(intent, 'stripe', 3_000);
    await fx.waitForResult(intent.id, 'payment.refunded');
    const watched = (await fx.attempts(intent.id)).find((a) => a.operation === 'refund')!;
    expect(watched.verify_at).not.toBeNull();

    const reversed = await fx.waitForResult(intent.id, 'payment.refund_reversed');
    expect(reversed.event.data).toMatchObject({
      amount: 3_000,
      refund_id: request.data.refund.id,
      code: 'refund_reversed',
    });
    expect((await fx.attempts(intent.id)).find((a) => a.operation === 'refund')).toMatchObject({
      status: 'failed',
      verify_at: null,
    });
    expect(fx.pspNotifications.filter((n) => n.data.intent_id === intent.id)).toEqual([]); // nothing came by webhook
  });

  it('a decline settled by webhook keeps its code, network and advice code', async () => {
    const merchant = newMerchant();
    await fx.routingRule(merchant, { providers: ['adyen'] });
    await fx.faults('adyen', { timeout: 1 });
    const cards = {
      pm_card_chargeDeclinedLostCard: {
        code: 'lost_card',
        decline_code: 'lost_card',
        network: 'visa',
        error_type: 'card_error',
      },
      pm_card_mastercard_doNotTryAgain: {
        code: 'card_declined',
        decline_code: 'do_not_honor',
        network: 'mastercard',
        advice_code: '03',
        error_type: 'card_error',
      },
    };
    for (const [card, expected] of Object.entries(cards)) {
      const intent = fx.intent(merchant, { currency: 'EUR', payment_method: card });
      await fx.requestAuthorization(intent);
      await fx.waitForAttempt(intent.id, (a) => a.status === 'unknown', 'the attempt to be unknown');
      const report = await fx.simulatorNotification(intent.id, (n) => n.data.kind === 'authorization');
      expect(report.success).toBe(false);
      await fx.publishNotification(merchant, report);
      const declined = await fx.waitForResult(intent.id, 'payment.authorization_failed');
      expect([card, declined.event.data]).toEqual([card, expect.objectContaining(expected)]);
      const [attempt] = await fx.attempts(intent.id);
      expect(attempt).toMatchObject({ status: 'declined', code: expected.code, network: expected.network });
    }
  });
});
