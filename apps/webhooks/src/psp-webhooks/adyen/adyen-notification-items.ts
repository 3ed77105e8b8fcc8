import { createHash } from 'node:crypto';
import {
  WebhookPayloadError,
  WebhookSignatureError,
  adyenEventId,
  parseAdyenNotificationItem,
  verifyAdyenNotificationItem,
} from '@payflow/psp';
import type { VerifiedPspEvent } from '../../received-events/received-psp-events';

type NotificationRequestItem = Parameters<typeof adyenEventId>[0];

/**
 * The items of an Adyen standard notification body (`{live, notificationItems:
 * [{NotificationRequestItem}]}`). Only a body that is not that shape at all — not JSON, no items,
 * an entry that is not an object — is refused (`WebhookPayloadError`, a 4xx). What is inside an
 * item is judged per item, after its signature.
 */
export function readAdyenItems(rawBody: Buffer): NotificationRequestItem[] {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new WebhookPayloadError('adyen', 'body is not JSON', { cause: error });
  }
  const containers = (body as { notificationItems?: unknown } | null)?.notificationItems;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new WebhookPayloadError('adyen', 'body is not an Adyen notification (no notificationItems)');
  }
  return containers.map((container, index) => {
    const item = (container as { NotificationRequestItem?: unknown } | null)?.NotificationRequestItem;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new WebhookPayloadError('adyen', `notification entry ${index} has no NotificationRequestItem`);
    }
    return item as NotificationRequestItem;
  });
}

/**
 * Every item's signature, before anything is stored: one bad item refuses the whole request
 * (`WebhookSignatureError`, 400). A request with a forged item is a forged request: no part of it is
 * trusted, and Adyen retries a genuine batch (docs/webhooks.md, issue 10).
 */
export function verifyAdyenItems(items: NotificationRequestItem[], hmacKeyHex: string): void {
  if (!hmacKeyHex) throw new WebhookSignatureError('adyen', 'no Adyen HMAC key configured');
  items.forEach((item, index) => {
    // Constant-time, per item; an item without `amount` is checked over empty amount fields, so a
    // signed item lacking it is recognised as signed and then stored as unusable.
    if (!verifyAdyenNotificationItem(item, hmacKeyHex)) {
      throw new WebhookSignatureError(
        'adyen',
        `notification item ${index} has a missing or invalid hmacSignature`,
      );
    }
  });
}

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * The deduplication key: libs/psp's `adyenEventId` for an item that names its event; for one that
 * does not (no eventCode or pspReference — signed, but not usable), a digest of the item, so Adyen's
 * retries of it still deduplicate and two such items are never taken for each other.
 */
export function adyenItemEventId(item: NotificationRequestItem): string {
  if (nonEmptyString(item.eventCode) && nonEmptyString(item.pspReference)) return adyenEventId(item);
  return `unidentified:${createHash('sha256').update(JSON.stringify(item)).digest('hex')}`;
}

/**
 * One verified item as the event to store. An item PayFlow cannot use (an unknown currency, an
 * amount that is not whole minor units, no amount, no event code) is still stored, with why in
 * `unusable`, and acknowledged: it must not stop the batch's other items (issue 10). Event codes
 * PayFlow does not act on yield no notification and are simply recorded.
 */
export function adyenItemEvent(
  item: NotificationRequestItem,
  headers: Record<string, string>,
): VerifiedPspEvent {
  const base = {
    provider: 'adyen' as const,
    pspEventId: adyenItemEventId(item),
    eventType: nonEmptyString(item.eventCode) ? item.eventCode : '(none)',
    rawPayload: JSON.stringify(item),
    headers,
  };
  if (!nonEmptyString(item.eventCode) || !nonEmptyString(item.pspReference)) {
    return { ...base, notifications: [], unusable: 'notification item without eventCode or pspReference' };
  }
  try {
    const notification = parseAdyenNotificationItem(item);
    return { ...base, notifications: notification ? [notification] : [] };
  } catch (error) {
    // Thrown for this item only (libs/psp); any other failure to read it is the same verdict.
    return { ...base, notifications: [], unusable: (error as Error).message };
  }
}
