import { hmacValidator, type Types } from '@adyen/api-library';
import { isCurrencyCode, normalizeCurrency, type PspNotificationKind } from '@payflow/contracts';
import type { PspNotification } from '../core/psp-notification';
import { WebhookPayloadError, WebhookSignatureError } from '../core/webhook-errors';
import { fromAdyenAmount } from './adyen.currency';
import { ADYEN_ADDITIONAL_DATA } from './adyen.metadata';

type NotificationRequestItem = Types.notification.NotificationRequestItem;

/** Adyen's standard notification body: `{live, notificationItems: [{NotificationRequestItem}]}`. */
export interface AdyenNotificationBody {
  live: string;
  notificationItems: { NotificationRequestItem: NotificationRequestItem }[];
}

/** What PayFlow answers Adyen once a notification is verified (API.md). */
export const ADYEN_ACCEPTED_RESPONSE = '[accepted]';

/**
 * Adyen `eventCode` → PayFlow notification kind and whether `success: "true"` means the operation
 * succeeded. `CAPTURE_FAILED` and `REFUND_FAILED` report a failure even with `success: "true"` (it
 * is the failure report that succeeded), so they always read as failed.
 */
const EVENT_KINDS: Readonly<Record<string, { kind: PspNotificationKind; alwaysFailed?: boolean }>> =
  Object.freeze({
    AUTHORISATION: { kind: 'authorization' },
    CAPTURE: { kind: 'capture' },
    CAPTURE_FAILED: { kind: 'capture', alwaysFailed: true },
    REFUND: { kind: 'refund' },
    REFUND_FAILED: { kind: 'refund', alwaysFailed: true },
    REFUNDED_REVERSED: { kind: 'refund', alwaysFailed: true },
    CANCELLATION: { kind: 'cancel' },
    TECHNICAL_CANCEL: { kind: 'cancel' },
    CHARGEBACK: { kind: 'chargeback' },
  });

const validator = new hmacValidator();

/** The HMAC Adyen puts in `additionalData.hmacSignature`, computed with the SDK's own helper. */
export function adyenItemHmac(item: NotificationRequestItem, hmacKeyHex: string): string {
  return validator.calculateHmac(item, hmacKeyHex);
}

function parseBody(rawBody: Buffer): AdyenNotificationBody {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new WebhookPayloadError('adyen', 'body is not JSON', { cause: error });
  }
  const items = (body as { notificationItems?: unknown })?.notificationItems;
  if (!Array.isArray(items) || items.length === 0) {
    throw new WebhookPayloadError('adyen', 'body is not an Adyen notification (no notificationItems)');
  }
  for (const container of items) {
    const item = (container as { NotificationRequestItem?: unknown })?.NotificationRequestItem as
      Partial<NotificationRequestItem> | undefined;
    if (
      !item ||
      typeof item.pspReference !== 'string' ||
      typeof item.eventCode !== 'string' ||
      typeof item.amount !== 'object' ||
      item.amount === null
    ) {
      throw new WebhookPayloadError('adyen', 'notification item without pspReference, eventCode or amount');
    }
  }
  return body as AdyenNotificationBody;
}

/**
 * Verifies every item's `additionalData.hmacSignature` with the SDK's `hmacValidator` and the hex
 * HMAC key. One bad item rejects the whole request: Adyen then retries the batch, and PayFlow never
 * stores part of a forged one. The HMAC covers pspReference, originalReference, merchantAccountCode,
 * merchantReference, amount, currency, eventCode and success — not the rest of additionalData.
 */
export function verifyAdyenNotification(rawBody: Buffer, hmacKeyHex: string): AdyenNotificationBody {
  if (!hmacKeyHex) throw new WebhookSignatureError('adyen', 'no Adyen HMAC key configured');
  const body = parseBody(rawBody);
  body.notificationItems.forEach((container, index) => {
    const item = container.NotificationRequestItem;
    const signature = item.additionalData?.hmacSignature;
    if (!signature)
      throw new WebhookSignatureError('adyen', `notification item ${index} has no hmacSignature`);
    let valid: boolean;
    try {
      valid = validator.validateHMAC(item, hmacKeyHex);
    } catch (error) {
      throw new WebhookSignatureError('adyen', `notification item ${index} could not be verified`, {
        cause: error,
      });
    }
    if (!valid)
      throw new WebhookSignatureError('adyen', `notification item ${index} has an invalid hmacSignature`);
  });
  return body;
}

/**
 * Adyen asks integrations to deduplicate on pspReference + eventCode (and originalReference for
 * modifications). `success` is part of the key too: an AUTHORISATION can be reported failed and
 * later succeeded under the same references, and the second report must not be dropped.
 */
export function adyenEventId(item: NotificationRequestItem): string {
  return `${item.eventCode}:${item.pspReference}:${item.originalReference ?? ''}:${item.success}`;
}

function isoDate(value: string | undefined): string {
  const date = value ? new Date(value) : new Date();
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}

function nonEmpty(value: string | undefined): string | null {
  return value ? value : null;
}

/**
 * Normalizes one verified item; other event codes (reports, disputes' later stages) yield nothing.
 * Throws `WebhookPayloadError` for an item that is signed but not usable (unknown currency, an
 * amount that is not whole ISO minor units).
 */
export function parseAdyenNotificationItem(item: NotificationRequestItem): PspNotification | undefined {
  const mapping = EVENT_KINDS[String(item.eventCode)];
  if (!mapping) return undefined;
  const currency = item.amount.currency ?? '';
  let amount: number;
  try {
    if (!isCurrencyCode(currency)) throw new RangeError(`unknown currency "${currency}"`);
    amount = fromAdyenAmount(item.amount.value ?? Number.NaN, currency);
  } catch (error) {
    throw new WebhookPayloadError(
      'adyen',
      `notification ${item.pspReference} has an invalid amount: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  const additional = item.additionalData ?? {};
  const isModification = mapping.kind !== 'authorization' && Boolean(item.originalReference);
  const paymentPspReference = isModification ? String(item.originalReference) : item.pspReference;
  // A refund is its own object (its pspReference is what /refunds answered); captures, cancels and
  // chargebacks are about the payment.
  const pspReference = mapping.kind === 'refund' ? item.pspReference : paymentPspReference;
  const success = mapping.alwaysFailed ? false : String(item.success) === 'true';
  return {
    data: {
      provider: 'adyen',
      psp_event_id: adyenEventId(item),
      psp_reference: pspReference,
      kind: mapping.kind,
      success,
      amount,
      currency: normalizeCurrency(currency),
      intent_id: nonEmpty(
        additional[ADYEN_ADDITIONAL_DATA.intentId] ??
          additional[ADYEN_ADDITIONAL_DATA.merchantOrderReference],
      ),
      // merchantReference is the reference PayFlow sent with the call: the attempt (for chargebacks,
      // Adyen repeats the payment's, i.e. the authorization attempt).
      attempt_id: nonEmpty(item.merchantReference),
      refund_id: null,
    },
    eventType: String(item.eventCode),
    paymentPspReference,
    occurredAt: isoDate(item.eventDate),
    ...(item.reason ? { reason: item.reason } : {}),
  };
}

/** Verify every item, then normalize: what the webhooks service calls for `POST /webhooks/adyen`. */
export function verifyAndParseAdyenNotification(rawBody: Buffer, hmacKeyHex: string): PspNotification[] {
  const body = verifyAdyenNotification(rawBody, hmacKeyHex);
  const notifications: PspNotification[] = [];
  for (const container of body.notificationItems) {
    const notification = parseAdyenNotificationItem(container.NotificationRequestItem);
    if (notification) notifications.push(notification);
  }
  return notifications;
}
