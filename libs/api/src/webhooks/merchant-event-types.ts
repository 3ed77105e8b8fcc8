/**
 * The event types merchants see and subscribe to (API.md, "Merchant webhooks and events"). Which
 * internal event becomes which is the webhooks service's business; this is the public vocabulary.
 */
export const MERCHANT_EVENT_TYPES = [
  'payment_intent.created',
  'payment_intent.authorized',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'refund.created',
  'refund.succeeded',
  'refund.failed',
  // Billing's (API.md, "Subscriptions and invoices"): data.object is the invoice or the subscription.
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const;

export type MerchantEventType = (typeof MERCHANT_EVENT_TYPES)[number];

/** `enabled_events: ["*"]` subscribes to every type, including ones added later. */
export const ALL_EVENTS_WILDCARD = '*';

export const ENABLED_EVENT_CHOICES: readonly string[] = [ALL_EVENTS_WILDCARD, ...MERCHANT_EVENT_TYPES];

export function isMerchantEventType(value: unknown): value is MerchantEventType {
  return typeof value === 'string' && (MERCHANT_EVENT_TYPES as readonly string[]).includes(value);
}

/** Public ids of the webhooks service's objects: the prefix lets the gateway 404 a malformed one without a call. */
export const WEBHOOK_ENDPOINT_ID_PATTERN = /^we_[A-Za-z0-9]{1,64}$/;
export const EVENT_ID_PATTERN = /^evt_[A-Za-z0-9]{1,64}$/;
export const WEBHOOK_DELIVERY_ID_PATTERN = /^wd_[A-Za-z0-9]{1,64}$/;
