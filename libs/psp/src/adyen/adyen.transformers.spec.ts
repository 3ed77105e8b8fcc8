import type { Types } from '@adyen/api-library';
import {
  fromModificationResponse,
  fromPaymentResponse,
  fromStandaloneCancelResponse,
  toCancelRequest,
  toCaptureRequest,
  toPaymentRequest,
  toRefundRequest,
  toStandaloneCancelRequest,
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
      reference: 'pi_payflow1:att_1',
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

  it('charges an off-session payment as a subscription the merchant initiates (ContAuth)', () => {
    const body = toPaymentRequest(
      { ...request, captureMethod: 'automatic', offSession: true },
      'PayFlowECOM',
      'https://example.test/return',
    );
    expect(body).toMatchObject({ shopperInteraction: 'ContAuth', recurringProcessingModel: 'Subscription' });
    // the customer's own payments keep the stored-card model
    expect(
      toPaymentRequest(
        { ...request, captureMethod: 'automatic' },
        'PayFlowECOM',
        'https://example.test/return',
      ),
    ).toMatchObject({ shopperInteraction: 'ContAuth', recurringProcessingModel: 'UnscheduledCardOnFile' });
  });

  it('names the intent and attempt as every modification’s reference', () => {
    expect(toCaptureRequest({ ...request, pspReference: 'P1', amount: 500, currency: 'EUR' }, 'M')).toEqual({
      merchantAccount: 'M',
      amount: { currency: 'EUR', value: 500 },
      reference: 'pi_payflow1:att_1',
    });
    expect(
      toRefundRequest(
        { ...request, attemptId: 'att_r', pspReference: 'P1', refundId: 're_1', amount: 5, currency: 'EUR' },
        'M',
      ).reference,
    ).toBe('pi_payflow1:att_r');
    expect(
      toCancelRequest(
        { ...request, attemptId: 'att_c', pspReference: 'P1', amount: 5, currency: 'EUR' },
        'M',
      ),
    ).toEqual({ merchantAccount: 'M', reference: 'pi_payflow1:att_c' });
  });

  it('names the payment to cancel by PayFlow’s reference in a technical cancel', () => {
    expect(
      toStandaloneCancelRequest(
        {
          intentId: 'pi_payflow1',
          attemptId: 'att_void',
          idempotencyKey: 'k',
          paymentIntentId: 'pi_payflow1',
          paymentAttemptId: 'att_auth',
        },
        'M',
      ),
    ).toEqual({
      merchantAccount: 'M',
      paymentReference: 'pi_payflow1:att_auth',
      reference: 'pi_payflow1:att_void',
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
    [
      {
        resultCode: 'Refused',
        refusalReason: 'Refused',
        refusalReasonCode: '2',
        additionalData: { refusalReasonRaw: '05 : Do not honor', paymentMethod: 'visa' },
      },
      {
        code: 'card_declined',
        declineCode: 'generic_decline',
        declineKind: 'soft',
        network: 'visa',
        networkDeclineCode: '05',
      },
    ],
    [
      {
        resultCode: 'Refused',
        refusalReason: 'Not enough balance',
        refusalReasonCode: '12',
        additionalData: { refusalReasonRaw: '51 : Insufficient funds', paymentMethod: 'visa' },
      },
      {
        code: 'insufficient_funds',
        declineCode: 'insufficient_funds',
        network: 'visa',
        networkDeclineCode: '51',
      },
    ],
    [
      {
        resultCode: 'Refused',
        refusalReason: 'Blocked Card',
        refusalReasonCode: '5',
        additionalData: { refusalReasonRaw: '43 : Stolen card', paymentMethod: 'visa' },
      },
      { code: 'stolen_card', declineCode: 'stolen_card', declineKind: 'hard', networkDeclineCode: '43' },
    ],
    [
      {
        resultCode: 'Refused',
        refusalReason: 'Refused',
        refusalReasonCode: '2',
        additionalData: {
          refusalReasonRaw: '05 : Do not honor',
          merchantAdviceCode: '03: Do not try again',
          paymentMethod: 'mc',
        },
      },
      {
        code: 'card_declined',
        declineCode: 'do_not_honor',
        declineKind: 'hard',
        network: 'mastercard',
        adviceCode: '03',
        networkDeclineCode: '05',
      },
    ],
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

describe('Adyen technical cancel answer', () => {
  it('is pending under the cancel’s own reference, echoing the authorization’s amount', () => {
    const response = {
      merchantAccount: 'M',
      paymentReference: 'pi_payflow1:att_auth',
      pspReference: 'CANCEL00001',
      reference: 'pi_payflow1:att_void',
      status: 'received',
    } as unknown as Types.checkout.StandalonePaymentCancelResponse;
    expect(fromStandaloneCancelResponse(response, { amount: 990, currency: 'clp' })).toEqual({
      provider: 'adyen',
      outcome: 'pending',
      pspReference: 'CANCEL00001',
      paymentPspReference: 'CANCEL00001',
      amount: 990,
      currency: 'CLP',
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
