import { waitFor } from '@payflow/platform/testing';
import { PspError, StripeConnector, type PspNotification, type PspResult } from '../src';
import {
  CONNECTOR_TIMEOUT_MS,
  STRIPE_WEBHOOK_SECRET,
  closedPort,
  payflowIds,
  startHarness,
  type SimulatorHarness,
} from './simulator-harness';

/** The Stripe connector, on the official SDK, against the PSP simulator: operations, declines, faults, webhooks. */
describe('Stripe connector against the simulator', () => {
  let harness: SimulatorHarness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(async () => {
    await harness.resetFaults('stripe');
  });

  function authorize(
    label: string,
    paymentMethod = 'pm_card_visa',
    captureMethod: 'manual' | 'automatic' = 'manual',
    amount = 10_000,
  ) {
    const ids = payflowIds(label);
    return { ids, request: { ...ids, amount, currency: 'USD', paymentMethod, captureMethod } };
  }

  /** PayFlow's way now: create unconfirmed (key `<attempt key>_create`), then confirm with the attempt key. */
  async function authorizeInTwoSteps(request: ReturnType<typeof authorize>['request']): Promise<PspResult> {
    const prepared = await harness.stripe.prepareAuthorization(request);
    return harness.stripe.authorize({ ...request, pspReference: prepared.pspReference });
  }

  async function rejection(promise: Promise<unknown>): Promise<PspError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof PspError)) throw new Error(`expected a PspError, got ${String(error)}`);
    return error;
  }

  /** Verified, normalized Stripe webhooks received so far (each verified with the connector). */
  function stripeNotifications(): PspNotification[] {
    return harness.receiver
      .on('/webhooks/stripe')
      .flatMap((webhook) => harness.stripe.verifyAndParseWebhook(webhook.rawBody, webhook.headers));
  }

  async function notification(
    match: (n: PspNotification) => boolean,
    what: string,
  ): Promise<PspNotification> {
    return waitFor(() => stripeNotifications().find(match), { timeoutMs: 5_000, what });
  }

  it('authorizes, captures part, refunds part, refunds the rest — and signed webhooks report each step', async () => {
    const { ids, request } = authorize('lifecycle');
    const authorized = await authorizeInTwoSteps(request);
    expect(authorized).toMatchObject({ outcome: 'succeeded', amount: 10_000, currency: 'USD' });
    const pspReference = authorized.pspReference;
    expect(pspReference).toMatch(/^pi_/);

    const captured = await harness.stripe.capture({
      ...payflowIds('cap'),
      intentId: ids.intentId,
      pspReference,
      amount: 6_000,
      currency: 'USD',
    });
    expect(captured).toMatchObject({ outcome: 'succeeded', amount: 6_000, pspReference });

    const first = await harness.stripe.refund({
      ...payflowIds('re1'),
      intentId: ids.intentId,
      refundId: 're_first',
      pspReference,
      amount: 2_500,
      currency: 'USD',
    });
    expect(first).toMatchObject({ outcome: 'succeeded', amount: 2_500, paymentPspReference: pspReference });
    expect(first.pspReference).toMatch(/^re_/);
    const rest = await harness.stripe.refund({
      ...payflowIds('re2'),
      intentId: ids.intentId,
      refundId: 're_rest',
      pspReference,
      amount: 3_500,
      currency: 'USD',
    });
    expect(rest).toMatchObject({ outcome: 'succeeded', amount: 3_500 });

    const tooMuch = await rejection(
      harness.stripe.refund({
        ...payflowIds('re3'),
        intentId: ids.intentId,
        refundId: 're_more',
        pspReference,
        amount: 1,
        currency: 'USD',
      }),
    );
    expect(tooMuch).toMatchObject({
      errorClass: 'declined',
      retryable: false,
      code: 'charge_already_refunded',
    });

    const snapshot = await harness.stripe.retrieve({ pspReference });
    expect(snapshot).toMatchObject({
      status: 'captured',
      amount: 10_000,
      amountReceived: 6_000,
      amountCapturable: 0,
      intentId: ids.intentId,
      attemptId: ids.attemptId,
    });

    const authorization = await notification(
      (n) => n.data.kind === 'authorization' && n.data.psp_reference === pspReference,
      'authorization webhook',
    );
    expect(authorization.data).toMatchObject({
      provider: 'stripe',
      success: true,
      amount: 10_000,
      currency: 'USD',
      intent_id: ids.intentId,
      attempt_id: ids.attemptId,
    });
    const capture = await notification(
      (n) => n.data.kind === 'capture' && n.data.psp_reference === pspReference,
      'capture webhook',
    );
    expect(capture.data).toMatchObject({ success: true, amount: 6_000, intent_id: ids.intentId });
    const refund = await notification(
      (n) => n.data.kind === 'refund' && n.data.refund_id === 're_rest',
      'refund webhook',
    );
    expect(refund.data).toMatchObject({
      success: true,
      amount: 3_500,
      psp_reference: rest.pspReference,
      intent_id: ids.intentId,
    });
    expect(refund.paymentPspReference).toBe(pspReference);
  });

  it('authorizes then cancels; a canceled payment cannot be captured', async () => {
    const { ids, request } = authorize('cancel');
    const { pspReference } = await harness.stripe.authorize(request);
    const canceled = await harness.stripe.cancel({
      ...payflowIds('void'),
      intentId: ids.intentId,
      pspReference,
      amount: 10_000,
      currency: 'USD',
    });
    expect(canceled).toMatchObject({ outcome: 'succeeded', pspReference, amount: 10_000 });
    expect(await harness.stripe.retrieve({ pspReference })).toMatchObject({
      status: 'canceled',
      amountCapturable: 0,
    });

    const capture = await rejection(
      harness.stripe.capture({
        ...payflowIds('late'),
        intentId: ids.intentId,
        pspReference,
        amount: 10_000,
        currency: 'USD',
      }),
    );
    expect(capture).toMatchObject({
      errorClass: 'declined',
      code: 'payment_intent_unexpected_state',
      retryable: false,
    });
    await notification(
      (n) => n.data.kind === 'cancel' && n.data.psp_reference === pspReference,
      'cancel webhook',
    );
  });

  it('captures everything at once with automatic capture', async () => {
    const { request } = authorize('auto', 'pm_card_mastercard', 'automatic', 4_200);
    expect(await harness.stripe.authorize(request)).toMatchObject({
      outcome: 'succeeded',
      amount: 4_200,
      amountCaptured: 4_200,
    });
  });

  it('converts currencies whose Stripe exponent differs from ISO, both ways (5 ISK is sent as 500)', async () => {
    const ids = payflowIds('isk');
    const result = await harness.stripe.authorize({
      ...ids,
      amount: 5,
      currency: 'ISK',
      paymentMethod: 'pm_card_visa',
      captureMethod: 'manual',
    });
    expect(result).toMatchObject({ outcome: 'succeeded', amount: 5, currency: 'ISK' });
    const wire = (await (
      await fetch(`${harness.baseUrl}/v1/payment_intents/${result.pspReference}`, {
        headers: { Authorization: 'Bearer sk_test_connector' },
      })
    ).json()) as {
      amount: number;
    };
    expect(wire.amount).toBe(500);
  });

  it.each([
    [
      'pm_card_chargeDeclined',
      {
        code: 'card_declined',
        declineCode: 'generic_decline',
        declineKind: 'soft',
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
    'declines %s at confirm as a result, with the network’s codes, by answer and by webhook',
    async (paymentMethod, expected) => {
      const { ids, request } = authorize('decline', paymentMethod);
      const result: PspResult = await authorizeInTwoSteps(request);
      expect(result).toMatchObject({ outcome: 'declined', ...expected });
      expect(result.pspReference).toMatch(/^pi_/);
      const failed = await notification(
        (n) => n.data.kind === 'authorization' && n.data.intent_id === ids.intentId,
        'payment_failed webhook',
      );
      expect(failed.data).toMatchObject({
        success: false,
        code: expected.code,
        decline_code: expected.declineCode,
        network: expected.network,
        advice_code: 'adviceCode' in expected ? expected.adviceCode : null,
      });
      expect(await harness.stripe.retrieve({ pspReference: result.pspReference })).toMatchObject({
        status: 'failed',
        lastDecline: { code: expected.code, network: expected.network },
      });
      expect(await harness.chargesForReference('stripe', ids.attemptId)).toBe(0);
    },
  );

  it('declines in the older single call too', async () => {
    const { request } = authorize('decline1', 'pm_card_chargeDeclinedLostCard');
    expect(await harness.stripe.authorize(request)).toMatchObject({
      outcome: 'declined',
      code: 'lost_card',
      network: 'visa',
    });
  });

  it('a prepared payment moves no money, reads as pending, and a retried create finds the same payment', async () => {
    const { ids, request } = authorize('prepare');
    const prepared = await harness.stripe.prepareAuthorization(request);
    expect(prepared).toEqual({ provider: 'stripe', pspReference: expect.stringMatching(/^pi_/) });
    expect(await harness.stripe.prepareAuthorization(request)).toEqual(prepared);
    expect(await harness.stripe.retrieve({ pspReference: prepared.pspReference })).toMatchObject({
      status: 'pending',
      amountCapturable: 0,
      intentId: ids.intentId,
      attemptId: ids.attemptId,
    });
    expect(await harness.chargesForReference('stripe', ids.attemptId)).toBe(0);
    expect(await harness.heldPayment('stripe', prepared.pspReference)).toMatchObject({
      status: 'requires_confirmation',
      amount_held: 0,
    });
    // Nothing at Stripe to undo: cancelling an unconfirmed payment is a plain void.
    expect(
      await harness.stripe.cancel({
        ...payflowIds('void'),
        intentId: ids.intentId,
        pspReference: prepared.pspReference,
        amount: 10_000,
        currency: 'USD',
      }),
    ).toMatchObject({ outcome: 'succeeded' });
  });

  it('a failed create is not executed whatever the failure: creating moves no money', async () => {
    const { request } = authorize('prepare5xx');
    await harness.setFaults('stripe', { error_5xx_executed: 1, limit: 1 });
    expect(await rejection(harness.stripe.prepareAuthorization(request))).toMatchObject({
      errorClass: 'not_executed',
      httpStatus: 500,
    });
    await harness.setFaults('stripe', { timeout: 1, limit: 1 });
    expect(
      await rejection(harness.stripe.prepareAuthorization(authorize('preparetimeout').request)),
    ).toMatchObject({
      errorClass: 'not_executed',
      code: 'psp_timeout',
    });
  });

  it('an executed 5xx is indeterminate; the same key then returns the first outcome and charges once', async () => {
    const { ids, request } = authorize('exec5xx');
    await harness.setFaults('stripe', { error_5xx_executed: 1, limit: 1 });
    const error = await rejection(harness.stripe.authorize(request));
    expect(error).toMatchObject({ errorClass: 'indeterminate', retryable: true, httpStatus: 500 });
    expect(await harness.chargesForKey('stripe', ids.idempotencyKey)).toMatchObject({ charges: 1 });

    const replayed = await harness.stripe.authorize(request);
    expect(replayed).toMatchObject({ outcome: 'succeeded', amount: 10_000 });
    expect(await harness.chargesForKey('stripe', ids.idempotencyKey)).toMatchObject({
      charges: 1,
      replays: 1,
    });
    expect(await harness.chargesForReference('stripe', ids.attemptId)).toBe(1);
  });

  it('a 5xx with Stripe-Should-Retry: true is indeterminate: retried with the same key, never failed over', async () => {
    const { ids, request } = authorize('shouldretry');
    await harness.setFaults('stripe', { error_5xx_not_executed: 1, limit: 1 });
    const error = await rejection(harness.stripe.authorize(request));
    expect(error).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_error',
      httpStatus: 500,
    });
    expect(await harness.stripe.authorize(request)).toMatchObject({ outcome: 'succeeded' });
    expect(await harness.chargesForReference('stripe', ids.attemptId)).toBe(1);
  });

  it('a saved 500 is replayed for the key: indeterminate every time, settled by retrieving the recorded id', async () => {
    const { ids, request } = authorize('saved500');
    const prepared = await harness.stripe.prepareAuthorization(request);
    const confirm = { ...request, pspReference: prepared.pspReference };
    await harness.setFaults('stripe', { error_5xx_saved: 1, limit: 1 });
    expect(await rejection(harness.stripe.authorize(confirm))).toMatchObject({
      errorClass: 'indeterminate',
      httpStatus: 500,
    });
    // The same key gets the same 500 back (Idempotent-Replayed), though the confirm did execute.
    expect(await rejection(harness.stripe.authorize(confirm))).toMatchObject({
      errorClass: 'indeterminate',
      httpStatus: 500,
    });
    expect(await harness.stripe.retrieve({ pspReference: prepared.pspReference })).toMatchObject({
      status: 'authorized',
      amountCapturable: 10_000,
      attemptId: ids.attemptId,
    });
    expect(await harness.chargesForReference('stripe', ids.attemptId)).toBe(1);
  });

  it('a second request with a key still in use is answered 409: indeterminate, retry later with the same key', async () => {
    const { ids, request } = authorize('inuse', 'pm_card_timeout');
    const prepared = await harness.stripe.prepareAuthorization(request);
    const confirm = { ...request, pspReference: prepared.pspReference };
    const first = harness.stripe.authorize(confirm).catch((error: unknown) => error);
    await waitFor(
      async () => (await harness.chargesForKey('stripe', ids.idempotencyKey)).charges === 1 || undefined,
      {
        timeoutMs: 2_000,
        what: 'the first confirm executing',
      },
    );
    expect(await rejection(harness.stripe.authorize(confirm))).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_request_in_progress',
      httpStatus: 409,
    });
    expect(await first).toMatchObject({ errorClass: 'indeterminate', code: 'psp_timeout' });
    expect(await harness.chargesForReference('stripe', ids.attemptId)).toBe(1);
  });

  it('a 429 is not executed', async () => {
    const { ids, request } = authorize('ratelimit');
    await harness.setFaults('stripe', { rate_limit: 1, limit: 1 });
    expect(await rejection(harness.stripe.authorize(request))).toMatchObject({
      errorClass: 'not_executed',
      retryable: true,
      code: 'rate_limited',
      httpStatus: 429,
    });
    expect(await harness.chargesForKey('stripe', ids.idempotencyKey)).toMatchObject({ charges: 0 });
  });

  it('a connection reset is indeterminate: retried with the same key only', async () => {
    const { ids, request } = authorize('reset');
    // Every request resets, including the SDK's own one retry on a reset socket.
    await harness.setFaults('stripe', { reset: 1 });
    expect(await rejection(harness.stripe.authorize(request))).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_connection_reset',
    });
    expect(await harness.chargesForKey('stripe', ids.idempotencyKey)).toMatchObject({ charges: 0 });
  });

  it('a reset after execution is indeterminate, and the same key returns what executed, charged once', async () => {
    const { ids, request } = authorize('resetafter');
    const prepared = await harness.stripe.prepareAuthorization(request);
    const confirm = { ...request, pspReference: prepared.pspReference };
    // Twice: the SDK retries once on a reset socket, with the same key.
    await harness.setFaults('stripe', { reset_after_execution: 1, limit: 2 });
    expect(await rejection(harness.stripe.authorize(confirm))).toMatchObject({
      errorClass: 'indeterminate',
      code: 'psp_connection_reset',
    });
    expect(await harness.chargesForKey('stripe', ids.idempotencyKey)).toMatchObject({ charges: 1 });
    expect(await harness.stripe.authorize(confirm)).toMatchObject({
      outcome: 'succeeded',
      pspReference: prepared.pspReference,
    });
    expect(await harness.chargesForReference('stripe', ids.attemptId)).toBe(1);
  });

  it('a refused connection is not executed', async () => {
    const unreachable = new StripeConnector({
      apiKey: 'sk_test_connector',
      apiBaseUrl: `http://127.0.0.1:${await closedPort()}`,
      timeoutMs: CONNECTOR_TIMEOUT_MS,
      webhookSecret: STRIPE_WEBHOOK_SECRET,
    });
    try {
      expect(await rejection(unreachable.authorize(authorize('refused').request))).toMatchObject({
        errorClass: 'not_executed',
        retryable: true,
        code: 'psp_unreachable',
        providerCode: 'ECONNREFUSED',
      });
    } finally {
      await unreachable.close();
    }
  });

  it('a timeout is indeterminate; the same key then returns the first outcome and charges once', async () => {
    const { ids, request } = authorize('timeout');
    await harness.setFaults('stripe', { timeout: 1, limit: 1 });
    expect(await rejection(harness.stripe.authorize(request))).toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_timeout',
    });
    expect(await harness.chargesForKey('stripe', ids.idempotencyKey)).toMatchObject({ charges: 1 });
    const replayed = await harness.stripe.authorize(request);
    expect(replayed).toMatchObject({ outcome: 'succeeded' });
    expect(await harness.stripe.retrieve({ pspReference: replayed.pspReference })).toMatchObject({
      status: 'authorized',
      attemptId: ids.attemptId,
    });
    expect(await harness.chargesForKey('stripe', ids.idempotencyKey)).toMatchObject({
      charges: 1,
      replays: 1,
    });
  });

  it('pm_card_timeout answers late: indeterminate, then settled by the webhook and by a same-key replay', async () => {
    const { ids, request } = authorize('slowcard', 'pm_card_timeout');
    const started = Date.now();
    expect(await rejection(harness.stripe.authorize(request))).toMatchObject({
      errorClass: 'indeterminate',
      code: 'psp_timeout',
    });
    expect(Date.now() - started).toBeLessThan(CONNECTOR_TIMEOUT_MS * 3);
    const webhook = await notification(
      (n) => n.data.kind === 'authorization' && n.data.intent_id === ids.intentId,
      'authorization webhook of the slow card',
    );
    expect(webhook.data.success).toBe(true);
    expect(await harness.stripe.authorize(request)).toMatchObject({
      outcome: 'succeeded',
      pspReference: webhook.data.psp_reference,
    });
    expect(await harness.chargesForReference('stripe', ids.attemptId)).toBe(1);
  });

  it('a captured payment cannot be voided (already_captured); a canceled one voids again as a success', async () => {
    const { ids, request } = authorize('voidcaptured', 'pm_card_visa', 'automatic');
    const captured = await authorizeInTwoSteps(request);
    expect(captured).toMatchObject({ outcome: 'succeeded', amountCaptured: 10_000 });
    const refused = await rejection(
      harness.stripe.cancel({
        ...payflowIds('void'),
        intentId: ids.intentId,
        pspReference: captured.pspReference,
        amount: 10_000,
        currency: 'USD',
      }),
    );
    expect(refused).toMatchObject({ errorClass: 'declined', retryable: false, code: 'already_captured' });

    const manual = authorize('voidtwice');
    const authorized = await authorizeInTwoSteps(manual.request);
    const cancel = {
      intentId: manual.ids.intentId,
      pspReference: authorized.pspReference,
      amount: 10_000,
      currency: 'USD',
    };
    expect(await harness.stripe.cancel({ ...payflowIds('void1'), ...cancel })).toMatchObject({
      outcome: 'succeeded',
    });
    // A second void under another key (a compensation after a deadline cancel, say) finds it canceled.
    expect(await harness.stripe.cancel({ ...payflowIds('void2'), ...cancel })).toMatchObject({
      outcome: 'succeeded',
      pspReference: authorized.pspReference,
    });
    expect(await harness.heldPayment('stripe', authorized.pspReference)).toMatchObject({
      status: 'canceled',
      amount_held: 0,
    });
  });

  it('a refund that succeeds and fails later: refund.failed (a reversal) and retrieveRefund says failed', async () => {
    const { ids, request } = authorize('refundfails', 'pm_card_refundFailsLater', 'automatic');
    const { pspReference } = await authorizeInTwoSteps(request);
    const refundIds = payflowIds('re');
    const refund = await harness.stripe.refund({
      ...refundIds,
      intentId: ids.intentId,
      refundId: 're_failslater',
      pspReference,
      amount: 4_000,
      currency: 'USD',
    });
    expect(refund).toMatchObject({ outcome: 'succeeded', amount: 4_000 });
    const failed = await notification(
      (n) => n.data.kind === 'refund' && n.data.refund_id === 're_failslater' && !n.data.success,
      'refund.failed webhook',
    );
    expect(failed.data).toMatchObject({
      psp_reference: refund.pspReference,
      reversal: true,
      attempt_id: refundIds.attemptId,
      intent_id: ids.intentId,
      message: 'expired_or_canceled_card',
    });
    expect(failed.eventType).toBe('refund.failed');
    expect(await harness.stripe.retrieveRefund({ pspReference: refund.pspReference })).toEqual({
      provider: 'stripe',
      pspReference: refund.pspReference,
      status: 'failed',
      amount: 4_000,
      currency: 'USD',
      failureReason: 'expired_or_canceled_card',
      attemptId: refundIds.attemptId,
    });
    expect(await harness.heldPayment('stripe', pspReference)).toMatchObject({
      net_charge: 10_000,
      failed_refunds: 1,
    });
  });

  it('a refund whose answer was a saved 500 is found by its attempt in the payment’s refunds', async () => {
    const { ids, request } = authorize('refundsaved', 'pm_card_visa', 'automatic');
    const { pspReference } = await authorizeInTwoSteps(request);
    const refundIds = payflowIds('re');
    const refund = {
      ...refundIds,
      intentId: ids.intentId,
      refundId: 're_saved',
      pspReference,
      amount: 3_000,
      currency: 'USD',
    };
    expect(
      await harness.stripe.findRefund({ paymentPspReference: pspReference, attemptId: refundIds.attemptId }),
    ).toBeUndefined();
    await harness.setFaults('stripe', { error_5xx_saved: 1, limit: 1 });
    expect(await rejection(harness.stripe.refund(refund))).toMatchObject({
      errorClass: 'indeterminate',
      httpStatus: 500,
    });
    expect(await rejection(harness.stripe.refund(refund))).toMatchObject({
      errorClass: 'indeterminate',
      httpStatus: 500,
    });
    expect(
      await harness.stripe.findRefund({ paymentPspReference: pspReference, attemptId: refundIds.attemptId }),
    ).toMatchObject({
      status: 'succeeded',
      amount: 3_000,
      attemptId: refundIds.attemptId,
      pspReference: expect.stringMatching(/^re_/),
    });
  });

  it('a confirm answered late settles by retrieving the recorded id', async () => {
    const { ids, request } = authorize('retrieveslow', 'pm_card_timeout');
    const prepared = await harness.stripe.prepareAuthorization(request);
    expect(
      await rejection(harness.stripe.authorize({ ...request, pspReference: prepared.pspReference })),
    ).toMatchObject({
      errorClass: 'indeterminate',
    });
    expect(await harness.stripe.retrieve({ pspReference: prepared.pspReference })).toMatchObject({
      status: 'authorized',
      intentId: ids.intentId,
      attemptId: ids.attemptId,
    });
  });
});
