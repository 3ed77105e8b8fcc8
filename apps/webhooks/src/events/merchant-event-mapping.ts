import type { MerchantEventType } from '@payflow/api';
import type {
  EventEnvelope,
  InvoiceObject,
  PaymentIntentObject,
  RefundObject,
  SubscriptionObject,
} from '@payflow/contracts';

/**
 * Which internal intents and billing events become which merchant events (API.md, "Merchant
 * webhooks and events" and "Subscriptions and invoices"). Everything else — `*_requested` steps,
 * capture and cancel failures, late successes PayFlow reverses on its own (the intent does not
 * change), billing's commands and clock steps, other internal steps — is not sent.
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
  // Billing (payflow.billing.v1): invoices under their own names, subscriptions as Stripe names them.
  // A status change (active, past_due, unpaid, …) is an update to the merchant; a cancellation a deletion.
  'invoice.finalized': 'invoice.finalized',
  'invoice.paid': 'invoice.paid',
  'invoice.payment_failed': 'invoice.payment_failed',
  'invoice.voided': 'invoice.voided',
  'invoice.marked_uncollectible': 'invoice.marked_uncollectible',
  'subscription.created': 'customer.subscription.created',
  'subscription.updated': 'customer.subscription.updated',
  'subscription.status_changed': 'customer.subscription.updated',
  'subscription.canceled': 'customer.subscription.deleted',
} as const satisfies Record<string, MerchantEventType>);

export type MappedInternalEventType = keyof typeof MERCHANT_EVENT_TYPE_OF;

export const MAPPED_INTERNAL_EVENT_TYPES = Object.keys(MERCHANT_EVENT_TYPE_OF) as MappedInternalEventType[];

/** The merchant event type of an internal one, or null when merchants are not told about it. */
export function merchantEventTypeOf(internalType: string): MerchantEventType | null {
  return Object.hasOwn(MERCHANT_EVENT_TYPE_OF, internalType)
    ? MERCHANT_EVENT_TYPE_OF[internalType as MappedInternalEventType]
    : null;
}

export type MerchantEventDataObject = PaymentIntentObject | RefundObject | InvoiceObject | SubscriptionObject;

/** The public event object of API.md. */
export interface MerchantEventObject {
  id: string;
  object: 'event';
  type: MerchantEventType;
  /** When the change happened (the source event's occurred_at), ISO 8601 like every PayFlow timestamp. */
  created: string;
  data: { object: MerchantEventDataObject };
}

/** Where the public object sits in an internal event's data, by the internal type's prefix. */
function publicObjectOf(type: string, data: Record<string, unknown>): unknown {
  if (type.startsWith('refund.')) return data['refund'];
  if (type.startsWith('invoice.')) return data['invoice'];
  if (type.startsWith('subscription.')) return data['subscription'];
  return data['intent'];
}

/**
 * Builds the merchant event from the internal event alone — its `data.intent`, `data.refund`,
 * `data.invoice` or `data.subscription` is the full public object (DESIGN.md), so no other
 * service's tables are read. Null when the type is not sent to merchants or the event carries no
 * public object.
 */
export function toMerchantEvent(id: string, event: EventEnvelope): MerchantEventObject | null {
  const type = merchantEventTypeOf(event.type);
  if (!type) return null;
  const data = event.data;
  if (!data || typeof data !== 'object') return null;
  const object = publicObjectOf(event.type, data as Record<string, unknown>) as
    MerchantEventDataObject | undefined;
  if (!object || typeof object !== 'object') return null;
  return { id, object: 'event', type, created: new Date(event.occurred_at).toISOString(), data: { object } };
}
