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
    const authorized = await harness.stripe.authorize(request);
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
      { code: 'card_declined', declineCode: 'generic_decline', declineKind: 'soft' },
    ],
    [
      'pm_card_chargeDeclinedInsufficientFunds',
      { code: 'insufficient_funds', declineCode: 'insufficient_funds', declineKind: 'soft' },
    ],
    ['pm_card_chargeDeclinedLostCard', { code: 'lost_card', declineCode: 'lost_card', declineKind: 'hard' }],
  ])('declines %s as a result, not an error', async (paymentMethod, expected) => {
    const { ids, request } = authorize('decline', paymentMethod);
    const result: PspResult = await harness.stripe.authorize(request);
    expect(result).toMatchObject({ outcome: 'declined', ...expected });
    expect(result.pspReference).toMatch(/^pi_/);
    const failed = await notification(
      (n) => n.data.kind === 'authorization' && n.data.intent_id === ids.intentId,
      'payment_failed webhook',
    );
    expect(failed.data.success).toBe(false);
    expect(await harness.chargesForReference('stripe', ids.attemptId)).toBe(0);
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

  it('a 5xx marked not processed (Stripe-Should-Retry: true) is not executed', async () => {
    const { ids, request } = authorize('notexec');
    await harness.setFaults('stripe', { error_5xx_not_executed: 1, limit: 1 });
    const error = await rejection(harness.stripe.authorize(request));
    expect(error).toMatchObject({ errorClass: 'not_executed', retryable: true, code: 'psp_not_processed' });
    expect(await harness.chargesForKey('stripe', ids.idempotencyKey)).toMatchObject({ charges: 0 });
    expect(await harness.stripe.authorize(request)).toMatchObject({ outcome: 'succeeded' });
    expect(await harness.chargesForKey('stripe', ids.idempotencyKey)).toMatchObject({
      charges: 1,
      replays: 0,
    });
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

  it('a connection reset is not executed', async () => {
    const { ids, request } = authorize('reset');
    // Every request resets, including the SDK's own one retry on a reset socket.
    await harness.setFaults('stripe', { reset: 1 });
    expect(await rejection(harness.stripe.authorize(request))).toMatchObject({
      errorClass: 'not_executed',
      code: 'psp_connection_reset',
    });
    expect(await harness.chargesForKey('stripe', ids.idempotencyKey)).toMatchObject({ charges: 0 });
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
});
