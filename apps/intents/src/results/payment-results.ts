import type { EventOf, LastErrorObject, Provider } from '@payflow/contracts';
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
} as const satisfies Record<string, IntentEvent>;

export type ResultType = keyof typeof RESULT_TRIGGERS;
export type ResultEvent = { [T in ResultType]: EventOf<T> }[ResultType];
export type IntentResultEvent = Exclude<
  ResultEvent,
  EventOf<'payment.refunded'> | EventOf<'payment.refund_failed'>
>;
export type RefundResultEvent = EventOf<'payment.refunded'> | EventOf<'payment.refund_failed'>;

export function isRefundResult(event: ResultEvent): event is RefundResultEvent {
  return event.type === 'payment.refunded' || event.type === 'payment.refund_failed';
}

/** `last_error` after a declined or failed authorization (API.md): always a `card_error`. */
export function authorizationError(event: EventOf<'payment.authorization_failed'>): LastErrorObject {
  return {
    type: 'card_error',
    code: event.data.code || 'card_declined',
    ...(event.data.decline_code ? { decline_code: event.data.decline_code } : {}),
    message: event.data.message || 'The payment was declined',
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

export const providerOfResult = (event: ResultEvent): Provider | null => event.data.provider;
