import type { MerchantEventType } from '@payflow/api';
import type { EventEnvelope, PaymentIntentObject, RefundObject } from '@payflow/contracts';

/**
 * Which internal intents events become which merchant events (API.md, "Merchant webhooks and
 * events"). Everything else — `*_requested` steps, capture and cancel failures, late successes
 * PayFlow reverses on its own (the intent does not change), other internal steps — is not sent.
 */
export const MERCHANT_EVENT_TYPE_OF = Object.freeze({
  'payment_intent.created': 'payment_intent.created',
  'payment_intent.authorized': 'payment_intent.authorized',
  'payment_intent.captured': 'payment_intent.succeeded',
  'payment_intent.authorization_failed': 'payment_intent.payment_failed',
  'payment_intent.canceled': 'payment_intent.canceled',
  'refund.requested': 'refund.created',
  'refund.succeeded': 'refund.succeeded',
  'refund.failed': 'refund.failed',
  // The PSP's later word (docs/orchestrator.md): a capture that failed after succeeding leaves the
  // intent failed; a refund that failed after succeeding is a failed refund, as Stripe reports it.
  'payment_intent.capture_reversed': 'payment_intent.payment_failed',
  'refund.reversed': 'refund.failed',
} as const satisfies Record<string, MerchantEventType>);

export type MappedInternalEventType = keyof typeof MERCHANT_EVENT_TYPE_OF;

export const MAPPED_INTERNAL_EVENT_TYPES = Object.keys(MERCHANT_EVENT_TYPE_OF) as MappedInternalEventType[];

/** The merchant event type of an internal one, or null when merchants are not told about it. */
export function merchantEventTypeOf(internalType: string): MerchantEventType | null {
  return Object.hasOwn(MERCHANT_EVENT_TYPE_OF, internalType)
    ? MERCHANT_EVENT_TYPE_OF[internalType as MappedInternalEventType]
    : null;
}

/** The public event object of API.md. */
export interface MerchantEventObject {
  id: string;
  object: 'event';
  type: MerchantEventType;
  /** When the change happened (the source event's occurred_at), ISO 8601 like every PayFlow timestamp. */
  created: string;
  data: { object: PaymentIntentObject | RefundObject };
}

/**
 * Builds the merchant event from the internal event alone — its `data.intent` or `data.refund` is
 * the full public object (DESIGN.md), so no other service's tables are read. Null when the type is
 * not sent to merchants or the event carries no public object.
 */
export function toMerchantEvent(id: string, event: EventEnvelope): MerchantEventObject | null {
  const type = merchantEventTypeOf(event.type);
  if (!type) return null;
  const data = event.data as { intent?: PaymentIntentObject; refund?: RefundObject };
  const object = event.type.startsWith('refund.') ? data.refund : data.intent;
  if (!object || typeof object !== 'object') return null;
  return { id, object: 'event', type, created: new Date(event.occurred_at).toISOString(), data: { object } };
}
