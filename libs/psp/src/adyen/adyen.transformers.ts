import type { Types } from '@adyen/api-library';
import { normalizeCurrency } from '@payflow/contracts';
import type {
  AuthorizeRequest,
  CancelByReferenceRequest,
  CancelRequest,
  CaptureRequest,
  RefundRequest,
} from '../core/psp-requests';
import type { PspResult } from '../core/psp-results';
import { ADYEN_RESULT_CODES, adyenDecline } from './adyen.codes';
import { fromAdyenAmount, toAdyenAmount } from './adyen.currency';
import { ADYEN_ADDITIONAL_DATA, ADYEN_METADATA } from './adyen.metadata';
import { adyenMerchantReference } from './adyen.reference';

type PaymentRequest = Types.checkout.PaymentRequest;
type PaymentResponse = Types.checkout.PaymentResponse;
type PaymentCaptureRequest = Types.checkout.PaymentCaptureRequest;
type PaymentCaptureResponse = Types.checkout.PaymentCaptureResponse;
type PaymentRefundRequest = Types.checkout.PaymentRefundRequest;
type PaymentRefundResponse = Types.checkout.PaymentRefundResponse;
type PaymentCancelRequest = Types.checkout.PaymentCancelRequest;
type PaymentCancelResponse = Types.checkout.PaymentCancelResponse;
type StandalonePaymentCancelRequest = Types.checkout.StandalonePaymentCancelRequest;
type StandalonePaymentCancelResponse = Types.checkout.StandalonePaymentCancelResponse;

function adyenAmount(amount: number, currency: string): Types.checkout.Amount {
  const code = normalizeCurrency(currency);
  return { currency: code, value: toAdyenAmount(amount, code) };
}

// Request mapping: PayFlow → Adyen Checkout. Every `reference` is `<intent id>:<attempt id>`
// (adyen.reference.ts): Adyen signs it back as the notification's `merchantReference`.

function referenceOf(request: { intentId: string; attemptId: string }): string {
  return adyenMerchantReference(request.intentId, request.attemptId);
}

export function toPaymentRequest(
  request: AuthorizeRequest,
  merchantAccount: string,
  returnUrl: string,
): PaymentRequest {
  return {
    merchantAccount,
    returnUrl,
    amount: adyenAmount(request.amount, request.currency),
    reference: referenceOf(request),
    merchantOrderReference: request.intentId,
    metadata: { [ADYEN_METADATA.intentId]: request.intentId, [ADYEN_METADATA.attemptId]: request.attemptId },
    // A stored card token, charged by the merchant without the shopper present.
    paymentMethod: {
      type: 'scheme',
      storedPaymentMethodId: request.paymentMethod,
    } as PaymentRequest['paymentMethod'],
    shopperReference: request.intentId,
    shopperInteraction: 'ContAuth' as PaymentRequest['shopperInteraction'],
    // A subscription's invoice is a recurring charge at the merchant's initiative; anything else a
    // stored card charged when the merchant chooses.
    recurringProcessingModel: (request.offSession
      ? 'Subscription'
      : 'UnscheduledCardOnFile') as PaymentRequest['recurringProcessingModel'],
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
    reference: referenceOf(request),
  };
}

export function toRefundRequest(request: RefundRequest, merchantAccount: string): PaymentRefundRequest {
  return {
    merchantAccount,
    amount: adyenAmount(request.amount, request.currency),
    reference: referenceOf(request),
  };
}

export function toCancelRequest(request: CancelRequest, merchantAccount: string): PaymentCancelRequest {
  return { merchantAccount, reference: referenceOf(request) };
}

/**
 * Adyen's technical cancel (`POST /cancels`): the payment is named by the reference PayFlow gave
 * it (`paymentReference` = the authorization attempt's), the cancel by its own attempt's.
 */
export function toStandaloneCancelRequest(
  request: CancelByReferenceRequest,
  merchantAccount: string,
): StandalonePaymentCancelRequest {
  return {
    merchantAccount,
    paymentReference: adyenMerchantReference(request.paymentIntentId, request.paymentAttemptId),
    reference: referenceOf(request),
  };
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
      const additional = response.additionalData ?? {};
      const decline = adyenDecline({
        refusalReasonCode: response.refusalReasonCode,
        refusalReason: response.refusalReason,
        refusalReasonRaw: additional[ADYEN_ADDITIONAL_DATA.refusalReasonRaw],
        merchantAdviceCode: additional[ADYEN_ADDITIONAL_DATA.merchantAdviceCode],
        paymentMethod: additional[ADYEN_ADDITIONAL_DATA.paymentMethod] ?? response.paymentMethod?.brand,
      });
      const isError = String(response.resultCode) === 'Error';
      return {
        ...base,
        outcome: 'declined',
        code: isError ? 'processing_error' : decline.code,
        declineCode: isError ? 'processing_error' : decline.declineCode,
        declineKind: isError ? 'soft' : decline.kind,
        message: decline.message,
        providerCode: response.refusalReasonCode ?? String(response.resultCode),
        ...(decline.network ? { network: decline.network } : {}),
        ...(decline.adviceCode ? { adviceCode: decline.adviceCode } : {}),
        ...(decline.networkDeclineCode ? { networkDeclineCode: decline.networkDeclineCode } : {}),
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

/**
 * Adyen's answer to a technical cancel: `received`, the outcome comes as a `TECHNICAL_CANCEL`
 * notification. Adyen names no payment here (it may hold none under that reference), so the
 * cancel's own pspReference stands for both references until the notification's
 * `originalReference` says which payment it was.
 */
export function fromStandaloneCancelResponse(
  response: StandalonePaymentCancelResponse,
  request: { amount?: number; currency?: string },
): PspResult {
  return {
    provider: 'adyen',
    outcome: 'pending',
    pspReference: response.pspReference,
    paymentPspReference: response.pspReference,
    amount: request.amount ?? 0,
    currency: request.currency ? normalizeCurrency(request.currency) : '',
  };
}
