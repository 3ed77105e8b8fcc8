import { timingSafeEqual } from 'node:crypto';
import { hmacValidator, type Types } from '@adyen/api-library';
import { isCurrencyCode, normalizeCurrency, type PspNotificationKind } from '@payflow/contracts';
import type { PspNotification, PspNotificationData } from '../core/psp-notification';
import {
  WebhookPayloadError,
  WebhookSignatureError,
  WebhookUnusableEventError,
} from '../core/webhook-errors';
import { adyenDecline } from './adyen.codes';
import { fromAdyenAmount } from './adyen.currency';
import { ADYEN_ADDITIONAL_DATA } from './adyen.metadata';
import { parseAdyenMerchantReference } from './adyen.reference';

type NotificationRequestItem = Types.notification.NotificationRequestItem;

/** Adyen's standard notification body: `{live, notificationItems: [{NotificationRequestItem}]}`. */
export interface AdyenNotificationBody {
  live: string;
  notificationItems: { NotificationRequestItem: NotificationRequestItem }[];
}

/** What PayFlow answers Adyen once a notification is verified (API.md). */
export const ADYEN_ACCEPTED_RESPONSE = '[accepted]';

/**
 * Adyen `eventCode` → PayFlow notification kind. `CAPTURE_FAILED`, `REFUND_FAILED` and
 * `REFUNDED_REVERSED` come with `success: "true"` (the failure happened) after the operation's own
 * success notification: they read as failed, and as a `reversal` of that earlier success.
 */
const EVENT_KINDS: Readonly<Record<string, { kind: PspNotificationKind; reversal?: boolean }>> =
  Object.freeze({
    AUTHORISATION: { kind: 'authorization' },
    CAPTURE: { kind: 'capture' },
    CAPTURE_FAILED: { kind: 'capture', reversal: true },
    REFUND: { kind: 'refund' },
    REFUND_FAILED: { kind: 'refund', reversal: true },
    REFUNDED_REVERSED: { kind: 'refund', reversal: true },
    CANCELLATION: { kind: 'cancel' },
    TECHNICAL_CANCEL: { kind: 'cancel' },
    CANCEL_OR_REFUND: { kind: 'cancel_or_refund' },
    CHARGEBACK: { kind: 'chargeback' },
  });

const validator = new hmacValidator();

/** The HMAC Adyen puts in `additionalData.hmacSignature`, computed with the SDK's own helper. */
export function adyenItemHmac(item: NotificationRequestItem, hmacKeyHex: string): string {
  return validator.calculateHmac(item, hmacKeyHex);
}

/**
 * Whether one item's `additionalData.hmacSignature` is right, compared in constant time: what the
 * webhooks service checks for each item before storing it on its own. An item without an `amount`
 * object is computed with empty amount fields (the signing string then reads so), so a signed item
 * lacking it is recognised as signed — and stored as unusable by `parseAdyenNotificationItem`.
 * False for a missing signature, a missing key, or one that cannot be computed.
 */
export function verifyAdyenNotificationItem(item: NotificationRequestItem, hmacKeyHex: string): boolean {
  if (!hmacKeyHex || typeof item !== 'object' || item === null) return false;
  const signature = (item.additionalData as Record<string, unknown> | undefined)?.['hmacSignature'];
  if (typeof signature !== 'string' || !signature) return false;
  const amount = typeof item.amount === 'object' && item.amount !== null ? item.amount : {};
  try {
    const expected = Buffer.from(
      adyenItemHmac({ ...item, amount } as NotificationRequestItem, hmacKeyHex),
      'base64',
    );
    const given = Buffer.from(signature, 'base64');
    return expected.length === given.length && timingSafeEqual(expected, given);
  } catch {
    return false;
  }
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

function unusable(item: NotificationRequestItem, why: string, cause?: unknown): WebhookUnusableEventError {
  return new WebhookUnusableEventError(
    'adyen',
    `notification item ${String(item.eventCode)} ${String(item.pspReference)} is unusable: ${why}`,
    cause === undefined ? undefined : { cause },
  );
}

function amountOf(item: NotificationRequestItem): { amount: number; currency: string } {
  if (typeof item.amount !== 'object' || item.amount === null) throw unusable(item, 'no amount');
  const currency = item.amount.currency ?? '';
  try {
    if (!isCurrencyCode(currency)) throw new RangeError(`unknown currency "${currency}"`);
    return {
      amount: fromAdyenAmount(item.amount.value ?? Number.NaN, currency),
      currency: normalizeCurrency(currency),
    };
  } catch (error) {
    throw unusable(item, `invalid amount: ${String(error)}`, error);
  }
}

/** The decline fields of a refused AUTHORISATION, read as the `/payments` answer is (adyen.codes.ts). */
function declineFields(item: NotificationRequestItem): Partial<PspNotificationData> {
  const additional = (item.additionalData ?? {}) as Record<string, string | undefined>;
  const decline = adyenDecline({
    refusalReason: item.reason || undefined,
    refusalReasonRaw: additional[ADYEN_ADDITIONAL_DATA.refusalReasonRaw],
    merchantAdviceCode: additional[ADYEN_ADDITIONAL_DATA.merchantAdviceCode],
    paymentMethod: item.paymentMethod || additional[ADYEN_ADDITIONAL_DATA.paymentMethod],
  });
  return {
    code: decline.code,
    decline_code: decline.declineCode,
    network: decline.network ?? null,
    advice_code: decline.adviceCode ?? null,
    message: decline.message,
  };
}

/**
 * Normalizes one verified item; event codes PayFlow does not act on (reports, later dispute stages)
 * yield nothing.
 *
 * | eventCode | kind | success | reversal | psp_reference |
 * |---|---|---|---|---|
 * | AUTHORISATION | authorization | `success` (a refusal adds code, decline_code, network, advice_code, message) | | the payment's |
 * | CAPTURE, REFUND, CANCELLATION | capture, refund, cancel | `success` | | originalReference |
 * | CAPTURE_FAILED | capture | false | true | originalReference |
 * | REFUND_FAILED, REFUNDED_REVERSED | refund | false | true | originalReference |
 * | TECHNICAL_CANCEL | cancel | `success` | | originalReference, else the item's (no payment held) |
 * | CANCEL_OR_REFUND | cancel_or_refund | `success` | | originalReference |
 * | CHARGEBACK | chargeback | true | | originalReference |
 *
 * PayFlow's ids come only from the signed `merchantReference` (`<intent>:<attempt>`, or a bare
 * attempt id of older payments), never from the unsigned rest of `additionalData`. No `refund_id`:
 * Adyen modifications carry no metadata; the refund is found through its attempt.
 *
 * An item that is signed but unusable (no amount, an unknown currency, an amount that is not whole
 * ISO minor units) throws a `WebhookUnusableEventError` (a `WebhookPayloadError`) for that item
 * alone: the webhooks service stores it as unusable, with the error's message, and still applies
 * the batch's other items.
 */
export function parseAdyenNotificationItem(item: NotificationRequestItem): PspNotification | undefined {
  const mapping = EVENT_KINDS[String(item.eventCode)];
  if (!mapping) return undefined;
  if (typeof item.pspReference !== 'string' || !item.pspReference) throw unusable(item, 'no pspReference');
  const { amount, currency } = amountOf(item);
  const isAuthorization = mapping.kind === 'authorization';
  const paymentPspReference =
    !isAuthorization && item.originalReference ? item.originalReference : item.pspReference;
  const success = mapping.reversal ? false : String(item.success) === 'true';
  const ids = parseAdyenMerchantReference(item.merchantReference);
  const reason = item.reason || undefined;
  return {
    data: {
      provider: 'adyen',
      psp_event_id: adyenEventId(item),
      psp_reference: paymentPspReference,
      kind: mapping.kind,
      success,
      amount,
      currency,
      intent_id: ids?.intentId ?? null,
      attempt_id: ids?.attemptId ?? null,
      refund_id: null,
      ...(mapping.reversal ? { reversal: true } : {}),
      ...(isAuthorization && !success ? declineFields(item) : {}),
      ...(!isAuthorization && !success && reason ? { message: reason } : {}),
    },
    eventType: String(item.eventCode),
    paymentPspReference,
    occurredAt: isoDate(item.eventDate),
    ...(reason ? { reason } : {}),
  };
}

/**
 * Verify every item, then normalize, all or nothing: for tools and tests. The webhooks service reads
 * a batch item by item instead (`verifyAdyenNotificationItem`, `parseAdyenNotificationItem`), so
 * one unusable item is stored as such without rejecting the others.
 */
export function verifyAndParseAdyenNotification(rawBody: Buffer, hmacKeyHex: string): PspNotification[] {
  const body = verifyAdyenNotification(rawBody, hmacKeyHex);
  const notifications: PspNotification[] = [];
  for (const container of body.notificationItems) {
    const notification = parseAdyenNotificationItem(container.NotificationRequestItem);
    if (notification) notifications.push(notification);
  }
  return notifications;
}
