import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import Stripe from 'stripe';
import { PspNotificationReceivedData } from '@payflow/contracts';
import { WebhookPayloadError, WebhookSignatureError } from '../core/webhook-errors';
import { parseStripeEvent, verifyAndParseStripeWebhook, verifyStripeWebhook } from './stripe.webhooks';

const SECRET = 'whsec_unit_test_secret_value';
const now = () => Math.floor(Date.now() / 1000);

function paymentIntent(overrides: Record<string, unknown> = {}) {
  return {
    id: 'pi_3StripeIntent',
    object: 'payment_intent',
    amount: 10_000,
    amount_capturable: 10_000,
    amount_received: 0,
    currency: 'usd',
    status: 'requires_capture',
    capture_method: 'manual',
    metadata: { payflow_intent_id: 'pi_payflow1', payflow_attempt_id: 'att_1' },
    last_payment_error: null,
    ...overrides,
  };
}

function event(type: string, object: Record<string, unknown>, id = 'evt_3Test') {
  return {
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: now(),
    type,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  };
}

/** A request as Stripe sends it: raw JSON bytes and a Stripe-Signature made by the SDK's own helper. */
function signed(body: unknown, options: { secret?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify(body, null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? SECRET,
    timestamp: options.timestamp ?? now(),
  });
  return { rawBody: Buffer.from(payload), headers: { 'stripe-signature': header } };
}

describe('Stripe webhook signatures', () => {
  const body = event('payment_intent.amount_capturable_updated', paymentIntent());

  it('accepts a valid signature', () => {
    const { rawBody, headers } = signed(body);
    expect(verifyStripeWebhook(rawBody, headers, { secret: SECRET }).id).toBe('evt_3Test');
  });

  it('rejects a signature made with another secret (forged)', () => {
    const { rawBody, headers } = signed(body, { secret: 'whsec_someone_else' });
    expect(() => verifyStripeWebhook(rawBody, headers, { secret: SECRET })).toThrow(WebhookSignatureError);
  });

  it('rejects a stale signature (older than the 300 s tolerance)', () => {
    const { rawBody, headers } = signed(body, { timestamp: now() - 301 });
    expect(() => verifyStripeWebhook(rawBody, headers, { secret: SECRET })).toThrow(/tolerance/);
  });

  it('accepts a signature just inside the tolerance', () => {
    const { rawBody, headers } = signed(body, { timestamp: now() - 290 });
    expect(() => verifyStripeWebhook(rawBody, headers, { secret: SECRET })).not.toThrow();
  });

  it('rejects a tampered body', () => {
    const { rawBody, headers } = signed(body);
    const tampered = Buffer.from(rawBody.toString().replace('10000', '99999'));
    expect(() => verifyStripeWebhook(tampered, headers, { secret: SECRET })).toThrow(WebhookSignatureError);
  });

  it('rejects a missing or empty header', () => {
    const { rawBody } = signed(body);
    expect(() => verifyStripeWebhook(rawBody, {}, { secret: SECRET })).toThrow(/missing Stripe-Signature/);
    expect(() => verifyStripeWebhook(rawBody, { 'stripe-signature': '' }, { secret: SECRET })).toThrow(
      WebhookSignatureError,
    );
    expect(() => verifyStripeWebhook(rawBody, { 'stripe-signature': 'garbage' }, { secret: SECRET })).toThrow(
      WebhookSignatureError,
    );
  });

  it('finds the header in any case', () => {
    const { rawBody, headers } = signed(body);
    expect(() =>
      verifyStripeWebhook(rawBody, { 'Stripe-Signature': headers['stripe-signature'] }, { secret: SECRET }),
    ).not.toThrow();
  });

  it('refuses to verify without a configured secret', () => {
    const { rawBody, headers } = signed(body);
    expect(() => verifyStripeWebhook(rawBody, headers, { secret: '' })).toThrow(WebhookSignatureError);
  });

  it('reports a correctly signed body that is not a Stripe event as a payload error', () => {
    const notJson = Buffer.from('not json at all');
    const header = Stripe.webhooks.generateTestHeaderString({ payload: notJson.toString(), secret: SECRET });
    expect(() => verifyStripeWebhook(notJson, { 'stripe-signature': header }, { secret: SECRET })).toThrow(
      WebhookPayloadError,
    );
    const noType = signed({ id: 'evt_1', data: { object: {} } });
    expect(() => verifyStripeWebhook(noType.rawBody, noType.headers, { secret: SECRET })).toThrow(
      WebhookPayloadError,
    );
  });
});

describe('Stripe event normalization', () => {
  function parse(body: ReturnType<typeof event>) {
    return parseStripeEvent(body as unknown as Stripe.Event);
  }

  it('amount_capturable_updated → authorization succeeded, with PayFlow ids from metadata', () => {
    const [notification] = parse(event('payment_intent.amount_capturable_updated', paymentIntent()));
    expect(notification?.data).toEqual({
      provider: 'stripe',
      psp_event_id: 'evt_3Test',
      psp_reference: 'pi_3StripeIntent',
      kind: 'authorization',
      success: true,
      amount: 10_000,
      currency: 'USD',
      intent_id: 'pi_payflow1',
      attempt_id: 'att_1',
      refund_id: null,
    });
    expect(notification?.eventType).toBe('payment_intent.amount_capturable_updated');
  });

  it('payment_failed → authorization failed, with the decline message', () => {
    const failed = paymentIntent({
      status: 'requires_payment_method',
      amount_capturable: 0,
      last_payment_error: {
        code: 'card_declined',
        decline_code: 'lost_card',
        message: 'Your card was declined.',
      },
    });
    const [notification] = parse(event('payment_intent.payment_failed', failed));
    expect(notification?.data).toMatchObject({ kind: 'authorization', success: false, amount: 10_000 });
    expect(notification?.reason).toBe('Your card was declined.');
  });

  it('succeeded → capture of amount_received, naming the capture attempt when set', () => {
    const captured = paymentIntent({
      status: 'succeeded',
      amount_capturable: 0,
      amount_received: 6_000,
      metadata: {
        payflow_intent_id: 'pi_payflow1',
        payflow_attempt_id: 'att_1',
        payflow_capture_attempt_id: 'att_cap',
      },
    });
    const [notification] = parse(event('payment_intent.succeeded', captured));
    expect(notification?.data).toMatchObject({
      kind: 'capture',
      success: true,
      amount: 6_000,
      attempt_id: 'att_cap',
    });
  });

  it('canceled → cancel', () => {
    const [notification] = parse(
      event('payment_intent.canceled', paymentIntent({ status: 'canceled', amount_capturable: 0 })),
    );
    expect(notification?.data).toMatchObject({
      kind: 'cancel',
      success: true,
      amount: 10_000,
      attempt_id: null,
    });
  });

  it('refund events → refund, keyed by the refund, only in final states', () => {
    const refund = {
      id: 're_3R',
      object: 'refund',
      amount: 2_500,
      currency: 'usd',
      payment_intent: 'pi_3StripeIntent',
      status: 'succeeded',
      metadata: {
        payflow_intent_id: 'pi_payflow1',
        payflow_attempt_id: 'att_r',
        payflow_refund_id: 're_payflow',
      },
    };
    const [succeeded] = parse(event('refund.created', refund));
    expect(succeeded?.data).toMatchObject({
      kind: 'refund',
      success: true,
      amount: 2_500,
      psp_reference: 're_3R',
      refund_id: 're_payflow',
      attempt_id: 'att_r',
    });
    expect(succeeded?.paymentPspReference).toBe('pi_3StripeIntent');
    expect(
      parse(
        event('refund.updated', { ...refund, status: 'failed', failure_reason: 'expired_or_canceled_card' }),
      )[0]?.data.success,
    ).toBe(false);
    expect(parse(event('refund.created', { ...refund, status: 'pending' }))).toEqual([]);
  });

  it('charge.dispute.created → chargeback', () => {
    const dispute = {
      id: 'dp_1',
      object: 'dispute',
      amount: 10_000,
      currency: 'usd',
      charge: 'ch_1',
      payment_intent: 'pi_3StripeIntent',
      reason: 'fraudulent',
      metadata: {},
    };
    expect(parse(event('charge.dispute.created', dispute))[0]?.data).toMatchObject({
      kind: 'chargeback',
      success: true,
      psp_reference: 'pi_3StripeIntent',
    });
  });

  it('ignores events PayFlow does not act on', () => {
    expect(parse(event('customer.created', { id: 'cus_1' }))).toEqual([]);
    expect(parse(event('charge.refunded', { id: 'ch_1', amount_refunded: 100 }))).toEqual([]);
  });

  it('converts amounts to ISO minor units (ISK is two-decimal at Stripe)', () => {
    const [notification] = parse(
      event(
        'payment_intent.amount_capturable_updated',
        paymentIntent({ amount: 500, amount_capturable: 500, currency: 'isk' }),
      ),
    );
    expect(notification?.data).toMatchObject({ amount: 5, currency: 'ISK' });
  });

  it('produces valid psp.notification_received data (the contracts schema)', () => {
    const { rawBody, headers } = signed(event('payment_intent.amount_capturable_updated', paymentIntent()));
    const [notification] = verifyAndParseStripeWebhook(rawBody, headers, { secret: SECRET });
    expect(validateSync(plainToInstance(PspNotificationReceivedData, notification?.data))).toEqual([]);
  });
});
