import type { ErrorType, EventOf, LastErrorObject, Provider } from '@payflow/contracts';
import type { IntentEvent } from '../state-machine/transitions';

/** The orchestrator's result events this service applies, and the table trigger each one is. */
export const RESULT_TRIGGERS = {
  'payment.authorized': 'authorization_succeeded',
  'payment.authorization_failed': 'authorization_failed',
  'payment.captured': 'capture_succeeded',
  'payment.capture_failed': 'capture_failed',
  'payment.canceled': 'cancel_succeeded',
  'payment.cancel_failed': 'cancel_failed',
  'payment.refunded': 'refund_succeeded',
  'payment.refund_failed': 'refund_failed',
  'payment.capture_reversed': 'capture_reversed',
  'payment.refund_reversed': 'refund_reversed',
  'payment.late_success': 'late_success',
  'payment.late_success_reversed': 'late_success',
} as const satisfies Record<string, IntentEvent>;

export type ResultType = keyof typeof RESULT_TRIGGERS;
export type ResultEvent = { [T in ResultType]: EventOf<T> }[ResultType];
export type RefundResultEvent =
  EventOf<'payment.refunded'> | EventOf<'payment.refund_failed'> | EventOf<'payment.refund_reversed'>;
export type LateSuccessEvent = EventOf<'payment.late_success'> | EventOf<'payment.late_success_reversed'>;
export type IntentResultEvent = Exclude<ResultEvent, RefundResultEvent | LateSuccessEvent>;

export function isRefundResult(event: ResultEvent): event is RefundResultEvent {
  return (
    event.type === 'payment.refunded' ||
    event.type === 'payment.refund_failed' ||
    event.type === 'payment.refund_reversed'
  );
}

export function isLateSuccess(event: ResultEvent): event is LateSuccessEvent {
  return event.type === 'payment.late_success' || event.type === 'payment.late_success_reversed';
}

/**
 * PayFlow's codes of a card the issuer or the PSP declined (the connectors map every PSP's decline to
 * one of them). An authorization failure with one of these is a `card_error`; any other code is
 * PayFlow's or the PSP's own failure (an unknown outcome, no eligible PSP, a PSP unavailable).
 */
export const CARD_DECLINE_CODES: ReadonlySet<string> = new Set([
  'authentication_required',
  'card_declined',
  'card_not_supported',
  'card_velocity_exceeded',
  'expired_card',
  'incorrect_cvc',
  'incorrect_number',
  'incorrect_zip',
  'insufficient_funds',
  'invalid_amount',
  'lost_card',
  'processing_error',
  'stolen_card',
]);

/**
 * `last_error.type` of a failed authorization: what the orchestrator says, else (an event that
 * predates `error_type`) a `card_error` when the card was declined — a decline code, or a code of a
 * decline — and an `api_error` otherwise.
 */
export function authorizationErrorType(data: EventOf<'payment.authorization_failed'>['data']): ErrorType {
  if (data.error_type) return data.error_type;
  if (data.decline_code) return 'card_error';
  return !data.code || CARD_DECLINE_CODES.has(data.code) ? 'card_error' : 'api_error';
}

/** `last_error` after a declined or failed authorization (API.md), with what dunning needs. */
export function authorizationError(event: EventOf<'payment.authorization_failed'>): LastErrorObject {
  const { data } = event;
  return {
    type: authorizationErrorType(data),
    code: data.code || 'card_declined',
    ...(data.decline_code ? { decline_code: data.decline_code } : {}),
    message: data.message || 'The payment was declined',
    ...(data.network ? { network: data.network } : {}),
    ...(data.advice_code ? { advice_code: data.advice_code } : {}),
  };
}

/**
 * `last_error` after a failed capture or void. Not a decline of the card, so an `api_error` (Stripe's
 * type for a failure on the processing side), with the PSP's code when it gave one.
 */
export function operationError(
  event: EventOf<'payment.capture_failed'> | EventOf<'payment.cancel_failed'>,
  fallbackCode: string,
): LastErrorObject {
  return {
    type: 'api_error',
    code: event.data.code || fallbackCode,
    message:
      event.data.message ||
      (fallbackCode === 'capture_failed' ? 'The capture failed' : 'The void of the authorization failed'),
  };
}

/**
 * `last_error` of an intent whose capture the PSP reversed (Adyen CAPTURE_FAILED after CAPTURE): an
 * `api_error` of PayFlow's own code, so the merchant can tell it from a decline; the PSP's text kept.
 */
export function captureReversedError(event: EventOf<'payment.capture_reversed'>): LastErrorObject {
  return {
    type: 'api_error',
    code: 'capture_reversed',
    message: event.data.message || 'The PSP reported the capture failed after it had confirmed it',
  };
}

export const providerOfResult = (event: ResultEvent): Provider | null => event.data.provider;
