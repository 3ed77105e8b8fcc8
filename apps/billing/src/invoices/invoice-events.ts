import { EventDataOf, EventType, InvoiceObject, TOPICS, createEvent } from '@payflow/contracts';
import type { OutgoingEvent } from '@payflow/platform/outbox';
import type { InvoiceRow } from './invoice.row';

/** The `invoice.*` events billing publishes (intents publishes `invoice.payment_request_rejected`). */
export const INVOICE_EVENT_TYPES = [
  'invoice.finalized',
  'invoice.paid',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'invoice.payment_requested',
  'invoice.payment_failed',
] as const satisfies readonly EventType[];
export type InvoiceEventType = (typeof INVOICE_EVENT_TYPES)[number];

/** An invoice event's data besides the invoice and the clock fields every one of them carries. */
export type InvoiceEventFacts<T extends InvoiceEventType> = Omit<
  EventDataOf<T>,
  'invoice' | 'test_clock' | 'clock_time' | 'billing_reason'
>;

/** What caused a change: an API request, a consumed event, or nothing (the scheduler). */
export interface Cause {
  correlation_id: string | null;
  causation_id: string | null;
}

export const NO_CAUSE: Cause = { correlation_id: null, causation_id: null };

/**
 * A `invoice.*` event carrying the invoice whole as it is after the change (DESIGN.md "Event
 * catalogue (billing and dunning)"), keyed by its subscription so a subscription's billing keeps its
 * order, with the customer's clock (`test_clock`, `clock_time`) so dunning schedules on that clock,
 * and why the invoice exists (`billing_reason`: dunning never opens a case for `subscription_create`).
 * `version` is the invoice's aggregate version for this event: one per event, increasing.
 * `occurred_at` is the wall clock (as every service's events); the customer's time is `clock_time`.
 */
export function invoiceEvent<T extends InvoiceEventType>(
  type: T,
  row: InvoiceRow,
  invoice: InvoiceObject,
  version: number,
  occurredAt: Date,
  clockTime: Date,
  facts: InvoiceEventFacts<T>,
  cause: Cause,
): OutgoingEvent {
  const event = createEvent<InvoiceEventType>({
    type,
    source: 'billing',
    aggregate_type: 'invoice',
    aggregate_id: row.id,
    aggregate_version: version,
    merchant_id: row.merchant_id,
    occurred_at: occurredAt.toISOString(),
    correlation_id: cause.correlation_id,
    causation_id: cause.causation_id,
    data: {
      invoice,
      test_clock: row.test_clock_id,
      clock_time: clockTime.toISOString(),
      billing_reason: row.billing_reason,
      ...facts,
    } as EventDataOf<T>,
  });
  return { topic: TOPICS.billing, event, key: row.subscription_id ?? row.customer_id };
}
