import { validateEvent } from '@payflow/contracts';
import { waitFor } from '@payflow/platform/testing';
import { IntentsFixture, newMerchant } from './intents-fixture';

/**
 * The PSP's later word (issue 10): failures reported after a success, successes PayFlow had given
 * up on, declines with everything dunning needs, and an automatic capture that beats a cancel.
 */
describe("intents: the PSP's last word", () => {
  const fx = new IntentsFixture();

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  const eventsOf = async (intentId: string, type: string) =>
    (await fx.outbox(intentId)).filter((e) => e.type === type).map((e) => e.event);

  it('a reversed capture fails the intent, keeps its refunds, carries the booked fee, and the intent may be authorized again', async () => {
    const merchant = newMerchant();
    const intent = await fx.authorized(merchant);
    const capture = fx.post(
      `/${intent.id}/capture`,
      merchant,
      {},
      { 'x-merchant-fee-schedule': '{"fee_bps":250,"fee_fixed":{"USD":20}}' },
    );
    await fx.waitForStatus(intent.id, 'capturing');
    await fx.applyThroughConsumer(fx.result('payment.captured', intent, { provider: 'adyen' }));
    await capture;
    const refund = await fx.post(`/${intent.id}/refund`, merchant, { amount: 1_000 });
    await fx.applyThroughConsumer(
      fx.result('payment.refunded', intent, { provider: 'adyen', amount: 1_000, refund_id: refund.body.id }),
    );
    await fx.waitForStatus(intent.id, 'partially_refunded');

    const reversed = fx.result('payment.capture_reversed', intent, {
      provider: 'adyen',
      code: 'CAPTURE_FAILED',
      message: 'Capture failed at the acquirer',
    });
    await fx.publish(reversed, reversed); // delivered twice: applied once
    await fx.waitForStatus(intent.id, 'failed');

    expect((await fx.get(`/${intent.id}`, merchant)).body).toMatchObject({
      status: 'failed',
      amount_received: 0,
      amount_capturable: 0,
      amount_refunded: 1_000, // the refund stays: its own reversal comes separately
      last_error: { type: 'api_error', code: 'capture_reversed', message: 'Capture failed at the acquirer' },
    });
    const [event] = await eventsOf(intent.id, 'payment_intent.capture_reversed');
    expect(validateEvent(event)).toMatchObject({ ok: true });
    expect(event.data).toMatchObject({
      provider: 'adyen',
      amount_reversed: 10_000,
      fee_bps: 250,
      fee_fixed: 20,
      code: 'CAPTURE_FAILED',
      intent: { status: 'failed' },
    });
    await waitFor(async () => (await fx.count(`inbox WHERE event_id = $1`, [reversed.id])) === 1, {
      what: 'the reversal in the inbox',
    });
    expect(await eventsOf(intent.id, 'payment_intent.capture_reversed')).toHaveLength(1);
    expect(await fx.refunds(intent.id)).toEqual([[refund.body.id, 'succeeded']]);

    // failed → authorize: a new authorization of the same intent
    const again = fx.post(`/${intent.id}/authorize`, merchant);
    await fx.waitForStatus(intent.id, 'authorizing');
    await fx.applyThroughConsumer(fx.result('payment.authorized', intent));
    expect(await again).toMatchObject({ status: 200, body: { status: 'authorized', last_error: null } });
  });

  it('a reversed refund fails it, makes its amount refundable again, and recomputes the status', async () => {
    const merchant = newMerchant();
    const intent = await fx.captured(merchant);
    const first = await fx.post(`/${intent.id}/refund`, merchant, { amount: 4_000 });
    const second = await fx.post(`/${intent.id}/refund`, merchant); // the rest: 6 000
    for (const [refund, amount] of [
      [first, 4_000],
      [second, 6_000],
    ] as const) {
      await fx.applyThroughConsumer(
        fx.result('payment.refunded', intent, { amount, refund_id: refund.body.id }),
      );
    }
    await fx.waitForStatus(intent.id, 'refunded');

    await fx.applyThroughConsumer(
      fx.result('payment.refund_reversed', intent, {
        amount: 6_000,
        refund_id: second.body.id,
        code: 'refund_failed',
      }),
    );
    expect((await fx.get(`/${intent.id}`, merchant)).body).toMatchObject({
      status: 'partially_refunded',
      amount_refunded: 4_000,
      amount_received: 10_000,
    });
    await fx.applyThroughConsumer(
      fx.result('payment.refund_reversed', intent, { amount: 4_000, refund_id: first.body.id }),
    );
    expect((await fx.get(`/${intent.id}`, merchant)).body).toMatchObject({
      status: 'captured',
      amount_refunded: 0,
    });
    expect(await fx.refunds(intent.id)).toEqual([
      [second.body.id, 'failed'],
      [first.body.id, 'failed'],
    ]);

    const reversals = await eventsOf(intent.id, 'refund.reversed');
    expect(
      reversals.map((e) => [e.data.refund.id, e.data.refund.status, e.data.amount, e.data.code]),
    ).toEqual([
      [second.body.id, 'failed', 6_000, 'refund_failed'],
      [first.body.id, 'failed', 4_000, 'refund_reversed'],
    ]);
    for (const event of reversals) expect(validateEvent(event)).toMatchObject({ ok: true });
    // A second reversal of the same refund changes nothing.
    await fx.applyThroughConsumer(
      fx.result('payment.refund_reversed', intent, { amount: 4_000, refund_id: first.body.id }),
    );
    expect(await eventsOf(intent.id, 'refund.reversed')).toHaveLength(2);

    // What is refundable again may be refunded again.
    const third = await fx.post(`/${intent.id}/refund`, merchant);
    expect(third.body).toMatchObject({ amount: 10_000, status: 'pending' });
    // A reversal of a refund still pending is just its failure.
    await fx.applyThroughConsumer(
      fx.result('payment.refund_reversed', intent, { amount: 10_000, refund_id: third.body.id }),
    );
    expect((await fx.get(`/${intent.id}`, merchant)).body).toMatchObject({
      status: 'captured',
      amount_refunded: 0,
    });
    expect((await fx.outbox(intent.id)).map((e) => e.type).slice(-2)).toEqual([
      'refund.requested',
      'refund.failed',
    ]);
  });

  it('late successes are published as facts, in any order and status, once each, without moving the intent', async () => {
    const merchant = newMerchant();
    const intent = await fx.createIntent(merchant, { capture_method: 'automatic' });
    await fx.authorize(
      intent,
      fx.result('payment.authorization_failed', intent, {
        code: 'payment_outcome_unknown',
        error_type: 'api_error',
      }),
    );
    await fx.waitForStatus(intent.id, 'failed');
    const facts = {
      attempt_id: 'att_late',
      amount_captured: 10_000,
      reversal: 'refund' as const,
      reversal_attempt_id: 'att_refund',
      provider: 'stripe' as const,
    };
    const reversed = fx.result('payment.late_success_reversed', intent, facts);
    const detected = fx.result('payment.late_success', intent, facts);
    await fx.publish(reversed, detected, detected); // the reversal first, and the detection twice
    await waitFor(
      async () => (await fx.count(`inbox WHERE event_id = ANY($1)`, [[reversed.id, detected.id]])) === 2,
      {
        what: 'both late-success events consumed',
      },
    );

    expect(await fx.status(intent.id)).toBe('failed');
    const types = (await fx.outbox(intent.id)).map((e) => e.type);
    expect(types.slice(-2)).toEqual([
      'payment_intent.late_success_reversed',
      'payment_intent.late_success_detected',
    ]);
    const [event] = await eventsOf(intent.id, 'payment_intent.late_success_detected');
    expect(validateEvent(event)).toMatchObject({ ok: true });
    expect(event.data).toMatchObject({
      provider: 'stripe',
      attempt_id: 'att_late',
      psp_reference: detected.data.psp_reference,
      amount_authorized: 10_000,
      amount_captured: 10_000,
      reversal: 'refund',
      intent: { status: 'failed', last_error: { type: 'api_error', code: 'payment_outcome_unknown' } },
    });
    expect((await fx.history(intent.id)).filter((h) => h.trigger === 'late_success')).toEqual([
      { from_status: 'failed', to_status: 'failed', trigger: 'late_success' },
      { from_status: 'failed', to_status: 'failed', trigger: 'late_success' },
    ]);
  });

  it('a decline settled later keeps its code, network and advice code on last_error and the event', async () => {
    const merchant = newMerchant();
    const intent = await fx.createIntent(merchant, { payment_method: 'pm_card_mastercard_doNotTryAgain' });
    const answer = await fx.authorize(
      intent,
      fx.result('payment.authorization_failed', intent, {
        provider: 'adyen',
        code: 'card_declined',
        decline_code: 'do_not_honor',
        message: 'Refused',
        network: 'mastercard',
        advice_code: '03',
        error_type: 'card_error',
      }),
    );
    expect([200, 202]).toContain(answer.status);
    await fx.waitForStatus(intent.id, 'failed');
    expect((await fx.get(`/${intent.id}`, merchant)).body.last_error).toEqual({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'do_not_honor',
      message: 'Refused',
      network: 'mastercard',
      advice_code: '03',
    });
    const [event] = await eventsOf(intent.id, 'payment_intent.authorization_failed');
    expect(event.data).toMatchObject({
      code: 'card_declined',
      decline_code: 'do_not_honor',
      network: 'mastercard',
      advice_code: '03',
    });
  });

  it('an automatic capture reported after a cancel was asked for leaves the intent captured, and the refused void changes nothing', async () => {
    const merchant = newMerchant();
    const intent = await fx.authorized(merchant, { capture_method: 'automatic' });
    const cancel = fx.post(`/${intent.id}/cancel`, merchant, { reason: 'requested_by_customer' });
    await fx.waitForStatus(intent.id, 'canceling');
    await fx.applyThroughConsumer(fx.result('payment.captured', intent));
    expect(await cancel).toMatchObject({
      status: 200,
      body: { status: 'captured', amount_received: 10_000 },
    });
    await fx.applyThroughConsumer(
      fx.result('payment.cancel_failed', intent, { code: 'payment_already_captured' }),
    );
    expect((await fx.get(`/${intent.id}`, merchant)).body).toMatchObject({
      status: 'captured',
      amount_received: 10_000,
      amount_capturable: 0,
      last_error: null,
    });
    const types = (await fx.outbox(intent.id)).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['payment_intent.cancel_requested', 'payment_intent.captured']);
    expect((await fx.history(intent.id)).at(-1)).toEqual({
      from_status: 'canceling',
      to_status: 'captured',
      trigger: 'capture_succeeded',
    });
  });
});
