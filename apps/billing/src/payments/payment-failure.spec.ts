import type { EventDataOf, PaymentIntentObject } from '@payflow/contracts';
import { declineFactsOf } from './payment-failure';

const intent = (lastError: PaymentIntentObject['last_error']): PaymentIntentObject => ({
  id: 'pi_1',
  object: 'payment_intent',
  merchant_id: 'mer_1',
  amount: 2000,
  currency: 'USD',
  status: 'failed',
  capture_method: 'automatic',
  amount_capturable: 0,
  amount_received: 0,
  amount_refunded: 0,
  payment_method: 'pm_card_visa',
  provider: 'stripe',
  last_error: lastError,
  description: null,
  invoice: 'in_1',
  metadata: {},
  created: '2026-01-01T00:00:00.000Z',
  updated: '2026-01-01T00:00:00.000Z',
});

const authorizationFailed = (
  data: Partial<EventDataOf<'payment_intent.authorization_failed'>>,
  lastError: PaymentIntentObject['last_error'] = null,
): EventDataOf<'payment_intent.authorization_failed'> => ({ intent: intent(lastError), provider: 'stripe', ...data });

describe('declineFactsOf', () => {
  it("takes the event's own decline first", () => {
    expect(
      declineFactsOf(
        'payment_intent.authorization_failed',
        authorizationFailed(
          { code: 'card_declined', decline_code: 'insufficient_funds', network: 'visa', advice_code: '01' },
          { type: 'card_error', code: 'other', decline_code: 'other', message: 'x', network: 'mastercard', advice_code: '03' },
        ),
      ),
    ).toEqual({ code: 'card_declined', decline_code: 'insufficient_funds', network: 'visa', advice_code: '01' });
  });

  it("falls back on the intent's last_error field by field", () => {
    expect(
      declineFactsOf(
        'payment_intent.authorization_failed',
        authorizationFailed(
          { code: 'card_declined' },
          { type: 'card_error', code: 'card_declined', decline_code: 'do_not_honor', message: 'x', network: 'mastercard', advice_code: '21' },
        ),
      ),
    ).toEqual({ code: 'card_declined', decline_code: 'do_not_honor', network: 'mastercard', advice_code: '21' });
  });

  it('always names a code, and reads empty strings as absent', () => {
    expect(declineFactsOf('payment_intent.authorization_failed', authorizationFailed({ code: '', decline_code: '' }))).toEqual({
      code: 'payment_failed',
      decline_code: null,
      network: null,
      advice_code: null,
    });
    expect(
      declineFactsOf('payment_intent.capture_failed', { intent: intent(null), provider: 'adyen', code: null, message: 'x' }),
    ).toEqual({ code: 'capture_failed', decline_code: null, network: null, advice_code: null });
  });

  it("reads a failed capture's decline from the intent", () => {
    expect(
      declineFactsOf('payment_intent.capture_failed', {
        intent: intent({ type: 'card_error', code: 'card_declined', decline_code: 'expired_card', message: 'x', network: 'visa' }),
        provider: 'adyen',
      }),
    ).toEqual({ code: 'card_declined', decline_code: 'expired_card', network: 'visa', advice_code: null });
  });
});
