import type { EventEnvelope } from '../envelope';
import { TOPICS, type Topic } from '../topics';
import {
  INTENTS_EVENT_TYPES,
  PaymentIntentAuthorizationFailedData,
  PaymentIntentAuthorizationRequestedData,
  PaymentIntentAuthorizedData,
  PaymentIntentCanceledData,
  PaymentIntentCancelFailedData,
  PaymentIntentCancelRequestedData,
  PaymentIntentCapturedData,
  PaymentIntentCaptureFailedData,
  PaymentIntentCaptureRequestedData,
  PaymentIntentCreatedData,
  RefundFailedData,
  RefundRequestedData,
  RefundSucceededData,
  PaymentIntentCaptureReversedData,
  RefundReversedData,
  PaymentIntentLateSuccessDetectedData,
  PaymentIntentLateSuccessReversedData,
  InvoicePaymentRequestRejectedData,
} from './intents.events';
import {
  BILLING_EVENT_TYPES,
  CustomerPaymentMethodUpdatedData,
  InvoiceFinalizedData,
  InvoiceMarkedUncollectibleData,
  InvoicePaidData,
  InvoicePaymentFailedData,
  InvoicePaymentRequestedData,
  InvoiceVoidedData,
  SubscriptionCanceledData,
  SubscriptionCreatedData,
  SubscriptionStatusChangedData,
  SubscriptionUpdatedData,
  TestClockAdvancedData,
} from './billing.events';
import {
  DUNNING_EVENT_TYPES,
  DunningClockSyncedData,
  DunningDecidedData,
  DunningExhaustedData,
  DunningRetryDueData,
  PaymentMethodUnusableData,
} from './dunning.events';
import { GATEWAY_EVENT_TYPES, MerchantCreatedData, MerchantUpdatedData } from './gateway.events';
import { LEDGER_EVENT_TYPES, LedgerEntryPostedData } from './ledger.events';
import {
  ORCHESTRATOR_EVENT_TYPES,
  PaymentAuthorizationFailedData,
  PaymentAuthorizedData,
  PaymentCanceledData,
  PaymentCancelFailedData,
  PaymentCapturedData,
  PaymentCaptureFailedData,
  PaymentRefundedData,
  PaymentRefundFailedData,
  PaymentCaptureReversedData,
  PaymentRefundReversedData,
  PaymentLateSuccessData,
  PaymentLateSuccessReversedData,
} from './orchestrator.events';
import { PspNotificationReceivedData, WEBHOOKS_EVENT_TYPES } from './webhooks.events';

/** Every event type. */
export const EVENT_TYPES = [
  ...INTENTS_EVENT_TYPES,
  ...ORCHESTRATOR_EVENT_TYPES,
  ...WEBHOOKS_EVENT_TYPES,
  ...LEDGER_EVENT_TYPES,
  ...GATEWAY_EVENT_TYPES,
  ...BILLING_EVENT_TYPES,
  ...DUNNING_EVENT_TYPES,
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** A class-validator class that validates the `data` of one event type. */
export type EventDataSchema<T extends object = object> = new () => T;

/**
 * The schema of `data` for each event type. `satisfies` makes the compiler reject a type without
 * a schema, or a schema for a type that is not in EVENT_TYPES.
 */
export const EVENT_DATA_SCHEMAS = Object.freeze({
  'payment_intent.created': PaymentIntentCreatedData,
  'payment_intent.authorization_requested': PaymentIntentAuthorizationRequestedData,
  'payment_intent.authorized': PaymentIntentAuthorizedData,
  'payment_intent.authorization_failed': PaymentIntentAuthorizationFailedData,
  'payment_intent.capture_requested': PaymentIntentCaptureRequestedData,
  'payment_intent.captured': PaymentIntentCapturedData,
  'payment_intent.capture_failed': PaymentIntentCaptureFailedData,
  'payment_intent.cancel_requested': PaymentIntentCancelRequestedData,
  'payment_intent.canceled': PaymentIntentCanceledData,
  'payment_intent.cancel_failed': PaymentIntentCancelFailedData,
  'refund.requested': RefundRequestedData,
  'refund.succeeded': RefundSucceededData,
  'refund.failed': RefundFailedData,
  'payment_intent.capture_reversed': PaymentIntentCaptureReversedData,
  'refund.reversed': RefundReversedData,
  'payment_intent.late_success_detected': PaymentIntentLateSuccessDetectedData,
  'payment_intent.late_success_reversed': PaymentIntentLateSuccessReversedData,
  'payment.authorized': PaymentAuthorizedData,
  'payment.authorization_failed': PaymentAuthorizationFailedData,
  'payment.captured': PaymentCapturedData,
  'payment.capture_failed': PaymentCaptureFailedData,
  'payment.canceled': PaymentCanceledData,
  'payment.cancel_failed': PaymentCancelFailedData,
  'payment.refunded': PaymentRefundedData,
  'payment.refund_failed': PaymentRefundFailedData,
  'payment.capture_reversed': PaymentCaptureReversedData,
  'payment.refund_reversed': PaymentRefundReversedData,
  'payment.late_success': PaymentLateSuccessData,
  'payment.late_success_reversed': PaymentLateSuccessReversedData,
  'psp.notification_received': PspNotificationReceivedData,
  'ledger.entry_posted': LedgerEntryPostedData,
  'invoice.payment_request_rejected': InvoicePaymentRequestRejectedData,
  'merchant.created': MerchantCreatedData,
  'merchant.updated': MerchantUpdatedData,
  'subscription.created': SubscriptionCreatedData,
  'subscription.updated': SubscriptionUpdatedData,
  'subscription.canceled': SubscriptionCanceledData,
  'subscription.status_changed': SubscriptionStatusChangedData,
  'invoice.finalized': InvoiceFinalizedData,
  'invoice.paid': InvoicePaidData,
  'invoice.voided': InvoiceVoidedData,
  'invoice.marked_uncollectible': InvoiceMarkedUncollectibleData,
  'invoice.payment_requested': InvoicePaymentRequestedData,
  'invoice.payment_failed': InvoicePaymentFailedData,
  'customer.payment_method_updated': CustomerPaymentMethodUpdatedData,
  'test_clock.advanced': TestClockAdvancedData,
  'dunning.decided': DunningDecidedData,
  'dunning.retry_due': DunningRetryDueData,
  'dunning.clock_synced': DunningClockSyncedData,
  'dunning.exhausted': DunningExhaustedData,
  'payment_method.unusable': PaymentMethodUnusableData,
} satisfies Record<EventType, EventDataSchema>);

/** The `data` type of an event type, e.g. `EventDataOf<'payment_intent.captured'>`. */
export type EventDataOf<T extends EventType> = InstanceType<(typeof EVENT_DATA_SCHEMAS)[T]>;

/** A whole event of a given type. */
export type EventOf<T extends EventType> = EventEnvelope<EventDataOf<T>> & { type: T };

/** Any known event, discriminated by `type` (so `switch (event.type)` narrows `data`). */
export type AnyEvent = { [T in EventType]: EventOf<T> }[EventType];

/** The topic each type is published on: the topic of its producer. */
export const EVENT_TOPICS: Readonly<Record<EventType, Topic>> = Object.freeze({
  ...Object.fromEntries(INTENTS_EVENT_TYPES.map((type) => [type, TOPICS.intents])),
  ...Object.fromEntries(ORCHESTRATOR_EVENT_TYPES.map((type) => [type, TOPICS.orchestrator])),
  ...Object.fromEntries(WEBHOOKS_EVENT_TYPES.map((type) => [type, TOPICS.webhooks])),
  ...Object.fromEntries(LEDGER_EVENT_TYPES.map((type) => [type, TOPICS.ledger])),
  ...Object.fromEntries(GATEWAY_EVENT_TYPES.map((type) => [type, TOPICS.gateway])),
  ...Object.fromEntries(BILLING_EVENT_TYPES.map((type) => [type, TOPICS.billing])),
  ...Object.fromEntries(DUNNING_EVENT_TYPES.map((type) => [type, TOPICS.dunning])),
} as Record<EventType, Topic>);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EVENT_DATA_SCHEMAS, value);
}

/**
 * Narrows an event to one type. It only compares `type`: call it on events that `validateEvent`
 * accepted, which is what guarantees `data` matches.
 */
export function isEventOfType<T extends EventType>(event: EventEnvelope, type: T): event is EventOf<T> {
  return event.type === type;
}
