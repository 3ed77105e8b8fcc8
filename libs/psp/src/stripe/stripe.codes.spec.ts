import Stripe from 'stripe';
import { PspError } from '../core/psp-error';
import { STRIPE_DECLINE_CODES, classifyStripeError, stripeDecline } from './stripe.codes';

function stripeError(statusCode: number, raw: Record<string, unknown>, headers: Record<string, string> = {}) {
  return Stripe.errors.StripeError.generate({ statusCode, headers, message: 'boom', ...raw } as never);
}

function connectionError(code: string) {
  const detail = Object.assign(new Error(code), { code });
  return new Stripe.errors.StripeConnectionError({
    message: 'An error occurred with our connection to Stripe.',
    detail,
  } as never);
}

describe('Stripe decline codes', () => {
  it.each([
    [
      'card_declined',
      'generic_decline',
      { code: 'card_declined', declineCode: 'generic_decline', kind: 'soft' },
    ],
    [
      'card_declined',
      'insufficient_funds',
      { code: 'insufficient_funds', declineCode: 'insufficient_funds', kind: 'soft' },
    ],
    ['card_declined', 'lost_card', { code: 'lost_card', declineCode: 'lost_card', kind: 'hard' }],
    ['card_declined', 'stolen_card', { code: 'stolen_card', declineCode: 'stolen_card', kind: 'hard' }],
    ['card_declined', 'fraudulent', { code: 'card_declined', declineCode: 'fraudulent', kind: 'hard' }],
    ['card_declined', 'do_not_honor', { code: 'card_declined', declineCode: 'do_not_honor', kind: 'soft' }],
    ['expired_card', undefined, { code: 'expired_card', kind: 'hard' }],
    ['incorrect_cvc', undefined, { code: 'incorrect_cvc', kind: 'soft' }],
    ['processing_error', undefined, { code: 'processing_error', kind: 'soft' }],
    ['incorrect_number', undefined, { code: 'incorrect_number', kind: 'hard' }],
  ])('%s / %s → %j', (code, declineCode, expected) => {
    expect(stripeDecline(code, declineCode)).toEqual(expected);
  });

  it('reads an unknown decline as a generic soft decline, keeping Stripe’s code', () => {
    expect(stripeDecline('card_declined', 'brand_new_reason')).toEqual({
      code: 'card_declined',
      declineCode: 'brand_new_reason',
      kind: 'soft',
    });
    expect(stripeDecline(undefined, undefined)).toEqual({
      code: 'card_declined',
      declineCode: 'generic_decline',
      kind: 'soft',
    });
  });

  it('classifies every decline code hard or soft', () => {
    for (const rule of Object.values(STRIPE_DECLINE_CODES)) expect(['hard', 'soft']).toContain(rule.kind);
  });
});

describe('classifyStripeError', () => {
  it.each([
    [
      '429 rate limit',
      stripeError(429, { type: 'invalid_request_error', code: 'rate_limit' }),
      'not_executed',
      true,
      'rate_limited',
    ],
    [
      '5xx with Stripe-Should-Retry: true',
      stripeError(500, { type: 'api_error' }, { 'stripe-should-retry': 'true' }),
      'indeterminate',
      true,
      'psp_error',
    ],
    ['5xx', stripeError(500, { type: 'api_error' }), 'indeterminate', true, 'psp_error'],
    ['503', stripeError(503, { type: 'api_error' }), 'indeterminate', true, 'psp_error'],
    [
      '5xx with Stripe-Should-Retry: false',
      stripeError(500, { type: 'api_error' }, { 'stripe-should-retry': 'false' }),
      'indeterminate',
      false,
      'psp_error',
    ],
    [
      '409 idempotency_key_in_use',
      stripeError(
        409,
        { type: 'idempotency_error', code: 'idempotency_key_in_use' },
        { 'stripe-should-retry': 'true' },
      ),
      'indeterminate',
      true,
      'psp_request_in_progress',
    ],
    [
      '409 key in flight',
      stripeError(409, { type: 'idempotency_error' }),
      'indeterminate',
      true,
      'psp_request_in_progress',
    ],
    [
      '400 invalid request',
      stripeError(400, { type: 'invalid_request_error', code: 'amount_too_large' }),
      'declined',
      false,
      'amount_too_large',
    ],
    [
      '404 unknown object',
      stripeError(404, { type: 'invalid_request_error', code: 'resource_missing' }),
      'declined',
      false,
      'resource_missing',
    ],
    [
      '400 idempotency key reused',
      stripeError(400, { type: 'idempotency_error' }),
      'declined',
      false,
      'idempotency_key_reused',
    ],
    [
      '401 bad key',
      stripeError(401, { type: 'invalid_request_error' }),
      'not_executed',
      false,
      'psp_authentication_failed',
    ],
    ['connection refused', connectionError('ECONNREFUSED'), 'not_executed', true, 'psp_unreachable'],
    ['DNS failure', connectionError('ENOTFOUND'), 'not_executed', true, 'psp_unreachable'],
    ['DNS retry', connectionError('EAI_AGAIN'), 'not_executed', true, 'psp_unreachable'],
    ['host unreachable', connectionError('EHOSTUNREACH'), 'not_executed', true, 'psp_unreachable'],
    ['network unreachable', connectionError('ENETUNREACH'), 'not_executed', true, 'psp_unreachable'],
    [
      'certificate refused in the handshake',
      connectionError('ERR_TLS_CERT_ALTNAME_INVALID'),
      'not_executed',
      true,
      'psp_tls_handshake_failed',
    ],
    ['connection reset', connectionError('ECONNRESET'), 'indeterminate', true, 'psp_connection_reset'],
    ['broken pipe', connectionError('EPIPE'), 'indeterminate', true, 'psp_connection_reset'],
    ['socket error', connectionError('UND_ERR_SOCKET'), 'indeterminate', true, 'psp_connection_reset'],
    [
      '503 with Stripe-Should-Retry: true',
      stripeError(503, { type: 'api_error' }, { 'stripe-should-retry': 'true' }),
      'indeterminate',
      true,
      'psp_error',
    ],
    ['timeout', connectionError('ETIMEDOUT'), 'indeterminate', true, 'psp_timeout'],
    ['unknown socket failure', connectionError('EWHATEVER'), 'indeterminate', true, 'psp_connection_error'],
  ])('%s', (_name, error, errorClass, retryable, code) => {
    const classified = classifyStripeError(error, 1_000);
    expect(classified).toBeInstanceOf(PspError);
    expect(classified).toMatchObject({ provider: 'stripe', errorClass, retryable, code });
  });

  it('reads an answer cut off mid-body as indeterminate (Stripe received the request)', () => {
    class HttpClientResponseBodyError extends Error {}
    const detail = Object.assign(new HttpClientResponseBodyError('Failed to read the response body'), {
      code: 'ECONNRESET',
    });
    const error = new Stripe.errors.StripeConnectionError({ message: 'cut', detail } as never);
    expect(classifyStripeError(error)).toMatchObject({ errorClass: 'indeterminate' });
  });

  it('keeps the HTTP status and Stripe code for support, and never the API key', () => {
    const classified = classifyStripeError(
      stripeError(400, { type: 'invalid_request_error', code: 'parameter_missing' }),
    );
    expect(classified).toMatchObject({
      httpStatus: 400,
      providerCode: 'parameter_missing',
      type: 'invalid_request_error',
    });
  });
});
