import type { Types } from '@adyen/api-library';
import { normalizeCurrency } from '@payflow/contracts';
import type { AuthorizeRequest, CancelRequest, CaptureRequest, RefundRequest } from '../core/psp-requests';
import type { PspResult } from '../core/psp-results';
import { ADYEN_RESULT_CODES, adyenRefusal } from './adyen.codes';
import { fromAdyenAmount, toAdyenAmount } from './adyen.currency';
import { ADYEN_ADDITIONAL_DATA, ADYEN_METADATA } from './adyen.metadata';

type PaymentRequest = Types.checkout.PaymentRequest;
type PaymentResponse = Types.checkout.PaymentResponse;
type PaymentCaptureRequest = Types.checkout.PaymentCaptureRequest;
type PaymentCaptureResponse = Types.checkout.PaymentCaptureResponse;
type PaymentRefundRequest = Types.checkout.PaymentRefundRequest;
type PaymentRefundResponse = Types.checkout.PaymentRefundResponse;
type PaymentCancelRequest = Types.checkout.PaymentCancelRequest;
type PaymentCancelResponse = Types.checkout.PaymentCancelResponse;

function adyenAmount(amount: number, currency: string): Types.checkout.Amount {
  const code = normalizeCurrency(currency);
  return { currency: code, value: toAdyenAmount(amount, code) };
}

// Request mapping: PayFlow → Adyen Checkout.

export function toPaymentRequest(
  request: AuthorizeRequest,
  merchantAccount: string,
  returnUrl: string,
): PaymentRequest {
  return {
    merchantAccount,
    returnUrl,
    amount: adyenAmount(request.amount, request.currency),
    reference: request.attemptId,
    merchantOrderReference: request.intentId,
    metadata: { [ADYEN_METADATA.intentId]: request.intentId, [ADYEN_METADATA.attemptId]: request.attemptId },
    // A stored card token, charged by the merchant without the shopper present.
    paymentMethod: {
      type: 'scheme',
      storedPaymentMethodId: request.paymentMethod,
    } as PaymentRequest['paymentMethod'],
    shopperReference: request.intentId,
    shopperInteraction: 'ContAuth' as PaymentRequest['shopperInteraction'],
    recurringProcessingModel: 'UnscheduledCardOnFile' as PaymentRequest['recurringProcessingModel'],
    // Manual capture per payment; `captureDelayHours: 0` captures at once whatever the account default.
    ...(request.captureMethod === 'manual'
      ? { additionalData: { [ADYEN_ADDITIONAL_DATA.manualCapture]: 'true' } }
      : { captureDelayHours: 0 }),
  };
}

export function toCaptureRequest(request: CaptureRequest, merchantAccount: string): PaymentCaptureRequest {
  return {
    merchantAccount,
    amount: adyenAmount(request.amount, request.currency),
    reference: request.attemptId,
  };
}

export function toRefundRequest(request: RefundRequest, merchantAccount: string): PaymentRefundRequest {
  return {
    merchantAccount,
    amount: adyenAmount(request.amount, request.currency),
    reference: request.attemptId,
  };
}

export function toCancelRequest(request: CancelRequest, merchantAccount: string): PaymentCancelRequest {
  return { merchantAccount, reference: request.attemptId };
}

// Response mapping: Adyen → PayFlow.

/** The answer to `/payments`. `fallback` supplies amount and currency when Adyen omits them. */
export function fromPaymentResponse(
  response: PaymentResponse,
  fallback: { amount: number; currency: string },
): PspResult {
  const currency = normalizeCurrency(response.amount?.currency ?? fallback.currency);
  const amount =
    response.amount?.value !== undefined ? fromAdyenAmount(response.amount.value, currency) : fallback.amount;
  const pspReference = response.pspReference ?? '';
  const base = {
    provider: 'adyen' as const,
    pspReference,
    paymentPspReference: pspReference,
    amount,
    currency,
  };
  const reading = ADYEN_RESULT_CODES[String(response.resultCode)] ?? 'pending';
  switch (reading) {
    case 'succeeded':
      return { ...base, outcome: 'succeeded' };
    case 'pending':
      return { ...base, outcome: 'pending' };
    case 'authentication_required':
      return {
        ...base,
        outcome: 'declined',
        code: 'authentication_required',
        declineCode: 'authentication_required',
        declineKind: 'soft',
        message: `Adyen asked for shopper action (${response.resultCode})`,
        providerCode: String(response.resultCode),
      };
    case 'declined': {
      const refusal = adyenRefusal(
        response.refusalReasonCode,
        response.additionalData?.[ADYEN_ADDITIONAL_DATA.refusalReasonRaw],
      );
      const isError = String(response.resultCode) === 'Error';
      return {
        ...base,
        outcome: 'declined',
        code: isError ? 'processing_error' : refusal.code,
        declineCode: isError ? 'processing_error' : refusal.declineCode,
        declineKind: isError ? 'soft' : refusal.kind,
        message: response.refusalReason ?? refusal.reason,
        providerCode: response.refusalReasonCode ?? String(response.resultCode),
      };
    }
  }
}

type ModificationResponse = PaymentCaptureResponse | PaymentRefundResponse | PaymentCancelResponse;

/**
 * Adyen modifications answer `received`: accepted, outcome by webhook (CAPTURE, REFUND,
 * CANCELLATION with `success`). So the result is `pending` with the modification's own reference,
 * which the webhook's `pspReference` will carry.
 */
export function fromModificationResponse(
  response: ModificationResponse,
  fallback: { amount: number; currency: string },
): PspResult {
  const amountField = 'amount' in response ? response.amount : undefined;
  const currency = normalizeCurrency(amountField?.currency ?? fallback.currency);
  return {
    provider: 'adyen',
    outcome: 'pending',
    pspReference: response.pspReference,
    paymentPspReference: response.paymentPspReference,
    amount: amountField ? fromAdyenAmount(amountField.value, currency) : fallback.amount,
    currency,
  };
}
