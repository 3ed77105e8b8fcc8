import type { Types } from '@adyen/api-library';
import type { OutgoingWebhook } from '../notifications/outgoing-webhook';
import { signAdyenItem } from '../notifications/adyen-webhook-signer';
import type { AdyenAmount, AdyenPayment } from './adyen-objects';

type NotificationRequestItem = Types.notification.NotificationRequestItem;

export interface AdyenNotificationEvent {
  eventCode: 'AUTHORISATION' | 'CAPTURE' | 'REFUND' | 'CANCELLATION';
  success: boolean;
  /** The pspReference of what the event is about (the payment, or the modification). */
  pspReference: string;
  /** For modifications: the payment's pspReference. */
  originalReference?: string;
  /** The `reference` PayFlow sent with the call that caused the event. */
  merchantReference: string;
  amount: AdyenAmount;
  reason?: string;
}

/**
 * A standard notification with one item, HMAC-signed. `additionalData` carries the payment's
 * `metadata.*` and `merchantOrderReference` (Adyen's "additional data" webhook settings) so PayFlow
 * maps every event back to its intent. Adyen sends `live` and `success` as strings.
 */
export function adyenNotificationWebhook(
  payment: AdyenPayment,
  event: AdyenNotificationEvent,
  hmacKeyHex: string,
): OutgoingWebhook {
  const additionalData: Record<string, string> = {};
  for (const [key, value] of Object.entries(payment.metadata)) additionalData[`metadata.${key}`] = value;
  if (payment.merchantOrderReference)
    additionalData['merchantOrderReference'] = payment.merchantOrderReference;
  const item = {
    additionalData,
    amount: { ...event.amount },
    eventCode: event.eventCode,
    eventDate: new Date().toISOString(),
    merchantAccountCode: payment.merchantAccount,
    merchantReference: event.merchantReference,
    ...(event.originalReference ? { originalReference: event.originalReference } : {}),
    paymentMethod: payment.brand,
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
