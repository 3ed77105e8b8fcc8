import { waitFor } from '@payflow/platform/testing';
import { AdyenConnector, PspError, type PspNotification } from '../src';
import {
  ADYEN_HMAC_KEY,
  CONNECTOR_TIMEOUT_MS,
  MERCHANT_ACCOUNT,
  closedPort,
  payflowIds,
  startHarness,
  type SimulatorHarness,
} from './simulator-harness';

/**
 * The Adyen connector, on the official `@adyen/api-library` with PayFlow's own ClientInterface,
 * against the PSP simulator. Modifications answer `received`; their outcome arrives by signed webhook.
 */
describe('Adyen connector against the simulator', () => {
  let harness: SimulatorHarness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(async () => {
    await harness.resetFaults('adyen');
  });

  function authorize(
    label: string,
    paymentMethod = 'pm_card_visa',
    captureMethod: 'manual' | 'automatic' = 'manual',
    amount = 10_000,
  ) {
    const ids = payflowIds(label);
    return { ids, request: { ...ids, amount, currency: 'EUR', paymentMethod, captureMethod } };
  }

  async function rejection(promise: Promise<unknown>): Promise<PspError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof PspError)) throw new Error(`expected a PspError, got ${String(error)}`);
    return error;
  }

  /** Verified, normalized Adyen notifications received so far (every item's HMAC checked by the connector). */
  function adyenNotifications(): PspNotification[] {
    return harness.receiver
      .on('/webhooks/adyen')
      .flatMap((webhook) => harness.adyen.verifyAndParseWebhook(webhook.rawBody, webhook.headers));
  }

  async function notification(
    match: (n: PspNotification) => boolean,
    what: string,
  ): Promise<PspNotification> {
    return waitFor(() => adyenNotifications().find(match), { timeoutMs: 5_000, what });
  }

  it('authorizes, captures part, refunds part and the rest: modifications are pending, settled by signed webhooks', async () => {
    const { ids, request } = authorize('lifecycle');
    const authorized = await harness.adyen.authorize(request);
    expect(authorized).toMatchObject({ outcome: 'succeeded', amount: 10_000, currency: 'EUR' });
    const payment = authorized.pspReference;
    expect(payment).toMatch(/^[A-Z0-9]{16}$/);
    const authorization = await notification(
      (n) => n.data.kind === 'authorization' && n.data.psp_reference === payment,
      'AUTHORISATION',
    );
    expect(authorization.data).toMatchObject({
      provider: 'adyen',
      success: true,
      amount: 10_000,
      currency: 'EUR',
      intent_id: ids.intentId,
      attempt_id: ids.attemptId,
    });

    const captureIds = payflowIds('cap');
    const capture = await harness.adyen.capture({
      ...captureIds,
      intentId: ids.intentId,
      pspReference: payment,
      amount: 6_000,
      currency: 'EUR',
    });
    expect(capture).toMatchObject({ outcome: 'pending', amount: 6_000, paymentPspReference: payment });
    const captured = await notification(
      (n) => n.data.kind === 'capture' && n.data.attempt_id === captureIds.attemptId,
      'CAPTURE',
    );
    expect(captured.data).toMatchObject({
      success: true,
      amount: 6_000,
      psp_reference: payment,
      intent_id: ids.intentId,
    });

    const firstIds = payflowIds('re1');
    const first = await harness.adyen.refund({
      ...firstIds,
      intentId: ids.intentId,
      refundId: 're_first',
      pspReference: payment,
      amount: 2_500,
      currency: 'EUR',
    });
    expect(first).toMatchObject({ outcome: 'pending', amount: 2_500, paymentPspReference: payment });
    const restIds = payflowIds('re2');
    const rest = await harness.adyen.refund({
      ...restIds,
      intentId: ids.intentId,
      refundId: 're_rest',
      pspReference: payment,
      amount: 3_500,
      currency: 'EUR',
    });
    const refunded = await notification(
      (n) => n.data.kind === 'refund' && n.data.attempt_id === restIds.attemptId,
      'REFUND of the rest',
    );
    // Modifications are reported on the payment; the refund's attempt comes from the signed reference.
    expect(refunded.data).toMatchObject({
      success: true,
      amount: 3_500,
      psp_reference: payment,
      refund_id: null,
    });
    expect(refunded.data.psp_event_id).toContain(rest.pspReference);
    expect(refunded.paymentPspReference).toBe(payment);

    // Adyen accepts a refund beyond what was captured, then reports it failed.
    const extraIds = payflowIds('re3');
    expect(
      await harness.adyen.refund({
        ...extraIds,
        intentId: ids.intentId,
        refundId: 're_more',
        pspReference: payment,
        amount: 1,
        currency: 'EUR',
      }),
    ).toMatchObject({ outcome: 'pending' });
    const failed = await notification(
      (n) => n.data.kind === 'refund' && n.data.attempt_id === extraIds.attemptId,
      'failed REFUND',
    );
    expect(failed.data.success).toBe(false);
    expect(failed.reason).toMatch(/captured/i);
  });

  it('authorizes then cancels: pending, then CANCELLATION success', async () => {
    const { ids, request } = authorize('cancel');
    const { pspReference } = await harness.adyen.authorize(request);
    const cancelIds = payflowIds('void');
    expect(
      await harness.adyen.cancel({
        ...cancelIds,
        intentId: ids.intentId,
        pspReference,
        amount: 10_000,
        currency: 'EUR',
      }),
    ).toMatchObject({ outcome: 'pending', paymentPspReference: pspReference });
    const canceled = await notification(
      (n) => n.data.kind === 'cancel' && n.data.attempt_id === cancelIds.attemptId,
      'CANCELLATION',
    );
    expect(canceled.data).toMatchObject({
      success: true,
      psp_reference: pspReference,
      intent_id: ids.intentId,
    });
  });

  it('has no retrieve: refused as not executed and not retryable', async () => {
    expect(harness.adyen.capabilities.retrieve).toBe(false);
    expect(await rejection(harness.adyen.retrieve({ pspReference: 'ABCDEFGHIJKLMNOP' }))).toMatchObject({
      errorClass: 'not_executed',
      retryable: false,
      code: 'operation_not_supported',
    });
  });

  it('refuses a modification of an unknown payment as declined (validation)', async () => {
    const error = await rejection(
      harness.adyen.capture({
        ...payflowIds('unknown'),
        pspReference: 'NOSUCHPAYMENT000',
        amount: 100,
        currency: 'EUR',
      }),
    );
    expect(error).toMatchObject({
      errorClass: 'declined',
      retryable: false,
      httpStatus: 422,
      providerCode: '167',
    });
  });

  it('converts currencies whose Adyen exponent differs from ISO, both ways (5 ISK is sent as 500)', async () => {
    const ids = payflowIds('isk');
    const result = await harness.adyen.authorize({
      ...ids,
      amount: 5,
      currency: 'ISK',
      paymentMethod: 'pm_card_visa',
      captureMethod: 'manual',
    });
    expect(result).toMatchObject({ outcome: 'succeeded', amount: 5, currency: 'ISK' });
    const webhook = await waitFor(
      () =>
        harness.receiver
          .on('/webhooks/adyen')
          .find((w) => w.rawBody.toString().includes(result.pspReference)),
      { what: 'ISK AUTHORISATION' },
    );
    expect(webhook.rawBody.toString()).toMatch(/"value":500\b/);
    const parsed = harness.adyen.verifyAndParseWebhook(webhook.rawBody, webhook.headers);
    expect(parsed[0]?.data).toMatchObject({ amount: 5, currency: 'ISK' });
  });

  it('refuses an amount Adyen cannot represent without sending it (IDR has no decimals at Adyen)', async () => {
    const error = await rejection(
      harness.adyen.authorize({
        ...payflowIds('idr'),
        amount: 150,
        currency: 'IDR',
        paymentMethod: 'pm_card_visa',
        captureMethod: 'manual',
      }),
    );
    expect(error).toMatchObject({
      errorClass: 'not_executed',
      retryable: false,
      code: 'amount_not_supported',
    });
  });

  it.each([
    [
      'pm_card_chargeDeclined',
      {
        code: 'card_declined',
        declineCode: 'generic_decline',
        declineKind: 'soft',
        providerCode: '2',
        network: 'visa',
        networkDeclineCode: '05',
      },
    ],
    [
      'pm_card_chargeDeclinedInsufficientFunds',
      {
        code: 'insufficient_funds',
        declineCode: 'insufficient_funds',
        declineKind: 'soft',
        providerCode: '12',
        network: 'visa',
        networkDeclineCode: '51',
      },
    ],
    [
      'pm_card_chargeDeclinedLostCard',
      {
        code: 'lost_card',
        declineCode: 'lost_card',
        declineKind: 'hard',
        providerCode: '5',
        network: 'visa',
        networkDeclineCode: '41',
      },
    ],
    [
      'pm_card_visa_chargeDeclinedStolenCard',
      {
        code: 'stolen_card',
        declineCode: 'stolen_card',
        declineKind: 'hard',
        network: 'visa',
        networkDeclineCode: '43',
      },
    ],
    [
      'pm_card_mastercard_doNotTryAgain',
      {
        code: 'card_declined',
        declineCode: 'do_not_honor',
        declineKind: 'hard',
        network: 'mastercard',
        adviceCode: '03',
        networkDeclineCode: '05',
      },
    ],
  ])(
    'declines %s from its raw response and refusal reason, by answer and by notification',
    async (paymentMethod, expected) => {
      const { ids, request } = authorize('decline', paymentMethod);
      expect(await harness.adyen.authorize(request)).toMatchObject({ outcome: 'declined', ...expected });
      const refused = await notification(
        (n) => n.data.kind === 'authorization' && n.data.attempt_id === ids.attemptId,
        'refused AUTHORISATION',
      );
      expect(refused.data).toMatchObject({
        success: false,
        intent_id: ids.intentId,
        code: expected.code,
        decline_code: expected.declineCode,
        network: expected.network,
        advice_code: 'adviceCode' in expected ? expected.adviceCode : null,
      });
      expect(await harness.chargesForReference('adyen', ids.attemptId)).toBe(0);
    },
  );

  it('an executed 5xx is indeterminate; the same key then returns the first outcome and charges once', async () => {
    const { ids, request } = authorize('exec5xx');
    await harness.setFaults('adyen', { error_5xx_executed: 1, limit: 1 });
    expect(await rejection(harness.adyen.authorize(request))).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
      httpStatus: 500,
    });
    expect(await harness.chargesForKey('adyen', ids.idempotencyKey)).toMatchObject({ charges: 1 });
    const replayed = await harness.adyen.authorize(request);
    expect(replayed).toMatchObject({ outcome: 'succeeded' });
    const webhook = await notification(
      (n) => n.data.kind === 'authorization' && n.data.attempt_id === ids.attemptId,
      'AUTHORISATION of the first execution',
    );
    expect(replayed.pspReference).toBe(webhook.data.psp_reference);
    expect(await harness.chargesForKey('adyen', ids.idempotencyKey)).toMatchObject({
      charges: 1,
      replays: 1,
    });
    expect(await harness.chargesForReference('adyen', ids.attemptId)).toBe(1);
  });

  it('a 5xx with Transient-Error: true is indeterminate: retried with the same key, never failed over', async () => {
    const { ids, request } = authorize('transient');
    await harness.setFaults('adyen', { error_5xx_not_executed: 1, limit: 1 });
    expect(await rejection(harness.adyen.authorize(request))).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_error',
    });
    expect(await harness.adyen.authorize(request)).toMatchObject({ outcome: 'succeeded' });
    expect(await harness.chargesForReference('adyen', ids.attemptId)).toBe(1);
  });

  it('a 429 is not executed', async () => {
    const { ids, request } = authorize('ratelimit');
    await harness.setFaults('adyen', { rate_limit: 1, limit: 1 });
    expect(await rejection(harness.adyen.authorize(request))).toMatchObject({
      errorClass: 'not_executed',
      code: 'rate_limited',
      httpStatus: 429,
    });
    expect(await harness.chargesForKey('adyen', ids.idempotencyKey)).toMatchObject({ charges: 0 });
  });

  it('a connection reset is indeterminate', async () => {
    const { ids, request } = authorize('reset');
    await harness.setFaults('adyen', { reset: 1, limit: 1 });
    expect(await rejection(harness.adyen.authorize(request))).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_connection_reset',
    });
    expect(await harness.chargesForKey('adyen', ids.idempotencyKey)).toMatchObject({ charges: 0 });
  });

  it('a reset after execution is indeterminate, and the same key returns what executed, charged once', async () => {
    const { ids, request } = authorize('resetafter');
    await harness.setFaults('adyen', { reset_after_execution: 1, limit: 1 });
    expect(await rejection(harness.adyen.authorize(request))).toMatchObject({
      errorClass: 'indeterminate',
      code: 'psp_connection_reset',
    });
    expect(await harness.chargesForKey('adyen', ids.idempotencyKey)).toMatchObject({ charges: 1 });
    expect(await harness.adyen.authorize(request)).toMatchObject({ outcome: 'succeeded' });
    expect(await harness.chargesForReference('adyen', ids.attemptId)).toBe(1);
  });

  it('a refused connection is not executed', async () => {
    const unreachable = new AdyenConnector({
      apiKey: 'adyen_test_connector_key',
      merchantAccount: MERCHANT_ACCOUNT,
      checkoutBaseUrl: `http://127.0.0.1:${await closedPort()}/checkout`,
      timeoutMs: CONNECTOR_TIMEOUT_MS,
      hmacKey: ADYEN_HMAC_KEY,
    });
    expect(await rejection(unreachable.authorize(authorize('refused').request))).toMatchObject({
      errorClass: 'not_executed',
      code: 'psp_unreachable',
      providerCode: 'ECONNREFUSED',
    });
  });

  it('a timeout is indeterminate; the same key then returns the first outcome and charges once', async () => {
    const { ids, request } = authorize('timeout');
    await harness.setFaults('adyen', { timeout: 1, limit: 1 });
    expect(await rejection(harness.adyen.authorize(request))).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_timeout',
    });
    expect(await harness.chargesForKey('adyen', ids.idempotencyKey)).toMatchObject({ charges: 1 });
    expect(await harness.adyen.authorize(request)).toMatchObject({ outcome: 'succeeded' });
    expect(await harness.chargesForKey('adyen', ids.idempotencyKey)).toMatchObject({
      charges: 1,
      replays: 1,
    });
  });

  it('a capture that times out is replayed by key: one capture, one CAPTURE webhook', async () => {
    const { ids, request } = authorize('captimeout');
    const { pspReference } = await harness.adyen.authorize(request);
    const captureIds = payflowIds('cap');
    const capture = { ...captureIds, intentId: ids.intentId, pspReference, amount: 10_000, currency: 'EUR' };
    await harness.setFaults('adyen', { timeout: 1, limit: 1 });
    expect(await rejection(harness.adyen.capture(capture))).toMatchObject({ errorClass: 'indeterminate' });
    expect(await harness.adyen.capture(capture)).toMatchObject({ outcome: 'pending', amount: 10_000 });
    await notification(
      (n) => n.data.kind === 'capture' && n.data.attempt_id === captureIds.attemptId,
      'CAPTURE',
    );
    expect(
      adyenNotifications().filter(
        (n) => n.data.kind === 'capture' && n.data.attempt_id === captureIds.attemptId,
      ),
    ).toHaveLength(1);
    expect(await harness.chargesForKey('adyen', captureIds.idempotencyKey)).toMatchObject({
      charges: 1,
      replays: 1,
    });
  });

  it('pm_card_timeout answers late: indeterminate, then settled by the webhook and a same-key replay', async () => {
    const { ids, request } = authorize('slowcard', 'pm_card_timeout');
    expect(await rejection(harness.adyen.authorize(request))).toMatchObject({
      errorClass: 'indeterminate',
      code: 'psp_timeout',
    });
    const webhook = await notification(
      (n) => n.data.kind === 'authorization' && n.data.attempt_id === ids.attemptId,
      'AUTHORISATION of the slow card',
    );
    expect(webhook.data.success).toBe(true);
    expect(await harness.adyen.authorize(request)).toMatchObject({
      outcome: 'succeeded',
      pspReference: webhook.data.psp_reference,
    });
    expect(await harness.chargesForReference('adyen', ids.attemptId)).toBe(1);
  });

  function technicalCancel(ids: { intentId: string; attemptId: string }, label: string) {
    const cancelIds = payflowIds(label);
    return {
      cancelIds,
      request: {
        ...cancelIds,
        intentId: ids.intentId,
        paymentIntentId: ids.intentId,
        paymentAttemptId: ids.attemptId,
        amount: 10_000,
        currency: 'EUR',
      },
    };
  }

  it('a technical cancel by merchant reference voids an authorization PayFlow has no pspReference for', async () => {
    const { ids, request } = authorize('techcancel');
    const { pspReference: payment } = await harness.adyen.authorize(request);
    const { cancelIds, request: cancel } = technicalCancel(ids, 'tc');
    const answer = await harness.adyen.cancelByReference(cancel);
    expect(answer).toMatchObject({ outcome: 'pending', amount: 10_000, currency: 'EUR' });
    const canceled = await notification(
      (n) => n.eventType === 'TECHNICAL_CANCEL' && n.data.attempt_id === cancelIds.attemptId,
      'TECHNICAL_CANCEL',
    );
    expect(canceled.data).toMatchObject({
      kind: 'cancel',
      success: true,
      psp_reference: payment,
      intent_id: ids.intentId,
    });
    expect(await harness.heldPayment('adyen', payment)).toMatchObject({ status: 'canceled', amount_held: 0 });
  });

  it('a technical cancel of a captured payment is refused: Payment already captured', async () => {
    const { ids, request } = authorize('techcancelcaptured', 'pm_card_visa', 'automatic');
    const { pspReference: payment } = await harness.adyen.authorize(request);
    const { cancelIds, request: cancel } = technicalCancel(ids, 'tc');
    await harness.adyen.cancelByReference(cancel);
    const refused = await notification(
      (n) => n.eventType === 'TECHNICAL_CANCEL' && n.data.attempt_id === cancelIds.attemptId,
      'refused TECHNICAL_CANCEL',
    );
    expect(refused.data).toMatchObject({
      kind: 'cancel',
      success: false,
      psp_reference: payment,
      message: 'Payment already captured',
    });
    expect(await harness.heldPayment('adyen', payment)).toMatchObject({
      status: 'captured',
      net_charge: 10_000,
    });
  });

  it('a technical cancel where Adyen holds no payment succeeds: nothing is held', async () => {
    const ids = payflowIds('nothing');
    const { cancelIds, request: cancel } = technicalCancel(ids, 'tc');
    const answer = await harness.adyen.cancelByReference(cancel);
    const nothing = await notification(
      (n) => n.eventType === 'TECHNICAL_CANCEL' && n.data.attempt_id === cancelIds.attemptId,
      'TECHNICAL_CANCEL without a payment',
    );
    expect(nothing.data).toMatchObject({ kind: 'cancel', success: true, psp_reference: answer.pspReference });
  });

  it('CAPTURE then CAPTURE_FAILED: a reversal of the capture', async () => {
    const { ids, request } = authorize('capfails', 'pm_card_captureFailsLater');
    const { pspReference: payment } = await harness.adyen.authorize(request);
    const captureIds = payflowIds('cap');
    await harness.adyen.capture({
      ...captureIds,
      intentId: ids.intentId,
      pspReference: payment,
      amount: 10_000,
      currency: 'EUR',
    });
    const failed = await notification(
      (n) => n.eventType === 'CAPTURE_FAILED' && n.data.attempt_id === captureIds.attemptId,
      'CAPTURE_FAILED',
    );
    expect(failed.data).toMatchObject({
      kind: 'capture',
      success: false,
      reversal: true,
      psp_reference: payment,
      amount: 10_000,
    });
    const captured = adyenNotifications().filter(
      (n) => n.eventType === 'CAPTURE' && n.data.attempt_id === captureIds.attemptId,
    );
    expect(captured.map((n) => n.data.success)).toEqual([true]);
    expect(await harness.heldPayment('adyen', payment)).toMatchObject({
      amount_captured: 0,
      failed_captures: 1,
    });
  });

  it.each([
    ['pm_card_refundFailsLater', 'REFUND_FAILED'],
    ['pm_card_refundReversedLater', 'REFUNDED_REVERSED'],
  ])('%s: REFUND then %s, a reversal of the refund', async (paymentMethod, eventCode) => {
    const { ids, request } = authorize('refundfails', paymentMethod, 'automatic');
    const { pspReference: payment } = await harness.adyen.authorize(request);
    const refundIds = payflowIds('re');
    await harness.adyen.refund({
      ...refundIds,
      intentId: ids.intentId,
      refundId: 're_fails',
      pspReference: payment,
      amount: 4_000,
      currency: 'EUR',
    });
    const failed = await notification(
      (n) => n.eventType === eventCode && n.data.attempt_id === refundIds.attemptId,
      eventCode,
    );
    expect(failed.data).toMatchObject({
      kind: 'refund',
      success: false,
      reversal: true,
      psp_reference: payment,
      amount: 4_000,
      intent_id: ids.intentId,
    });
    expect(await harness.heldPayment('adyen', payment)).toMatchObject({
      net_charge: 10_000,
      failed_refunds: 1,
    });
  });
});
