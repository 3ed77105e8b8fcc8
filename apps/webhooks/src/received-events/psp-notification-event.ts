import {
  MAX_AMOUNT_MINOR,
  PROVIDERS,
  PSP_NOTIFICATION_KINDS,
  TOPICS,
  createEvent,
  isCurrencyCode,
  type EventOf,
} from '@payflow/contracts';
import type { OutgoingEvent } from '@payflow/platform/outbox';
import type { PspNotification, PspNotificationData } from '@payflow/psp';

/**
 * A PSP notification names a PSP account's payment, not a PayFlow merchant: the webhooks service
 * cannot know the merchant without reading another service's tables, which DESIGN.md forbids. The
 * envelope requires one, so it says so plainly; consumers resolve the merchant through `intent_id`
 * / `attempt_id` (the orchestrator owns that mapping).
 */
export const UNATTRIBUTED_MERCHANT = 'unknown';

const INTENT_ID = /^pi_[A-Za-z0-9_-]+$/;
const REFUND_ID = /^re_[A-Za-z0-9_-]+$/;

/** PSPs echo what PayFlow sent them, but a hand-made or foreign object may carry anything: keep only PayFlow's ids. */
function ownId(value: string | null | undefined, pattern: RegExp): string | null {
  return typeof value === 'string' && pattern.test(value) ? value : null;
}

/** The decline as the PSP gave it (optional strings in the contract). */
const DECLINE_FIELDS = ['code', 'decline_code', 'network', 'advice_code', 'message'] as const;

const nonEmpty = (value: unknown) => typeof value === 'string' && value.length > 0;

/**
 * What in a normalized notification `PspNotificationReceivedData` (libs/contracts) would refuse —
 * the values that come from a PSP's payload; the envelope around them is built here and typed.
 * The same rules as `validateEvent`, checked directly: class-validator cost a tenth of the
 * ingestion's CPU per event, on the path that must acknowledge PSPs fast. A unit test holds the two
 * in agreement.
 */
export function notificationDataProblems(data: PspNotificationData): string[] {
  const problems: string[] = [];
  if (!(PROVIDERS as readonly string[]).includes(data.provider))
    problems.push('data.provider: unknown provider');
  if (!nonEmpty(data.psp_event_id)) problems.push('data.psp_event_id: must be a non-empty string');
  if (!nonEmpty(data.psp_reference)) problems.push('data.psp_reference: must be a non-empty string');
  if (!(PSP_NOTIFICATION_KINDS as readonly string[]).includes(data.kind))
    problems.push('data.kind: unknown kind');
  if (typeof data.success !== 'boolean') problems.push('data.success: must be a boolean');
  if (!Number.isInteger(data.amount) || data.amount < 0 || data.amount > MAX_AMOUNT_MINOR) {
    problems.push(`data.amount: must be an integer from 0 to ${MAX_AMOUNT_MINOR}`);
  }
  if (
    typeof data.currency !== 'string' ||
    data.currency !== data.currency.toUpperCase() ||
    !isCurrencyCode(data.currency)
  ) {
    problems.push('data.currency: must be an upper-case ISO 4217 currency code');
  }
  if (data.attempt_id !== null && data.attempt_id !== undefined && !nonEmpty(data.attempt_id)) {
    problems.push('data.attempt_id: must be a non-empty string');
  }
  if (data.reversal !== undefined && data.reversal !== null && typeof data.reversal !== 'boolean') {
    problems.push('data.reversal: must be a boolean');
  }
  for (const field of DECLINE_FIELDS) {
    const value = data[field];
    if (value !== undefined && value !== null && typeof value !== 'string')
      problems.push(`data.${field}: must be a string`);
  }
  return problems;
}

export type BuiltNotificationEvent = { ok: true; outgoing: OutgoingEvent } | { ok: false; error: string };

/**
 * The `psp.notification_received` event of one verified notification, ready for the outbox: keyed
 * by the intent id it carries (DESIGN.md: everything about one payment in one partition, in order)
 * or, when it carries none (a payment PayFlow cannot match yet), by the PSP's payment reference, so
 * the notifications of that payment still keep their order. Checked against the contract before it
 * is written: an event consumers would dead-letter is not published (the raw payload is kept).
 */
export function pspNotificationEvent(
  notification: PspNotification,
  context: { occurredAt: Date; requestId: string | undefined },
): BuiltNotificationEvent {
  const data: PspNotificationData = {
    ...notification.data,
    intent_id: ownId(notification.data.intent_id, INTENT_ID),
    attempt_id: notification.data.attempt_id || null,
    refund_id: ownId(notification.data.refund_id, REFUND_ID),
  };
  const problems = notificationDataProblems(data);
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };
  const event: EventOf<'psp.notification_received'> = createEvent({
    type: 'psp.notification_received',
    source: 'webhooks',
    aggregate_type: 'psp_notification',
    aggregate_id: data.psp_event_id,
    aggregate_version: 0,
    merchant_id: UNATTRIBUTED_MERCHANT,
    occurred_at: context.occurredAt.toISOString(),
    correlation_id: context.requestId ?? null,
    causation_id: context.requestId ?? null,
    data,
  });
  const key = data.intent_id ?? (notification.paymentPspReference || data.psp_reference);
  return { ok: true, outgoing: { topic: TOPICS.webhooks, event, key } };
}
