import type Stripe from 'stripe';
import { toLastError } from '../core/last-error';
import {
  declinedFromCardError,
  fromAuthorizedPaymentIntent,
  fromCapturedPaymentIntent,
  fromRefund,
  toPaymentIntentCancelParams,
  toPaymentIntentCaptureParams,
  toPaymentIntentCreateParams,
  toRefundCreateParams,
  toSnapshot,
} from './stripe.transformers';

const ids = { intentId: 'pi_payflow1', attemptId: 'att_1', idempotencyKey: 'key_1' };

function intent(overrides: Partial<Stripe.PaymentIntent>): Stripe.PaymentIntent {
  return {
    id: 'pi_3S',
    object: 'payment_intent',
    amount: 10_000,
    amount_capturable: 0,
    amount_received: 0,
    currency: 'usd',
    metadata: {},
    last_payment_error: null,
    ...overrides,
  } as Stripe.PaymentIntent;
}

describe('Stripe request mapping', () => {
  it('creates a confirmed card payment intent carrying PayFlow ids', () => {
    expect(
      toPaymentIntentCreateParams({
        ...ids,
        amount: 5,
        currency: 'isk',
        paymentMethod: 'pm_card_visa',
        captureMethod: 'manual',
      }),
    ).toEqual({
      amount: 500,
      currency: 'isk',
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
      confirm: true,
      capture_method: 'manual',
      metadata: { payflow_intent_id: 'pi_payflow1', payflow_attempt_id: 'att_1' },
    });
  });

  it('captures an amount and names the capture attempt', () => {
    expect(
      toPaymentIntentCaptureParams({ ...ids, pspReference: 'pi_3S', amount: 6_000, currency: 'USD' }),
    ).toEqual({
      amount_to_capture: 6_000,
      metadata: { payflow_capture_attempt_id: 'att_1' },
    });
  });

  it('passes only reasons Stripe knows', () => {
    expect(
      toPaymentIntentCancelParams({
        ...ids,
        pspReference: 'pi_3S',
        amount: 1,
        currency: 'USD',
        reason: 'requested_by_customer',
      }),
    ).toEqual({ cancellation_reason: 'requested_by_customer' });
    expect(
      toPaymentIntentCancelParams({
        ...ids,
        pspReference: 'pi_3S',
        amount: 1,
        currency: 'USD',
        reason: 'expired',
      }),
    ).toEqual({});
    const refund = toRefundCreateParams({
      ...ids,
      pspReference: 'pi_3S',
      refundId: 're_1',
      amount: 100,
      currency: 'USD',
      reason: 'customer changed their mind',
    });
    expect(refund).toEqual({
      payment_intent: 'pi_3S',
      amount: 100,
      metadata: {
        payflow_intent_id: 'pi_payflow1',
        payflow_attempt_id: 'att_1',
        payflow_refund_id: 're_1',
        payflow_reason: 'customer changed their mind',
      },
    });
  });
});

describe('Stripe response mapping', () => {
  it.each([
    ['requires_capture', { outcome: 'succeeded', amount: 10_000 }],
    ['succeeded', { outcome: 'succeeded', amountCaptured: 10_000 }],
    ['processing', { outcome: 'pending' }],
    ['requires_action', { outcome: 'declined', code: 'authentication_required', declineKind: 'soft' }],
  ])('an authorization answered %s', (status, expected) => {
    const answer = intent({
      status: status as Stripe.PaymentIntent.Status,
      amount_received: status === 'succeeded' ? 10_000 : 0,
    });
    expect(fromAuthorizedPaymentIntent(answer)).toMatchObject({
      provider: 'stripe',
      pspReference: 'pi_3S',
      currency: 'USD',
      ...expected,
    });
  });

  it('reads a 402 card error as a declined result with API.md codes', () => {
    const declined = declinedFromCardError(
      {
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
        payment_intent: intent({ status: 'requires_payment_method' }),
      },
      { amount: 10_000, currency: 'usd' },
    );
    expect(declined).toMatchObject({
      outcome: 'declined',
      code: 'insufficient_funds',
      declineCode: 'insufficient_funds',
      declineKind: 'soft',
      pspReference: 'pi_3S',
    });
    expect(toLastError(declined)).toEqual({
      type: 'card_error',
      code: 'insufficient_funds',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
  });

  it('refuses to read a capture answer in an unexpected state', () => {
    expect(() => fromCapturedPaymentIntent(intent({ status: 'requires_capture' }))).toThrow(
      /status requires_capture/,
    );
  });

  it('maps refund statuses', () => {
    const refund = { id: 're_3R', amount: 100, currency: 'usd', payment_intent: 'pi_3S' } as Stripe.Refund;
    expect(fromRefund({ ...refund, status: 'succeeded' })).toMatchObject({
      outcome: 'succeeded',
      pspReference: 're_3R',
      paymentPspReference: 'pi_3S',
    });
    expect(fromRefund({ ...refund, status: 'pending' })).toMatchObject({ outcome: 'pending' });
    expect(fromRefund({ ...refund, status: 'failed', failure_reason: 'lost_or_stolen_card' })).toMatchObject({
      outcome: 'declined',
      code: 'refund_failed',
    });
  });

  it('snapshots a failed payment with its last decline', () => {
    const failed = intent({
      status: 'requires_payment_method',
      metadata: { payflow_intent_id: 'pi_payflow1' },
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'lost_card',
        message: 'Your card was declined.',
      } as Stripe.PaymentIntent.LastPaymentError,
    });
    expect(toSnapshot(failed)).toMatchObject({
      status: 'failed',
      intentId: 'pi_payflow1',
      lastDecline: { code: 'lost_card', declineKind: 'hard' },
    });
  });
});
