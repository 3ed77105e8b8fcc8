import type { Types } from '@adyen/api-library';
import type { OutgoingWebhook } from '../notifications/outgoing-webhook';
import { signAdyenItem } from '../notifications/adyen-webhook-signer';
import type { AdyenAmount, AdyenPayment } from './adyen-objects';

type NotificationRequestItem = Types.notification.NotificationRequestItem;

export type AdyenEventCode =
  | 'AUTHORISATION'
  | 'CAPTURE'
  | 'CAPTURE_FAILED'
  | 'REFUND'
  | 'REFUND_FAILED'
  | 'REFUNDED_REVERSED'
  | 'CANCELLATION'
  | 'TECHNICAL_CANCEL';

export interface AdyenNotificationEvent {
  eventCode: AdyenEventCode;
  success: boolean;
  /** The pspReference of what the event is about (the payment, or the modification). */
  pspReference: string;
  /** For modifications: the payment's pspReference (absent on a technical cancel that found none). */
  originalReference?: string;
  /** The `reference` PayFlow sent with the call that caused the event. */
  merchantReference: string;
  amount: AdyenAmount;
  reason?: string;
}

/** What a notification says besides the event: the account, the card's network, additional data. */
export interface AdyenNotificationContext {
  merchantAccount: string;
  paymentMethod?: string;
  additionalData: Record<string, string>;
}

/**
 * The context of notifications about `payment`. `additionalData` carries the payment's
 * `metadata.*` and `merchantOrderReference` (Adyen's "additional data" webhook settings), and for a
 * refusal `refusalReasonRaw` and (Mastercard) `merchantAdviceCode`, as Adyen's "include raw
 * acquirer result" settings do. PayFlow matches on the signed `merchantReference` instead.
 */
export function notificationContextOf(payment: AdyenPayment): AdyenNotificationContext {
  const additionalData: Record<string, string> = {};
  for (const [key, value] of Object.entries(payment.metadata)) additionalData[`metadata.${key}`] = value;
  if (payment.merchantOrderReference)
    additionalData['merchantOrderReference'] = payment.merchantOrderReference;
  if (payment.refusal) {
    additionalData['refusalReasonRaw'] = payment.refusal.refusalReasonRaw;
    if (payment.refusal.merchantAdviceCode)
      additionalData['merchantAdviceCode'] = payment.refusal.merchantAdviceCode;
  }
  return { merchantAccount: payment.merchantAccount, paymentMethod: payment.brand, additionalData };
}

/**
 * A standard notification with one item, HMAC-signed. Adyen sends `live` and `success` as strings;
 * failures after success (CAPTURE_FAILED, REFUND_FAILED, REFUNDED_REVERSED) come with success
 * "true": the failure is the event that happened.
 */
export function adyenNotificationWebhook(
  context: AdyenNotificationContext,
  event: AdyenNotificationEvent,
  hmacKeyHex: string,
): OutgoingWebhook {
  const item = {
    additionalData: { ...context.additionalData },
    amount: { ...event.amount },
    eventCode: event.eventCode,
    eventDate: new Date().toISOString(),
    merchantAccountCode: context.merchantAccount,
    merchantReference: event.merchantReference,
    ...(event.originalReference ? { originalReference: event.originalReference } : {}),
    ...(context.paymentMethod ? { paymentMethod: context.paymentMethod } : {}),
    pspReference: event.pspReference,
    reason: event.reason ?? '',
    success: event.success ? 'true' : 'false',
  } as unknown as NotificationRequestItem;
  const body = JSON.stringify({
    live: 'false',
    notificationItems: [{ NotificationRequestItem: signAdyenItem(item, hmacKeyHex) }],
  });
  return {
    provider: 'adyen',
    description: `${event.eventCode} ${event.pspReference}`,
    body,
    sign: () => ({}),
  };
}
