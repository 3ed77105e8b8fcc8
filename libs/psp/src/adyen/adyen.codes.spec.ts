import { HttpClientException } from '@adyen/api-library';
import {
  ADYEN_REFUSAL_REASONS,
  ADYEN_RESULT_CODES,
  adyenDecline,
  adyenRefusal,
  classifyAdyenError,
} from './adyen.codes';

function httpError(
  statusCode: number,
  apiError: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return new HttpClientException({
    message: `HTTP ${statusCode}`,
    statusCode,
    responseHeaders: headers,
    apiError: { status: statusCode, ...apiError },
  });
}

function fetchFailure(code: string) {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

describe('Adyen refusal reasons', () => {
  it.each([
    ['2', undefined, { code: 'card_declined', declineCode: 'generic_decline', kind: 'soft' }],
    ['5', undefined, { code: 'card_declined', declineCode: 'blocked_card', kind: 'hard' }],
    ['5', '41 : Lost card', { code: 'lost_card', declineCode: 'lost_card', kind: 'hard' }],
    ['5', '43 : Stolen card', { code: 'stolen_card', declineCode: 'stolen_card', kind: 'hard' }],
    ['6', undefined, { code: 'expired_card', kind: 'hard' }],
    ['12', undefined, { code: 'insufficient_funds', declineCode: 'insufficient_funds', kind: 'soft' }],
    ['20', undefined, { code: 'card_declined', declineCode: 'fraudulent', kind: 'hard' }],
    ['24', undefined, { code: 'incorrect_cvc', kind: 'soft' }],
    ['46', undefined, { declineCode: 'do_not_try_again', kind: 'hard' }],
    ['999', undefined, { code: 'card_declined', declineCode: 'generic_decline', kind: 'soft' }],
  ])('refusalReasonCode %s (raw %s) → %j', (code, raw, expected) => {
    expect(adyenRefusal(code, raw)).toMatchObject(expected);
  });

  it.each([
    ['2', '05 : Do not honor', { code: 'card_declined', declineCode: 'generic_decline', kind: 'soft' }],
    ['12', '51 : Insufficient funds', { code: 'insufficient_funds', declineCode: 'insufficient_funds' }],
    ['2', '51 : Insufficient funds', { code: 'insufficient_funds', declineCode: 'insufficient_funds' }],
    ['5', '41 : Lost card', { code: 'lost_card', kind: 'hard' }],
    ['5', '43 : Stolen card', { code: 'stolen_card', kind: 'hard' }],
    ['2', '54 : Expired card', { code: 'expired_card', kind: 'hard' }],
    ['2', '62 : Restricted card', { declineCode: 'restricted_card', kind: 'hard' }],
    ['2', '04 : Pick up card', { declineCode: 'pickup_card', kind: 'hard' }],
  ])('the raw response comes first: %s with %j → %j', (code, raw, expected) => {
    expect(adyenRefusal(code, raw)).toMatchObject(expected);
  });

  it.each([
    ['Refused', { code: 'card_declined', declineCode: 'generic_decline' }],
    ['Not enough balance', { code: 'insufficient_funds' }],
    ['Blocked Card', { declineCode: 'blocked_card', kind: 'hard' }],
    ['CVC Declined', { code: 'incorrect_cvc' }],
    ['Something Adyen adds later', { code: 'card_declined', declineCode: 'generic_decline', kind: 'soft' }],
  ])('a notification’s reason text %j reads as its code would', (reason, expected) => {
    expect(adyenRefusal(undefined, undefined, reason)).toMatchObject(expected);
  });

  it.each([
    [
      'generic',
      {
        refusalReason: 'Refused',
        refusalReasonCode: '2',
        refusalReasonRaw: '05 : Do not honor',
        paymentMethod: 'visa',
      },
      {
        code: 'card_declined',
        declineCode: 'generic_decline',
        kind: 'soft',
        network: 'visa',
        networkDeclineCode: '05',
      },
    ],
    [
      'insufficient',
      {
        refusalReason: 'Not enough balance',
        refusalReasonCode: '12',
        refusalReasonRaw: '51 : Insufficient funds',
        paymentMethod: 'visa',
      },
      {
        code: 'insufficient_funds',
        declineCode: 'insufficient_funds',
        kind: 'soft',
        networkDeclineCode: '51',
      },
    ],
    [
      'lost',
      {
        refusalReason: 'Blocked Card',
        refusalReasonCode: '5',
        refusalReasonRaw: '41 : Lost card',
        paymentMethod: 'visa',
      },
      {
        code: 'lost_card',
        declineCode: 'lost_card',
        kind: 'hard',
        network: 'visa',
        networkDeclineCode: '41',
      },
    ],
    [
      'stolen',
      {
        refusalReason: 'Blocked Card',
        refusalReasonCode: '5',
        refusalReasonRaw: '43 : Stolen card',
        paymentMethod: 'visa',
      },
      { code: 'stolen_card', declineCode: 'stolen_card', kind: 'hard', networkDeclineCode: '43' },
    ],
    [
      'mastercard do not try again',
      {
        refusalReason: 'Refused',
        refusalReasonCode: '2',
        refusalReasonRaw: '05 : Do not honor',
        merchantAdviceCode: '03: Do not try again',
        paymentMethod: 'mc',
      },
      {
        code: 'card_declined',
        declineCode: 'do_not_honor',
        kind: 'hard',
        network: 'mastercard',
        adviceCode: '03',
        networkDeclineCode: '05',
        message: 'Refused',
      },
    ],
    [
      'a notification (reason text, no code)',
      { refusalReason: 'Blocked Card', refusalReasonRaw: '41 : Lost card', paymentMethod: 'visa' },
      { code: 'lost_card', declineCode: 'lost_card', kind: 'hard', network: 'visa', message: 'Blocked Card' },
    ],
  ])('adyenDecline: %s', (_name, input, expected) => {
    expect(adyenDecline(input)).toMatchObject(expected);
  });

  it('leaves out network fields Adyen did not give', () => {
    const decline = adyenDecline({ refusalReasonCode: '2' });
    expect(decline).not.toHaveProperty('network');
    expect(decline).not.toHaveProperty('adviceCode');
    expect(decline).not.toHaveProperty('networkDeclineCode');
    expect(decline.message).toBe('Refused');
  });

  it('covers Adyen’s documented codes with a kind each', () => {
    expect(Object.keys(ADYEN_REFUSAL_REASONS)).toEqual(
      expect.arrayContaining(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '14', '24', '46']),
    );
    for (const rule of Object.values(ADYEN_REFUSAL_REASONS)) expect(['hard', 'soft']).toContain(rule.kind);
  });

  it('reads result codes', () => {
    expect(ADYEN_RESULT_CODES['Authorised']).toBe('succeeded');
    expect(ADYEN_RESULT_CODES['Refused']).toBe('declined');
    expect(ADYEN_RESULT_CODES['Received']).toBe('pending');
    expect(ADYEN_RESULT_CODES['RedirectShopper']).toBe('authentication_required');
  });
});

describe('classifyAdyenError', () => {
  it.each([
    ['429', httpError(429), 'not_executed', true, 'rate_limited'],
    [
      '5xx with Transient-Error: true',
      httpError(503, { errorType: 'internal' }, { 'transient-error': 'true' }),
      'indeterminate',
      true,
      'psp_error',
    ],
    ['500', httpError(500, { errorCode: '000', errorType: 'internal' }), 'indeterminate', true, 'psp_error'],
    ['409 key in flight', httpError(409), 'indeterminate', true, 'psp_request_in_progress'],
    [
      '422 validation',
      httpError(422, { errorCode: '167', errorType: 'validation' }),
      'declined',
      false,
      'invalid_request',
    ],
    ['401', httpError(401, { errorType: 'security' }), 'not_executed', false, 'psp_authentication_failed'],
    ['connection refused', fetchFailure('ECONNREFUSED'), 'not_executed', true, 'psp_unreachable'],
    ['DNS failure', fetchFailure('ENOTFOUND'), 'not_executed', true, 'psp_unreachable'],
    ['connect timeout', fetchFailure('UND_ERR_CONNECT_TIMEOUT'), 'not_executed', true, 'psp_unreachable'],
    [
      'certificate refused',
      fetchFailure('CERT_HAS_EXPIRED'),
      'not_executed',
      true,
      'psp_tls_handshake_failed',
    ],
    [
      'socket closed by the other side',
      fetchFailure('UND_ERR_SOCKET'),
      'indeterminate',
      true,
      'psp_connection_reset',
    ],
    ['connection reset', fetchFailure('ECONNRESET'), 'indeterminate', true, 'psp_connection_reset'],
    ['socket closed', fetchFailure('UND_ERR_CLOSED'), 'indeterminate', true, 'psp_connection_reset'],
    ['broken pipe', fetchFailure('EPIPE'), 'indeterminate', true, 'psp_connection_reset'],
    ['502', httpError(502), 'indeterminate', true, 'psp_error'],
    [
      'timeout',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      'indeterminate',
      true,
      'psp_timeout',
    ],
  ])('%s', (_name, error, errorClass, retryable, code) => {
    expect(classifyAdyenError(error, 1_000)).toMatchObject({
      provider: 'adyen',
      errorClass,
      retryable,
      code,
    });
  });

  it('keeps Adyen’s errorCode', () => {
    expect(
      classifyAdyenError(httpError(422, { errorCode: '167', message: 'Original pspReference required' })),
    ).toMatchObject({
      providerCode: '167',
      httpStatus: 422,
      message: 'Original pspReference required',
    });
  });
});
