import type { Types } from '@adyen/api-library';
import {
  fromModificationResponse,
  fromPaymentResponse,
  toCaptureRequest,
  toPaymentRequest,
} from './adyen.transformers';
import { rewriteAdyenUrl } from './adyen.http-client';

const request = {
  intentId: 'pi_payflow1',
  attemptId: 'att_1',
  idempotencyKey: 'key_1',
  amount: 990,
  currency: 'clp',
  paymentMethod: 'pm_card_visa',
};

describe('Adyen request mapping', () => {
  it('sends a stored card with PayFlow ids and manual capture per payment', () => {
    expect(
      toPaymentRequest({ ...request, captureMethod: 'manual' }, 'PayFlowECOM', 'https://example.test/return'),
    ).toMatchObject({
      merchantAccount: 'PayFlowECOM',
      amount: { currency: 'CLP', value: 99_000 },
      reference: 'att_1',
      merchantOrderReference: 'pi_payflow1',
      metadata: { payflow_intent_id: 'pi_payflow1', payflow_attempt_id: 'att_1' },
      paymentMethod: { type: 'scheme', storedPaymentMethodId: 'pm_card_visa' },
      additionalData: { manualCapture: 'true' },
      returnUrl: 'https://example.test/return',
    });
  });

  it('captures at once for automatic capture', () => {
    const body = toPaymentRequest(
      { ...request, captureMethod: 'automatic' },
      'PayFlowECOM',
      'https://example.test/return',
    );
    expect(body.captureDelayHours).toBe(0);
    expect(body.additionalData).toBeUndefined();
  });

  it('names the attempt as the modification reference', () => {
    expect(toCaptureRequest({ ...request, pspReference: 'P1', amount: 500, currency: 'EUR' }, 'M')).toEqual({
      merchantAccount: 'M',
      amount: { currency: 'EUR', value: 500 },
      reference: 'att_1',
    });
  });
});

describe('Adyen response mapping', () => {
  const fallback = { amount: 10_000, currency: 'EUR' };

  it.each([
    [{ resultCode: 'Authorised' }, { outcome: 'succeeded' }],
    [{ resultCode: 'Received' }, { outcome: 'pending' }],
    [
      { resultCode: 'Refused', refusalReason: 'Not enough balance', refusalReasonCode: '12' },
      { outcome: 'declined', code: 'insufficient_funds', declineKind: 'soft', message: 'Not enough balance' },
    ],
    [
      {
        resultCode: 'Refused',
        refusalReason: 'Blocked Card',
        refusalReasonCode: '5',
        additionalData: { refusalReasonRaw: '41 : Lost card' },
      },
      { outcome: 'declined', code: 'lost_card', declineKind: 'hard' },
    ],
    [
      { resultCode: 'Error', refusalReason: 'Acquirer Error' },
      { outcome: 'declined', code: 'processing_error', declineKind: 'soft' },
    ],
    [{ resultCode: 'RedirectShopper' }, { outcome: 'declined', code: 'authentication_required' }],
  ])('%j → %j', (response, expected) => {
    const result = fromPaymentResponse(
      {
        pspReference: 'P1',
        amount: { currency: 'EUR', value: 10_000 },
        ...response,
      } as unknown as Types.checkout.PaymentResponse,
      fallback,
    );
    expect(result).toMatchObject({ provider: 'adyen', pspReference: 'P1', amount: 10_000, ...expected });
  });

  it('reads modifications as pending under their own reference', () => {
    const response = {
      pspReference: 'M1',
      paymentPspReference: 'P1',
      status: 'received',
      merchantAccount: 'X',
      amount: { currency: 'ISK', value: 500 },
    };
    expect(
      fromModificationResponse(response as unknown as Types.checkout.PaymentCaptureResponse, fallback),
    ).toEqual({
      provider: 'adyen',
      outcome: 'pending',
      pspReference: 'M1',
      paymentPspReference: 'P1',
      amount: 5,
      currency: 'ISK',
    });
  });
});

describe('rewriteAdyenUrl', () => {
  it('keeps version, operation and query, replacing the SDK’s fixed host', () => {
    expect(
      rewriteAdyenUrl(
        'https://checkout-test.adyen.com/v72/payments/P1/captures',
        'http://localhost:8090/checkout/',
      ),
    ).toBe('http://localhost:8090/checkout/v72/payments/P1/captures');
    expect(
      rewriteAdyenUrl(
        'https://checkout-test.adyen.com/v72/sessions/x?sessionResult=y',
        'https://live.example/checkout',
      ),
    ).toBe('https://live.example/checkout/v72/sessions/x?sessionResult=y');
  });
});
