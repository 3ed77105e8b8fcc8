import { createEvent, type EventOf } from '@payflow/contracts';
import { authorizationError, authorizationErrorType } from './payment-results';

type FailedData = EventOf<'payment.authorization_failed'>['data'];

function failed(data: Partial<FailedData>): EventOf<'payment.authorization_failed'> {
  return createEvent({
    type: 'payment.authorization_failed',
    source: 'orchestrator',
    aggregate_type: 'attempt',
    aggregate_id: 'att_1',
    aggregate_version: 1,
    merchant_id: 'mer_a',
    data: {
      intent_id: 'pi_1',
      attempt_id: 'att_1',
      provider: 'adyen',
      psp_reference: null,
      amount: 1_000,
      currency: 'EUR',
      ...data,
    },
  }) as EventOf<'payment.authorization_failed'>;
}

describe('last_error of a failed authorization', () => {
  it('carries the decline, the card network and the advice code dunning reads', () => {
    const event = failed({
      code: 'card_declined',
      decline_code: 'do_not_honor',
      message: 'Refused',
      network: 'mastercard',
      advice_code: '03',
      error_type: 'card_error',
    });
    expect(authorizationError(event)).toEqual({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'do_not_honor',
      message: 'Refused',
      network: 'mastercard',
      advice_code: '03',
    });
  });

  it('keeps lost_card (a hard decline) as it is', () => {
    expect(authorizationError(failed({ code: 'lost_card', decline_code: 'lost_card' }))).toMatchObject({
      type: 'card_error',
      code: 'lost_card',
      decline_code: 'lost_card',
    });
  });

  it.each<[Partial<FailedData>, string]>([
    [{ error_type: 'api_error', code: 'card_declined', decline_code: 'generic_decline' }, 'api_error'], // the event says
    [{ error_type: 'invalid_request_error', code: 'amount_not_supported' }, 'invalid_request_error'],
    [{ code: 'payment_outcome_unknown' }, 'api_error'], // PayFlow's own code, no decline
    [{ code: 'no_eligible_provider' }, 'api_error'],
    [{ code: 'psp_unavailable', decline_code: 'generic_decline' }, 'card_error'], // a decline code: a decline
    [{ code: 'insufficient_funds' }, 'card_error'],
    [{ code: 'expired_card' }, 'card_error'],
    [{ code: null }, 'card_error'], // no code at all: the old default, a decline
    [{}, 'card_error'],
  ])('type of %j is %s', (data, type) => {
    expect(authorizationErrorType(failed(data).data)).toBe(type);
    expect(authorizationError(failed(data)).type).toBe(type);
  });

  it('leaves out what the PSP did not give', () => {
    const error = authorizationError(failed({ code: 'card_declined', network: null, advice_code: null }));
    expect(error).toEqual({ type: 'card_error', code: 'card_declined', message: 'The payment was declined' });
  });
});
