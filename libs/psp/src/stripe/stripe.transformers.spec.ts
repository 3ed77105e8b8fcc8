import type Stripe from 'stripe';
import { toLastError } from '../core/last-error';
import {
  declinedFromCardError,
  fromAuthorizedPaymentIntent,
  fromCapturedPaymentIntent,
  fromRefund,
  toPaymentIntentCancelParams,
  toPaymentIntentCaptureParams,
  toPaymentIntentConfirmParams,
  toPaymentIntentCreateParams,
  toRefundCreateParams,
  toRefundSnapshot,
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

  it('creates the payment intent unconfirmed for the first of the two authorization steps', () => {
    expect(
      toPaymentIntentCreateParams(
        { ...ids, amount: 1_000, currency: 'usd', paymentMethod: 'pm_card_visa', captureMethod: 'automatic' },
        false,
      ),
    ).toMatchObject({ confirm: false, capture_method: 'automatic', payment_method: 'pm_card_visa' });
  });

  describe('off-session (billing’s invoices)', () => {
    const offSession = {
      ...ids,
      amount: 2_500,
      currency: 'USD',
      paymentMethod: 'pm_card_visa',
      captureMethod: 'automatic' as const,
      offSession: true,
    };

    it('says off_session on the confirm, which Stripe accepts only with confirm', () => {
      expect(toPaymentIntentConfirmParams(offSession)).toEqual({ off_session: true });
      // the unconfirmed create of the two-step authorization leaves it to the confirm
      expect(toPaymentIntentCreateParams(offSession, false)).not.toHaveProperty('off_session');
      // the single create-and-confirm call carries it
      expect(toPaymentIntentCreateParams(offSession)).toMatchObject({
        confirm: true,
        off_session: true,
        capture_method: 'automatic',
      });
    });

    it('is absent for the customer’s own payments', () => {
      const onSession = { ...offSession, offSession: undefined };
      expect(toPaymentIntentConfirmParams(onSession)).toEqual({});
      expect(toPaymentIntentCreateParams(onSession)).not.toHaveProperty('off_session');
      expect(toPaymentIntentConfirmParams({ ...offSession, offSession: false })).toEqual({});
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

describe('Stripe refunds PayFlow sends on its own', () => {
  it('carry no refund id when they belong to no merchant refund', () => {
    expect(
      toRefundCreateParams({ ...ids, pspReference: 'pi_3S', amount: 100, currency: 'USD' }).metadata,
    ).toEqual({ payflow_intent_id: 'pi_payflow1', payflow_attempt_id: 'att_1' });
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

  it('reads the network, advice code and network decline code from a 402 card error', () => {
    const declined = declinedFromCardError(
      {
        code: 'card_declined',
        decline_code: 'do_not_honor',
        message: 'Your card was declined.',
        network_advice_code: '03',
        network_decline_code: '05',
        payment_method: { card: { brand: 'mastercard' } },
        payment_intent: intent({ status: 'requires_payment_method' }),
      },
      { amount: 10_000, currency: 'usd' },
    );
    expect(declined).toMatchObject({
      code: 'card_declined',
      declineCode: 'do_not_honor',
      // do_not_honor alone is soft; Mastercard's "03: do not try again" makes it hard.
      declineKind: 'hard',
      network: 'mastercard',
      adviceCode: '03',
      networkDeclineCode: '05',
    });
    expect(toLastError(declined)).toEqual({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'do_not_honor',
      message: 'Your card was declined.',
      network: 'mastercard',
      advice_code: '03',
    });
  });

  it('falls back to the payment intent’s last_payment_error for the network fields', () => {
    const declined = declinedFromCardError(
      {
        code: 'card_declined',
        decline_code: 'lost_card',
        message: 'Your card was declined.',
        payment_intent: intent({
          status: 'requires_payment_method',
          last_payment_error: {
            type: 'card_error',
            network_decline_code: '41',
            payment_method: { card: { brand: 'Visa' } },
          } as unknown as Stripe.PaymentIntent.LastPaymentError,
        }),
      },
      { amount: 10_000, currency: 'usd' },
    );
    expect(declined).toMatchObject({ code: 'lost_card', network: 'visa', networkDeclineCode: '41' });
    expect(
      declinedFromCardError(
        { code: 'card_declined', decline_code: 'do_not_honor', message: 'x', network_advice_code: '02' },
        { amount: 1, currency: 'usd' },
      ).declineKind,
    ).toBe('soft');
    expect(
      declinedFromCardError(
        {
          code: 'card_declined',
          decline_code: 'generic_decline',
          message: 'x',
          advice_code: 'do_not_try_again',
        },
        { amount: 1, currency: 'usd' },
      ).declineKind,
    ).toBe('hard');
    expect(declined.adviceCode).toBeUndefined();
  });

  it('leaves the network fields out when Stripe gives none', () => {
    const declined = declinedFromCardError(
      { code: 'card_declined', decline_code: 'generic_decline', message: 'declined' },
      { amount: 100, currency: 'usd', pspReference: 'pi_prepared' },
    );
    expect(declined).not.toHaveProperty('network');
    expect(declined).not.toHaveProperty('adviceCode');
    expect(declined.pspReference).toBe('pi_prepared');
  });

  it('snapshots a failed payment with its last decline, network and advice code', () => {
    const failed = intent({
      status: 'requires_payment_method',
      metadata: { payflow_intent_id: 'pi_payflow1', payflow_attempt_id: 'att_1' },
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'lost_card',
        message: 'Your card was declined.',
        network_advice_code: '02',
        payment_method: { card: { brand: 'visa' } },
      } as unknown as Stripe.PaymentIntent.LastPaymentError,
    });
    expect(toSnapshot(failed)).toMatchObject({
      status: 'failed',
      intentId: 'pi_payflow1',
      attemptId: 'att_1',
      lastDecline: { code: 'lost_card', declineKind: 'hard', network: 'visa', adviceCode: '02' },
    });
  });

  it.each([
    ['requires_confirmation', 'pending'],
    ['requires_payment_method', 'pending'],
    ['requires_action', 'pending'],
    ['processing', 'pending'],
    ['requires_capture', 'authorized'],
    ['succeeded', 'captured'],
    ['canceled', 'canceled'],
  ])('snapshots %s without a decline as %s', (status, expected) => {
    const snapshot = toSnapshot(
      intent({ status: status as Stripe.PaymentIntent.Status, amount_capturable: 4_000, amount_received: 0 }),
    );
    expect(snapshot).toMatchObject({ status: expected, amount: 10_000, amountCapturable: 4_000 });
    expect(snapshot.lastDecline).toBeUndefined();
  });

  it('snapshots a canceled payment as canceled even with an old decline on it', () => {
    const canceled = intent({
      status: 'canceled',
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
      } as Stripe.PaymentIntent.LastPaymentError,
    });
    expect(toSnapshot(canceled).status).toBe('canceled');
  });

  it.each([
    ['pending', 'pending'],
    ['requires_action', 'pending'],
    ['succeeded', 'succeeded'],
    ['failed', 'failed'],
    ['canceled', 'canceled'],
    ['something_new', 'pending'],
  ])('snapshots a refund %s as %s', (status, expected) => {
    const refund = {
      id: 're_3R',
      amount: 500,
      currency: 'isk',
      status,
      failure_reason: status === 'failed' ? 'expired_or_canceled_card' : null,
    } as Stripe.Refund;
    expect(toRefundSnapshot(refund)).toEqual({
      provider: 'stripe',
      pspReference: 're_3R',
      status: expected,
      amount: 5,
      currency: 'ISK',
      ...(status === 'failed' ? { failureReason: 'expired_or_canceled_card' } : {}),
    });
  });
});
