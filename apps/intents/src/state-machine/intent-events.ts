import { EventDataOf, EventType, RefundObject, TOPICS, createEvent } from '@payflow/contracts';
import type { OutgoingEvent } from '@payflow/platform/outbox';
import { PaymentIntentRow, toPaymentIntentObject } from '../payment-intents/payment-intent.row';
import { Cause, causationIdOf, correlationIdOf } from './cause';

export type IntentEventType = Extract<EventType, `payment_intent.${string}`>;
export type RefundEventType = Extract<EventType, `refund.${string}`>;

/** An intent event's data besides the `intent` every one of them carries. */
export type IntentEventFacts<T extends IntentEventType> = Omit<EventDataOf<T>, 'intent'>;
export type RefundEventFacts<T extends RefundEventType> = Omit<EventDataOf<T>, 'refund'>;

function envelope(cause: Cause, occurredAt: Date) {
  return {
    source: 'intents',
    occurred_at: occurredAt.toISOString(),
    correlation_id: correlationIdOf(cause),
    causation_id: causationIdOf(cause),
  };
}

/**
 * A `payment_intent.*` event carrying `after` (the intent once changed) whole, keyed by the intent
 * id so every event of one payment keeps its order in one partition.
 */
export function intentEvent<T extends IntentEventType>(
  type: T,
  after: PaymentIntentRow,
  facts: IntentEventFacts<T>,
  cause: Cause,
  occurredAt: Date,
): OutgoingEvent {
  const event = createEvent<IntentEventType>({
    ...envelope(cause, occurredAt),
    type,
    aggregate_type: 'payment_intent',
    aggregate_id: after.id,
    aggregate_version: after.version,
    merchant_id: after.merchant_id,
    data: { intent: toPaymentIntentObject(after), ...facts } as EventDataOf<T>,
  });
  return { topic: TOPICS.intents, event, key: after.id };
}

/** A `refund.*` event: the refund is its own aggregate, but the key stays the payment intent id. */
export function refundEvent<T extends RefundEventType>(
  type: T,
  refund: RefundObject & { version: number },
  merchantId: string,
  facts: RefundEventFacts<T>,
  cause: Cause,
  occurredAt: Date,
): OutgoingEvent {
  const { version, ...publicRefund } = refund;
  const event = createEvent<RefundEventType>({
    ...envelope(cause, occurredAt),
    type,
    aggregate_type: 'refund',
    aggregate_id: publicRefund.id,
    aggregate_version: version,
    merchant_id: merchantId,
    data: { refund: publicRefund, ...facts } as EventDataOf<T>,
  });
  return { topic: TOPICS.intents, event, key: publicRefund.payment_intent };
}
