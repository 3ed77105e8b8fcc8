import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import Stripe from 'stripe';
import { PspNotificationReceivedData } from '@payflow/contracts';
import {
  WebhookPayloadError,
  WebhookSignatureError,
  WebhookUnusableEventError,
} from '../core/webhook-errors';
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
    let noTypeError: unknown;
    try {
      verifyStripeWebhook(noType.rawBody, noType.headers, { secret: SECRET });
    } catch (error) {
      noTypeError = error;
    }
    expect(noTypeError).not.toBeInstanceOf(WebhookUnusableEventError);
  });

  it('stores a signed event with an id and type but no data.object as unusable (2xx), not a 4xx', () => {
    const noObject = signed({ id: 'evt_1', type: 'payment_intent.succeeded', data: {} });
    expect(() => verifyStripeWebhook(noObject.rawBody, noObject.headers, { secret: SECRET })).toThrow(
      WebhookUnusableEventError,
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

  it('payment_failed keeps the decline: lost_card, network and advice code', () => {
    const failed = paymentIntent({
      status: 'requires_payment_method',
      amount_capturable: 0,
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'lost_card',
        message: 'Your card was declined.',
        network_decline_code: '41',
        network_advice_code: '03',
        payment_method: { id: 'pm_1', card: { brand: 'visa' } },
      },
    });
    const [notification] = parse(event('payment_intent.payment_failed', failed));
    expect(notification?.data).toMatchObject({
      kind: 'authorization',
      success: false,
      code: 'lost_card',
      decline_code: 'lost_card',
      network: 'visa',
      advice_code: '03',
      message: 'Your card was declined.',
    });
    expect(validateSync(plainToInstance(PspNotificationReceivedData, notification?.data))).toEqual([]);
  });

  it('payment_failed for mastercard do-not-try-again, and without network fields', () => {
    const mastercard = paymentIntent({
      status: 'requires_payment_method',
      last_payment_error: {
        code: 'card_declined',
        decline_code: 'do_not_honor',
        message: 'Your card was declined.',
        network_advice_code: '03',
        payment_method: { card: { brand: 'mastercard' } },
      },
    });
    expect(parse(event('payment_intent.payment_failed', mastercard))[0]?.data).toMatchObject({
      code: 'card_declined',
      decline_code: 'do_not_honor',
      network: 'mastercard',
      advice_code: '03',
    });
    const plain = paymentIntent({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'No funds.' },
    });
    expect(parse(event('payment_intent.payment_failed', plain))[0]?.data).toMatchObject({
      code: 'insufficient_funds',
      decline_code: 'insufficient_funds',
      network: null,
      advice_code: null,
    });
  });

  it('successes carry no decline fields', () => {
    const [notification] = parse(event('payment_intent.amount_capturable_updated', paymentIntent()));
    expect(notification?.data).not.toHaveProperty('code');
    expect(notification?.data).not.toHaveProperty('reversal');
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

  it('a refund failing after it succeeded: refund.failed is a reversal, with the failure reason', () => {
    const refund = {
      id: 're_3R',
      object: 'refund',
      amount: 2_500,
      currency: 'usd',
      payment_intent: 'pi_3StripeIntent',
      status: 'failed',
      failure_reason: 'expired_or_canceled_card',
      metadata: {
        payflow_intent_id: 'pi_payflow1',
        payflow_attempt_id: 'att_r',
        payflow_refund_id: 're_payflow',
      },
    };
    const [failed] = parse(event('refund.failed', refund));
    expect(failed?.data).toMatchObject({
      kind: 'refund',
      success: false,
      reversal: true,
      psp_reference: 're_3R',
      refund_id: 're_payflow',
      attempt_id: 'att_r',
      message: 'expired_or_canceled_card',
    });
    expect(failed?.reason).toBe('expired_or_canceled_card');
    expect(validateSync(plainToInstance(PspNotificationReceivedData, failed?.data))).toEqual([]);
    for (const type of ['refund.updated', 'charge.refund.updated']) {
      const [updated] = parse(event(type, refund));
      expect(updated?.data).toMatchObject({
        kind: 'refund',
        success: false,
        message: 'expired_or_canceled_card',
      });
      // Only refund.failed says so; the orchestrator decides by its own attempt either way.
      expect(updated?.data.reversal).toBeUndefined();
    }
    const [succeeded] = parse(
      event('refund.updated', { ...refund, status: 'succeeded', failure_reason: null }),
    );
    expect(succeeded?.data).toMatchObject({ success: true });
    expect(succeeded?.data).not.toHaveProperty('reversal');
    expect(succeeded?.data).not.toHaveProperty('message');
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

  it.each([
    [
      'payment_intent.amount_capturable_updated',
      paymentIntent({ amount_capturable: undefined }),
      'amount_capturable',
    ],
    [
      'payment_intent.succeeded',
      paymentIntent({ status: 'succeeded', amount_received: null }),
      'amount_received',
    ],
    ['payment_intent.payment_failed', paymentIntent({ amount: undefined }), 'amount'],
    ['payment_intent.canceled', paymentIntent({ currency: undefined }), 'currency'],
    ['payment_intent.canceled', paymentIntent({ currency: 'zzz' }), 'currency'],
    ['payment_intent.succeeded', paymentIntent({ id: undefined }), 'id'],
    [
      'refund.updated',
      { id: 're_1', object: 'refund', status: 'succeeded', currency: 'usd', metadata: {} },
      'amount',
    ],
    ['charge.dispute.created', { id: 'dp_1', object: 'dispute', amount: 10, metadata: {} }, 'currency'],
  ])('%s whose object lacks a field PayFlow reads is unusable, not a 4xx (%#)', (type, object, field) => {
    let thrown: unknown;
    try {
      parse(event(type, object));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WebhookUnusableEventError);
    expect(String((thrown as Error).message)).toContain(field);
  });

  it('an amount that is not whole ISO minor units is unusable too', () => {
    expect(() =>
      parse(
        event(
          'payment_intent.amount_capturable_updated',
          paymentIntent({ amount: 550, amount_capturable: 550, currency: 'isk' }),
        ),
      ),
    ).toThrow(WebhookUnusableEventError);
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
