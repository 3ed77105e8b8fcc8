import { hmacValidator, type Types } from '@adyen/api-library';

type NotificationRequestItem = Types.notification.NotificationRequestItem;

const validator = new hmacValidator();

/**
 * Adds `additionalData.hmacSignature` to a notification item: base64 HMAC-SHA256, with the hex
 * key, over Adyen's signed fields (pspReference, originalReference, merchantAccountCode,
 * merchantReference, value, currency, eventCode, success), computed by the official SDK.
 */
export function signAdyenItem(item: NotificationRequestItem, hmacKeyHex: string): NotificationRequestItem {
  const hmacSignature = validator.calculateHmac(item, hmacKeyHex);
  return { ...item, additionalData: { ...(item.additionalData ?? {}), hmacSignature } };
}
